/**
 * Anchored documents' stored bytes over HTTP, the IPFS gateway way: `GET /ipfs/<cid>` gives the file,
 * `?format=car` (or `Accept: application/vnd.ipld.car`) its verifiable CARv1 for `ipfs dag import`.
 * What is stored is the encrypted envelope, readable only by the organisations it was sealed for,
 * so serving it is no more open than IPFS itself. Content-addressed, hence cacheable for ever.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DocumentError } from "../sdk/documents/errors.js";
import type { DocumentStore } from "../sdk/documents/store.js";

const PREFIX = "/ipfs/";
const CAR_TYPE = "application/vnd.ipld.car";

/** Answers `/ipfs/…` requests; false for any other path. */
export async function serveDocument(store: DocumentStore, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (!url.pathname.startsWith(PREFIX)) return false;
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("documents are read-only here\n");
    return true;
  }
  const cid = url.pathname.slice(PREFIX.length);
  const car = url.searchParams.get("format") === "car" || (request.headers.accept ?? "").includes(CAR_TYPE);
  const headers = {
    etag: `"${cid}${car ? ".car" : ""}"`,
    "cache-control": "public, max-age=29030400, immutable",
    "x-ipfs-path": `${PREFIX}${cid}`,
    "x-content-type-options": "nosniff",
  };
  try {
    if (car) await sendCar(store, cid, request.method === "HEAD", response, headers);
    else await sendFile(store, cid, request.method === "HEAD", response, headers);
  } catch (error) {
    if (response.headersSent) {
      // Mid-stream: cut the connection, so the client cannot take a truncated CAR for a whole one.
      response.destroy(error as Error);
    } else {
      const status = error instanceof DocumentError ? statusOf(error.code) : 500;
      const message = error instanceof DocumentError ? error.message : "the document store failed";
      response.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(`${message}\n`);
    }
  }
  return true;
}

type Headers = Record<string, string>;

async function sendCar(store: DocumentStore, cid: string, headOnly: boolean, response: ServerResponse, headers: Headers): Promise<void> {
  // Read the first chunk before the status line: a missing root must still be a 404.
  const chunks = store.exportCar(cid)[Symbol.asyncIterator]();
  let chunk = await chunks.next();
  response.writeHead(200, { ...headers, "content-type": `${CAR_TYPE}; version=1` });
  if (headOnly) {
    await chunks.return?.();
    response.end();
    return;
  }
  for (; !chunk.done; chunk = await chunks.next()) response.write(chunk.value);
  response.end();
}

async function sendFile(store: DocumentStore, cid: string, headOnly: boolean, response: ServerResponse, headers: Headers): Promise<void> {
  const bytes = await store.get(cid);
  response.writeHead(200, { ...headers, "content-type": "application/octet-stream", "content-length": String(bytes.byteLength) });
  response.end(headOnly ? undefined : bytes);
}

function statusOf(code: DocumentError["code"]): number {
  if (code === "INVALID_CID") return 400;
  if (code === "NOT_FOUND") return 404;
  if (code === "STORE_UNAVAILABLE") return 502;
  return 500;
}
