/** The GraphQL endpoint: the schema behind yoga, with authentication, per-request loaders and the protections. */
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { NoSchemaIntrospectionCustomRule, validate } from "graphql";
import { RequestCache } from "@pothos/plugin-scope-auth";
import { createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import type { Store } from "../indexer/store/index.js";
import { TokenVerifier, type TokenSettings } from "./auth/tokens.js";
import { requestCaller } from "./auth/request-caller.js";
import type { CustodyWriter } from "./capture/writer.js";
import type { ApiContext } from "./context.js";
import { NO_DOCUMENT_KEYS, type DocumentKeyRing } from "./document-keys.js";
import { apiError } from "./errors.js";
import { EventFeed } from "./event-feed.js";
import {
  armor,
  csrfPrevention,
  DEFAULT_LIMITS,
  maskError,
  useExecutionDeadline,
  useResponseSizeLimit,
  useValidationCodes,
  useVariablePageCost,
  type Limits,
} from "./hardening.js";
import type { DocumentStore } from "../sdk/documents/store.js";
import { schema } from "./schema/index.js";
import { StoreVerifier } from "./verification.js";

export const GRAPHQL_PATH = "/graphql";
/** The header every request must carry (yoga's CSRF prevention): a cross-site form or link cannot set it. */
export const CSRF_HEADER = "x-graphql-yoga-csrf";

export interface ApiOptions {
  store: Store;
  tokens: TokenSettings;
  /** GraphiQL, and introspection without a token: for a developer's machine only. */
  development?: boolean;
  /** Origins other than the API's own whose pages may call it (CORS); none by default. */
  corsOrigins?: readonly string[];
  limits?: Partial<Limits>;
  /** How often subscriptions look for new events, in milliseconds. */
  feedPollMs?: number;
  /** Applies custody actions for callers (GraphQL mutations, EPCIS capture); reads only without one. */
  writer?: CustodyWriter;
  /** Where internal errors are reported (they reach clients only as INTERNAL). */
  logError?: (error: unknown) => void;
  /** Where anchored documents are stored: served at /ipfs/<cid> when given, and trips' track segments read from. */
  documents?: DocumentStore;
  /** The organisations this node decrypts documents for (GET /documents/<hash>/content, trips' tracks); none by default. */
  documentKeys?: DocumentKeyRing;
}

export interface Api {
  yoga: YogaServerInstance<Record<string, never>, ApiContext>;
  feed: EventFeed;
  tokens: TokenVerifier;
}

export function createApi(options: ApiOptions): Api {
  const { db } = options.store;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const tokens = new TokenVerifier(options.tokens);
  const feed = new EventFeed(db, options.feedPollMs ?? 500);
  const track = { db, documents: options.documents, keys: options.documentKeys ?? NO_DOCUMENT_KEYS };
  const yoga = createYoga<Record<string, never>, ApiContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: options.development === true ? { title: "TraceGate GraphiQL" } : false,
    // GraphiQL's scripts, styles and editor workers inlined from the installed package: yoga's default loads them from a CDN.
    renderGraphiQL,
    landingPage: false,
    // server.ts refuses a body without a Content-Length or above its limit before anything reads it (and
    // Node's parser reads no more than that length); yoga's own limit would stream every body through a
    // second TransformStream pipeline (5% of a request's CPU).
    maxRequestBodySize: false,
    cors: options.corsOrigins?.length
      ? { origin: [...options.corsOrigins], methods: ["GET", "POST"], allowedHeaders: ["authorization", "content-type", CSRF_HEADER] }
      : false,
    // Internal errors are reported once, by maskError, to logError.
    logging: false,
    maskedErrors: { maskError: maskError(options.logError ?? ((error) => console.error("internal error:", error))) },
    plugins: [
      csrfPrevention(CSRF_HEADER),
      armor(limits),
      useValidationCodes,
      ...(options.development === true ? [graphiqlPolicy] : [introspectionNeedsToken]),
      useVariablePageCost(limits.maxCost),
      useResponseSizeLimit(limits.maxResponseBytes),
      useExecutionDeadline(limits.executionTimeoutMs),
      releaseRequestCache,
    ],
    context: async ({ request }) => {
      const caller = await requestCaller(db, tokens, request.headers.get("authorization"));
      return { ...caller, db, verifier: new StoreVerifier(db, caller.loaders), feed, track, writer: options.writer ?? null };
    },
  });
  return { yoga, feed, tokens };
}

/**
 * Drops scope-auth's cache of a request's scopes when its execution ends. The cache is a WeakMap entry
 * keyed by the context whose value refers back to the context; V8's young-generation collector keeps such
 * an entry's value alive, so every request's whole context (loaders, rows, results) was promoted to the
 * old generation and every scavenge copied it: 6-8 ms pauses, the API's slowest percent of requests.
 */
const releaseRequestCache: Plugin<ApiContext> = {
  onExecute: ({ args }) => ({ onExecuteDone: () => RequestCache.clearForContext(args.contextValue) }),
};

/**
 * GraphiQL's page may run its own inline code and editor workers and call this API, nothing else: a
 * missing asset fails here as it would offline, instead of loading from the internet.
 */
const GRAPHIQL_POLICY =
  "default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src 'self' data:; font-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const graphiqlPolicy: Plugin = {
  onResponse: ({ response }) => {
    if (response.headers.get("content-type")?.startsWith("text/html") === true) response.headers.set("content-security-policy", GRAPHIQL_POLICY);
  },
};

/** Outside development, only a verified caller may introspect the schema (`__schema`, `__type`). */
const introspectionNeedsToken: Plugin<ApiContext> = {
  onExecute: ({ args, setResultAndStopExecution }) => {
    if ((args.contextValue as ApiContext).viewer !== null) return;
    if (validate(args.schema, args.document, [NoSchemaIntrospectionCustomRule]).length > 0) {
      setResultAndStopExecution({ errors: [apiError("UNAUTHENTICATED", "send a bearer token to introspect the schema")] });
    }
  },
};
