/** The GraphQL endpoint: the schema behind yoga, with authentication, per-request loaders and the protections. */
import { NoSchemaIntrospectionCustomRule, validate } from "graphql";
import { createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import type { Store } from "../indexer/store/engine.js";
import { TokenVerifier, type TokenSettings } from "./auth/tokens.js";
import { Visibility } from "./auth/visibility.js";
import type { ApiContext } from "./context.js";
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
import { Loaders } from "./loaders.js";
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
  /** Where internal errors are reported (they reach clients only as INTERNAL). */
  logError?: (error: unknown) => void;
}

export interface Api {
  yoga: YogaServerInstance<Record<string, never>, ApiContext>;
  feed: EventFeed;
}

export function createApi(options: ApiOptions): Api {
  const { db } = options.store;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const tokens = new TokenVerifier(options.tokens);
  const feed = new EventFeed(db, options.feedPollMs ?? 500);
  const yoga = createYoga<Record<string, never>, ApiContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: options.development === true,
    landingPage: false,
    // server.ts refuses a body without a Content-Length or above its limit before anything reads it (and
    // Node's parser reads no more than that length); yoga's own limit would stream every body through a
    // second TransformStream pipeline (5% of a request's CPU).
    maxRequestBodySize: false,
    cors: options.corsOrigins?.length ? { origin: [...options.corsOrigins], methods: ["GET", "POST"], allowedHeaders: ["authorization", "content-type", CSRF_HEADER] } : false,
    // Internal errors are reported once, by maskError, to logError.
    logging: false,
    maskedErrors: { maskError: maskError(options.logError ?? ((error) => console.error("internal error:", error))) },
    plugins: [
      csrfPrevention(CSRF_HEADER),
      armor(limits),
      useValidationCodes,
      ...(options.development === true ? [] : [introspectionNeedsToken]),
      useVariablePageCost(limits.maxCost),
      useResponseSizeLimit(limits.maxResponseBytes),
      useExecutionDeadline(limits.executionTimeoutMs),
    ],
    context: async ({ request }) => {
      let visibility: Visibility | null = null;
      // Events read for a request are cut down to what its caller may see (nothing without a caller).
      const loaders = new Loaders(db, async (records) => (visibility === null ? [] : visibility.shownEvents(records)));
      const viewer = await tokens.viewerFor(request.headers.get("authorization"), (id) => loaders.organisation.load(id));
      visibility = viewer === null ? null : new Visibility(viewer, loaders);
      return { viewer, visibility, loaders, db, verifier: new StoreVerifier(db, loaders), feed };
    },
  });
  return { yoga, feed };
}

/** Outside development, only a verified caller may introspect the schema (`__schema`, `__type`). */
const introspectionNeedsToken: Plugin<ApiContext> = {
  onExecute: ({ args, setResultAndStopExecution }) => {
    if ((args.contextValue as ApiContext).viewer !== null) return;
    if (validate(args.schema, args.document, [NoSchemaIntrospectionCustomRule]).length > 0) {
      setResultAndStopExecution({ errors: [apiError("UNAUTHENTICATED", "send a bearer token to introspect the schema")] });
    }
  },
};
