/**
 * Protections around execution: graphql-armor's limits (each rejection tagged with its stable code),
 * an execution deadline, stable codes on parse and validation errors, and masking of internal errors.
 */
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { GraphQLError, type ExecutionResult } from "graphql";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import type { Plugin } from "graphql-yoga";
import { TraceGateError } from "../domain/index.js";
import { apiError, type ApiErrorCode } from "./errors.js";

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
}

/** The largest page query (the lot page) costs about 18,000. */
export const DEFAULT_LIMITS: Limits = { maxDepth: 12, maxCost: 50_000, maxAliases: 15, maxTokens: 2_000, maxDirectives: 20, executionTimeoutMs: 10_000 };

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
  onParse: () => ({ result, replaceParseResult }) => {
    if (result instanceof GraphQLError && result.extensions.code === undefined) replaceParseResult(withCode(result));
  },
  onValidate: () => ({ result, setResult }) => {
    if (result.some((error) => error.extensions.code === undefined)) setResult(result.map((error) => (error.extensions.code === undefined ? withCode(error) : error)));
  },
};

function withCode(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code: "GRAPHQL_VALIDATION_FAILED" } });
}

/** An operation that runs past the deadline answers TIMEOUT (its queries stop at their next await). */
export function useExecutionDeadline(ms: number): Plugin {
  return {
    onExecute: ({ executeFn, setExecuteFn }) => {
      setExecuteFn(async (args) => {
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(() => resolve({ data: null, errors: [apiError("TIMEOUT", `the query ran longer than ${ms} ms: ask for less (a shorter period, a smaller page)`)] }), ms);
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
    return new GraphQLError("internal error", { ...located, extensions: { code: "INTERNAL" } });
  };
}

function deepest(error: GraphQLError): unknown {
  let current: unknown = error;
  while (current instanceof GraphQLError && current.originalError !== undefined && current.originalError !== null) current = current.originalError;
  return current;
}
