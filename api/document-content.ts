/**
 * `GET /documents/<sha256>/content`: an anchored document, decrypted on this node for the bearer
 * token's organisation, when the node holds that organisation's private document key (document-keys.ts).
 * The key never leaves the node and no other organisation's key is ever used. The caller must see the
 * document as GraphQL's `Document` would (otherwise it is not found, like a document that does not
 * exist), and the bytes go out only once their SHA-256 equals the anchored hash.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Kysely } from "kysely";
import { GraphQLError } from "graphql";
import { documentHash } from "../domain/hashing.js";
import type { Database } from "../indexer/store/index.js";
import { open } from "../sdk/documents/envelope.js";
import { parseEnvelope } from "../sdk/documents/envelope-format.js";
import { DocumentError } from "../sdk/documents/errors.js";
import type { DocumentStore } from "../sdk/documents/store.js";
import { requestCaller } from "./auth/request-caller.js";
import type { TokenVerifier } from "./auth/tokens.js";
import type { DocumentKeyRing } from "./document-keys.js";
import { hashParameter, Refusal } from "./http-refusal.js";

export interface DocumentContentRoutes {
  db: Kysely<Database>;
  tokens: TokenVerifier;
  /** Undefined when the API serves no document store. */
  documents: DocumentStore | undefined;
  keys: DocumentKeyRing;
  logError: (error: unknown) => void;
}

const PREFIX = "/documents/";
const ROUTE = /^\/documents\/([^/]*)\/content$/;
/** Answers requests under /documents/; false for any other path. */
export async function serveDocumentContent(request: IncomingMessage, response: ServerResponse, routes: DocumentContentRoutes): Promise<boolean> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (!path.startsWith(PREFIX)) return false;
  try {
    const { bytes, id } = await decrypted(request, path, routes);
    response.writeHead(200, {
      ...PRIVATE_HEADERS,
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="${id.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "content-length": String(bytes.byteLength),
    });
    response.end(request.method === "HEAD" ? undefined : bytes);
  } catch (error) {
    if (!(error instanceof Refusal)) routes.logError(error);
    const refusal = error instanceof Refusal ? error : new Refusal(500, "INTERNAL", "the server failed to answer; the failure is in its log");
    const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
    response.writeHead(refusal.status, {
      ...PRIVATE_HEADERS,
      ...refusal.headers,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    });
    response.end(request.method === "HEAD" ? undefined : body);
  }
  return true;
}

/** Plaintext is the caller's alone: never cached, never sniffed into something a browser would run. */
const PRIVATE_HEADERS = {
  "cache-control": "private, no-store",
  "x-content-type-options": "nosniff",
  "content-security-policy": "sandbox; default-src 'none'",
};

async function decrypted(request: IncomingMessage, path: string, routes: DocumentContentRoutes): Promise<{ bytes: Uint8Array; id: string }> {
  if (request.method !== "GET" && request.method !== "HEAD")
    throw new Refusal(405, "METHOD_NOT_ALLOWED", "documents are read with GET (or HEAD)", { allow: "GET, HEAD" });
  const reference = ROUTE.exec(path)?.[1];
  if (reference === undefined) throw new Refusal(404, "NOT_FOUND", "no such endpoint: read a document at /documents/<its SHA-256>/content");
  const { viewer, visibility, loaders } = await caller(request, routes);
  const hash = hashParameter(reference, "a document is named by its SHA-256: 0x and 64 hex digits");
  const document = await loaders.document.load(hash);
  // A document the caller may not see answers as one that does not exist: the answer tells nothing.
  if (document === undefined || !(await visibility.canSeeDocument(document))) {
    throw new Refusal(404, "NOT_FOUND", `no document ${hash} is anchored, or it is not shared with you`);
  }
  const envelope = await stored(routes.documents, document.cid);
  let recipients: string[];
  try {
    recipients = parseEnvelope(envelope).recipients.map((recipient) => recipient.orgId);
  } catch {
    throw new Refusal(502, "DECRYPTION_FAILED", `the stored copy of ${document.id} (${document.cid}) is not a readable envelope: it was altered or damaged`);
  }
  if (!recipients.includes(viewer.org)) {
    throw new Refusal(403, "NOT_A_RECIPIENT", `${document.issuer} did not share ${document.id} with ${viewer.org}: ask ${document.issuer} to share it`);
  }
  const key = routes.keys.privateKey(viewer.org);
  if (key === undefined) {
    throw new Refusal(
      403,
      "KEY_NOT_ON_NODE",
      `this node does not hold ${viewer.org}'s private document key: open the document in your browser with ${viewer.org}.private.pem`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = open(envelope, viewer.org, key);
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    throw new Refusal(
      502,
      "DECRYPTION_FAILED",
      `the stored copy of ${document.id} does not decrypt with ${viewer.org}'s key on this node: it was altered, or the key is not the one it was shared with`,
    );
  }
  if (documentHash(bytes) !== hash) {
    bytes.fill(0);
    throw new Refusal(
      502,
      "INTEGRITY",
      `the stored copy of ${document.id} decrypts to bytes that are not the anchored document: do not rely on it; report it to ${document.issuer}`,
    );
  }
  return { bytes, id: document.id };
}

async function caller(request: IncomingMessage, routes: DocumentContentRoutes) {
  const unauthenticated = (message: string) => new Refusal(401, "UNAUTHENTICATED", message, { "www-authenticate": "Bearer" });
  try {
    const found = await requestCaller(routes.db, routes.tokens, request.headers.authorization ?? null);
    if (found.viewer === null || found.visibility === null) throw unauthenticated("send the API's bearer token: Authorization: Bearer <token>");
    return { viewer: found.viewer, visibility: found.visibility, loaders: found.loaders };
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === "UNAUTHENTICATED") throw unauthenticated(error.message);
    throw error;
  }
}

async function stored(store: DocumentStore | undefined, cid: string): Promise<Uint8Array> {
  if (store === undefined) throw new Refusal(503, "NO_DOCUMENT_STORE", "this API serves no document store: read documents through the node that stores them");
  try {
    return await store.get(cid);
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    if (error.code === "NOT_FOUND" || error.code === "INVALID_CID")
      throw new Refusal(404, "NOT_STORED", `the document is anchored, but this node's document store does not hold its copy (${cid})`);
    if (error.code === "STORE_UNAVAILABLE") throw new Refusal(503, "STORE_UNAVAILABLE", "the document store does not answer: try again later");
    throw error;
  }
}
