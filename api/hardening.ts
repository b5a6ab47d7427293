/**
 * Protections around execution: graphql-armor's limits (each rejection tagged with its stable code),
 * page sizes given as variables in the cost, a bound on the size of a response, an execution
 * deadline, stable codes on parse and validation errors, and masking of internal errors.
 */
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { getOperationAST, GraphQLError, Kind, validate, visit, type DocumentNode, type ExecutionResult } from "graphql";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import type { Plugin } from "graphql-yoga";
import { TraceGateError } from "../domain/index.js";
import { isDiskFull } from "../indexer/store/index.js";
import { apiError, STORAGE_FULL_MESSAGE, type ApiErrorCode } from "./errors.js";

export interface Limits {
  /** Deepest selection nesting. */
  maxDepth: number;
  /** graphql-armor's cost estimate (objects × depth factor + scalars). */
  maxCost: number;
  maxAliases: number;
  /** Tokens in the query text (parsing itself is bounded by this). */
  maxTokens: number;
  maxDirectives: number;
  /** Time one operation may execute, in milliseconds. */
  executionTimeoutMs: number;
  /** Bytes of JSON one answer may carry (RESPONSE_TOO_LARGE above). */
  maxResponseBytes: number;
}

/**
 * The largest page query (the lot page) costs about 18,000. A page of 100 events with their full
 * payloads (a transform writes at most 64 lots) is under 2.5 MiB, so a response holds one.
 */
export const DEFAULT_LIMITS: Limits = {
  maxDepth: 12,
  maxCost: 50_000,
  maxAliases: 15,
  maxTokens: 2_000,
  maxDirectives: 20,
  executionTimeoutMs: 10_000,
  maxResponseBytes: 4 * 1024 * 1024,
};

/** Gives the armor's rejection a stable code (its errors carry only a message). */
const tagged = (code: ApiErrorCode) => ({
  onReject: [(_context: unknown, error: GraphQLError) => Object.assign(error.extensions as Record<string, unknown>, { code })],
  propagateOnRejection: true,
});

export function armor(limits: Limits): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ...tagged("QUERY_TOO_DEEP") },
    costLimit: { maxCost: limits.maxCost, ...tagged("QUERY_TOO_COSTLY") },
    maxAliases: { n: limits.maxAliases, ...tagged("TOO_MANY_ALIASES") },
    maxTokens: { n: limits.maxTokens, ...tagged("TOO_MANY_TOKENS") },
    maxDirectives: { n: limits.maxDirectives, ...tagged("TOO_MANY_DIRECTIVES") },
    blockFieldSuggestion: { enabled: true },
  }) as Plugin;
}

/** The arguments that size a page, which graphql-armor's cost multiplies by when they are written in the query. */
const PAGE_SIZE_ARGUMENTS = new Set(["first", "last"]);
/** Whether a document gives some page size as a variable (documents are parsed once and cached: so is this). */
const variablePageSizes = new WeakMap<DocumentNode, boolean>();

/**
 * graphql-armor's cost multiplies by a page size written in the query, but counts `first: $n` as a
 * page of one, so nested pages sized by variables escaped the cost limit. Where a document sizes
 * pages by variables, its cost is checked again at execution, with their values written in.
 */
export function useVariablePageCost(maxCost: number): Plugin {
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const { document, variableValues, schema } = args;
      if (!hasVariablePageSizes(document)) return;
      const used: string[] = [];
      const written = visit(document, {
        Argument: (node) => {
          if (!PAGE_SIZE_ARGUMENTS.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
          const value = variableValues?.[node.value.name.value];
          if (typeof value !== "number") return undefined;
          used.push(`$${node.value.name.value} = ${value}`);
          return { ...node, value: { kind: Kind.INT, value: String(value) } };
        },
      });
      let over = false;
      validate(schema, written, [costLimitRule({ maxCost, propagateOnRejection: false, onReject: [() => (over = true)] })]);
      if (over) {
        setResultAndStopExecution({
          data: null,
          errors: [
            apiError("QUERY_TOO_COSTLY", `the query costs more than ${maxCost} with its page sizes (${[...new Set(used)].join(", ")}): ask for smaller pages`),
          ],
        });
      }
    },
  };
}

function hasVariablePageSizes(document: DocumentNode): boolean {
  let found = variablePageSizes.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Argument: (node) => {
        if (PAGE_SIZE_ARGUMENTS.has(node.name.value) && node.value.kind === Kind.VARIABLE) found = true;
      },
    });
    variablePageSizes.set(document, found);
  }
  return found;
}

