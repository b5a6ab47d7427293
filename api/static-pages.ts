/**
 * The audit web pages: plain files from api/web, served with a strict Content-Security-Policy (own
 * scripts and styles only, calls to the API's own origin only), so the pages run no third-party code.
 * Images and frames may also be blob: URLs, which only the pages' own scripts make (a decrypted document's view).
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { tracegateContext } from "../sdk/epcis/index.js";

const WEB_ROOT = fileURLToPath(new URL("web/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

export const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; frame-src blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Answers GET requests for the pages, their assets and the JSON-LD context; false when the path is none of those. */
export async function servePage(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/epcis/context.jsonld") {
    response.writeHead(200, { "content-type": "application/ld+json", "access-control-allow-origin": "*" });
    response.end(JSON.stringify({ "@context": tracegateContext() }, null, 2));
    return true;
  }
  const file = normalize(path === "/" ? "index.html" : path.slice(1));
  const type = TYPES[extname(file)];
  if (type === undefined || file.startsWith("..") || file.includes("\0")) return false;
  let body: Buffer;
  try {
    body = await readFile(join(WEB_ROOT, file));
  } catch {
    return false;
  }
  response.writeHead(200, { "content-type": type, "cache-control": "no-cache", ...PAGE_HEADERS });
  response.end(request.method === "HEAD" ? undefined : body);
  return true;
}
