/**
 * The API as an HTTP server: GraphQL (POST and GET, subscriptions as server-sent events) at /graphql,
 * the EPCIS 2.0 REST bindings at /epcis, the audit web pages at /, the stored documents at /ipfs/<cid> and,
 * decrypted for the caller, at /documents/<hash>/content, a document's verdict for anyone who scans its link at
 * /verdicts/<hash>, a resolver per lot at /lot/<id> (GS1 Digital Link), customs' registration of seal track segments anchored
 * elsewhere at /transit/segments, on one port. Bodies are bounded before anything reads them, and a
 * connection closed on a refused body lingers so the client reads the refusal
 * (sdk/lingering-close.ts); slow clients are cut off by the request and header timeouts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLingeringServer } from "../sdk/lingering-close.js";
import type { CaptureJobs } from "./capture/jobs.js";
import { serveDevTokens } from "./auth/dev-token-route.js";
import type { DevTokenIssuer } from "./auth/dev-tokens.js";
import { serveDocumentContent, type DocumentContentRoutes } from "./document-content.js";
import { serveDocument } from "./document-gateway.js";
import { NO_DOCUMENT_KEYS } from "./document-keys.js";
import { serveEpcis, type EpcisRoutes } from "./epcis/routes.js";
import { MAX_UPLOAD_BYTES } from "./schema/document.js";
import { serveLotResolver, type PublicLotPart } from "./lot-resolver.js";
import { servePage } from "./static-pages.js";
import { serveSegmentRegistration, type SegmentRoutes } from "./transit/segment-route.js";
import { serveVerdict } from "./verdict-route.js";
import { createApi, GRAPHQL_PATH, type ApiOptions } from "./yoga.js";

/** A query with its variables; anything larger is refused unread. */
const MAX_JSON_BYTES = 64 * 1024;
/** An upload's file plus the multipart envelope and the operation. */
const MAX_MULTIPART_BYTES = MAX_UPLOAD_BYTES + 128 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;

export interface ApiServerOptions extends ApiOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 127.0.0.1 by default; put a TLS-terminating proxy in front to serve it further. */
  host?: string;
  /** Capture jobs for the EPCIS capture bindings; without them the API only reads. */
  capture?: CaptureJobs;
  /** The development signing key: the start page then offers a token per organisation (GET /dev/tokens). */
  devTokens?: DevTokenIssuer;
  /** What /lot/<id> tells a caller who may not see the lot (TRACEGATE_RESOLVER_PUBLIC); "none" by default. */
  publicLotPart?: PublicLotPart;
}

export interface ApiServer {
  url: string;
  /** Subscriptions listening for new events now: each has every event stored from then on. */
  subscribers(): number;
  close(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { yoga, feed, tokens } = createApi(options);
  const logError = options.logError ?? ((error: unknown) => console.error("internal error:", error));
  const epcis: EpcisRoutes = { db: options.store.db, tokens, capture: options.capture ?? null, logError };
  const resolver = { db: options.store.db, tokens, publicPart: options.publicLotPart ?? "none", logError };
  const contents: DocumentContentRoutes = {
    db: options.store.db,
    tokens,
    documents: options.documents,
    keys: options.documentKeys ?? NO_DOCUMENT_KEYS,
    logError,
  };
  const segments: SegmentRoutes = { ...contents, tokens };
  const server = createLingeringServer(route, logError);
  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path === GRAPHQL_PATH) {
      if (withinBodyLimit(request, response)) await yoga(request, response);
      return;
    }
    if (await serveEpcis(request, response, epcis)) return;
    if (await serveDevTokens(request, response, options.store.db, options.devTokens, options.host ?? "127.0.0.1")) return;
    if (options.documents !== undefined && (await serveDocument(options.documents, request, response))) return;
    if (await serveDocumentContent(request, response, contents)) return;
    if (await serveSegmentRegistration(request, response, segments)) return;
    if (await serveVerdict(request, response, { db: options.store.db, tokens, logError })) return;
    if (await serveLotResolver(request, response, resolver)) return;
    if (!(await servePage(request, response))) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found\n");
    }
  }
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    subscribers: () => feed.subscribers,
    close: async () => {
      feed.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Refuses (413, or 411 without a length) a body larger than its kind allows, before reading it. */
function withinBodyLimit(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return true;
  const length = Number(request.headers["content-length"]);
  if (request.headers["content-length"] === undefined || !Number.isSafeInteger(length)) {
    response
      .writeHead(411, { "content-type": "application/json" })
      .end(JSON.stringify({ errors: [{ message: "send a Content-Length", extensions: { code: "BAD_USER_INPUT" } }] }));
    return false;
  }
  const multipart = request.headers["content-type"]?.startsWith("multipart/form-data") ?? false;
  const limit = multipart ? MAX_MULTIPART_BYTES : MAX_JSON_BYTES;
  if (length > limit) {
    response
      .writeHead(413, { "content-type": "application/json" })
      .end(JSON.stringify({ errors: [{ message: `the request body is larger than ${limit} bytes`, extensions: { code: "PAYLOAD_TOO_LARGE" } }] }));
    return false;
  }
  return true;
}