/**
 * No answer carries more than `maxBytes` of JSON: one over it is replaced, whole, by RESPONSE_TOO_LARGE.
 * Pages, the cost and the limits on stored text bound answers already; this holds whatever the store
 * holds (text stored before its limit) and whatever a query combines. The answer is serialised once:
 * yoga sends the text measured here (it calls a result's own `stringify` when it has one).
 */
export function useResponseSizeLimit(maxBytes: number): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (Symbol.asyncIterator in result) return; // a subscription's events are each bounded by the same rules
        const text = JSON.stringify(result);
        const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text); // a UTF-16 unit is at most 3 bytes
        if (bytes > maxBytes) {
          setResult({
            data: null,
            errors: [
              apiError(
                "RESPONSE_TOO_LARGE",
                `the answer is ${bytes} bytes, more than the ${maxBytes} one response may carry: ask for less (smaller pages, fewer nested lists)`,
              ),
            ],
          });
          return;
        }
        // Yoga serialises a copy when it strips internals from errors: only the result itself is this text.
        Object.assign(result, { stringify: (value: unknown) => (value === result ? text : JSON.stringify(value)) });
      },
    }),
  };
}

/** yoga's CSRF prevention (a request a browser sends without preflight must carry `header`), with a stable code. */
export function csrfPrevention(header: string): Plugin {
  const yogaPlugin = useCSRFPrevention({ requestHeaders: [header] });
  return {
    onRequestParse: (payload) => {
      try {
        return yogaPlugin.onRequestParse?.(payload);
      } catch {
        throw apiError("CSRF_HEADER_MISSING", `send the ${header} header (any value): it proves the request is not a cross-site form or link`, 403);
      }
    },
  };
}

/** Parse and validation errors without a code get GRAPHQL_VALIDATION_FAILED. */
export const useValidationCodes: Plugin = {
  onParse:
    () =>
    ({ result, replaceParseResult }) => {
      if (result instanceof GraphQLError && result.extensions.code === undefined) replaceParseResult(withCode(result));
    },
  onValidate:
    () =>
    ({ result, setResult }) => {
      if (result.some((error) => error.extensions.code === undefined))
        setResult(result.map((error) => (error.extensions.code === undefined ? withCode(error) : error)));
    },
};

function withCode(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code: "GRAPHQL_VALIDATION_FAILED" },
  });
}

/**
 * An operation that runs past the deadline answers TIMEOUT (its queries stop at their next await). A
 * mutation may still be applied after it: the answer says how to learn its outcome.
 */
export function useExecutionDeadline(ms: number): Plugin {
  return {
    onExecute: ({ executeFn, setExecuteFn }) => {
      setExecuteFn(async (args) => {
        let timer: NodeJS.Timeout | undefined;
        const mutation = getOperationAST(args.document, args.operationName)?.operation === "mutation";
        const message = mutation
          ? `the action took longer than ${ms} ms to answer and may still be applied: send it again with the same eventId to learn its outcome (it is applied once)`
          : `the query ran longer than ${ms} ms: ask for less (a shorter period, a smaller page)`;
        const expired = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(() => resolve({ data: null, errors: [apiError("TIMEOUT", message)] }), ms);
        });
        try {
          return await Promise.race([executeFn(args) as Promise<ExecutionResult>, expired]);
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}

/**
 * What reaches the client of an error: the API's own errors as they are, a domain rule's refusal of
 * an argument as BAD_USER_INPUT, anything else as INTERNAL without detail (reported to `log`).
 */
export function maskError(log: (error: unknown) => void) {
  return (error: unknown): Error => {
    const original = error instanceof GraphQLError ? deepest(error) : error;
    if (original instanceof GraphQLError) return error as GraphQLError;
    const located = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
    if (original instanceof TraceGateError) return new GraphQLError(original.message, { ...located, extensions: { code: "BAD_USER_INPUT" } });
    log(original);
    if (isDiskFull(original)) return new GraphQLError(STORAGE_FULL_MESSAGE, { ...located, extensions: { code: "STORAGE_FULL", http: { status: 503 } } });
    return new GraphQLError("internal error", { ...located, extensions: { code: "INTERNAL" } });
  };
}

function deepest(error: GraphQLError): unknown {
  let current: unknown = error;
  while (current instanceof GraphQLError && current.originalError !== undefined && current.originalError !== null) current = current.originalError;
  return current;
}
