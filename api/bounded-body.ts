/**
 * A request's body, read up to a limit. Past the limit reading stops; the answer then closes the
 * connection, lingering, without reading the rest (the API's server: sdk/lingering-close.ts).
 */
import type { IncomingMessage } from "node:http";

/** Why there is no body: larger than the limit (declared or as sent), or the client went away before its end. */
export type NoBody = "too large" | "cut off";

export async function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | NoBody> {
  if (Number(request.headers["content-length"]) > maxBytes) return "too large";
  const parts: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      received += chunk.length;
      // A chunked body has no declared length: it is cut off as soon as it passes the limit.
      if (received > maxBytes) return "too large";
      parts.push(chunk);
    }
  } catch {
    return "cut off";
  }
  return Buffer.concat(parts);
}
