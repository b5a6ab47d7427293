/**
 * `GET /verdicts/<sha256>[?batch=<root>&proof=<hash>,…]`: the verdict a verification link opens, for
 * anyone who scans it, signed in or not. Without a token the answer is the verdict as it is told to a
 * caller who may not see the document (auth/disclosure.ts: no document id, CID or lots); with one, the
 * API's role rules decide as for GraphQL's `verifyDocument`. Nothing else is reachable without a token.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import type { Kysely } from "kysely";
import type { Database } from "../indexer/store/index.js";
import { verdictWithheld } from "./auth/disclosure.js";
import { requestCaller } from "./auth/request-caller.js";
import type { TokenVerifier } from "./auth/tokens.js";
import { StoreVerifier } from "./verification.js";
import { hashParameter, Refusal } from "./http-refusal.js";

export interface VerdictRoutes {
  db: Kysely<Database>;
  tokens: TokenVerifier;
  logError: (error: unknown) => void;
}

const ROUTE = /^\/verdicts\/([^/]*)$/;
/** A Merkle path of 64 steps covers a batch of 2^64 documents: anything longer is not a proof. */
const MAX_PROOF_STEPS = 64;

/** Answers /verdicts/<hash>; false for any other path. */
export async function serveVerdict(request: IncomingMessage, response: ServerResponse, routes: VerdictRoutes): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const reference = ROUTE.exec(url.pathname)?.[1];
  if (reference === undefined) return false;
  let status = 200;
  let body: unknown;
  try {
    body = await verdict(request, reference, url.searchParams, routes);
  } catch (error) {
    if (!(error instanceof Refusal)) routes.logError(error);
    const refusal = error instanceof Refusal ? error : new Refusal(500, "INTERNAL", "the server failed to answer; the failure is in its log");
    status = refusal.status;
    body = { error: { code: refusal.code, message: refusal.message } };
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    // A status changes when the issuer revokes or amends: never answer from a cache.
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...(status === 405 ? { allow: "GET, HEAD" } : {}),
    ...(status === 401 ? { "www-authenticate": "Bearer" } : {}),
  });
  response.end(request.method === "HEAD" ? undefined : text);
  return true;
}

async function verdict(request: IncomingMessage, reference: string, query: URLSearchParams, routes: VerdictRoutes): Promise<unknown> {
  if (request.method !== "GET" && request.method !== "HEAD") throw new Refusal(405, "METHOD_NOT_ALLOWED", "verdicts are read with GET (or HEAD)");
  const hash = hashParameter(reference, sha256Named("the document"));
  const root = query.get("batch");
  const path = query.get("proof");
  if ((root === null) !== (path === null)) throw new Refusal(400, "BAD_REQUEST", "a batch member is named by both batch (its root) and proof (its path)");
  const steps = path === null || path === "" ? [] : path.split(",");
  if (steps.length > MAX_PROOF_STEPS) throw new Refusal(400, "BAD_REQUEST", `a proof has at most ${MAX_PROOF_STEPS} steps`);
  const { visibility, loaders } = await caller(request, routes);
  const verifier = new StoreVerifier(routes.db, loaders);
  const found =
    root === null
      ? await verifier.verifyHash(hash)
      : await verifier.verifyPath(
          hash,
          hashParameter(root, sha256Named("batch")),
          steps.map((step) => hashParameter(step, sha256Named("proof"))),
        );
  // An anonymous scanner is told what a caller who may not see the document is told.
  return visibility === null ? verdictWithheld(found) : await visibility.disclosed(found);
}

const sha256Named = (what: string) => `${what} is named by a SHA-256: 0x and 64 hex digits`;

async function caller(request: IncomingMessage, routes: VerdictRoutes) {
  try {
    return await requestCaller(routes.db, routes.tokens, request.headers.authorization ?? null);
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === "UNAUTHENTICATED") throw new Refusal(401, "UNAUTHENTICATED", error.message);
    throw error;
  }
}
