/**
 * `POST /transit/segments` with `{"cid": "<CID>"}`: customs registers a track segment anchored elsewhere
 * (segment-registration.ts) so the lots it names show it. 201 when recorded, 200 when the node had it
 * already; refusals are `{"error": {"code", "message"}}`, with the verifier's verdict when it judged.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import { requestCaller } from "../auth/request-caller.js";
import type { TokenVerifier } from "../auth/tokens.js";
import { readBoundedBody } from "../bounded-body.js";
import { Refusal } from "../http-refusal.js";
import { registerSegment, SegmentRefusal, type SegmentRefusalCode, type SegmentSources } from "./segment-registration.js";

export const SEGMENTS_PATH = "/transit/segments";
/** `{"cid": ...}` and nothing more. */
const MAX_BODY_BYTES = 4 * 1024;

export interface SegmentRoutes extends SegmentSources {
  tokens: TokenVerifier;
  logError: (error: unknown) => void;
}

const STATUS: Record<SegmentRefusalCode, number> = {
  NO_DOCUMENT_STORE: 503,
  STORE_UNAVAILABLE: 503,
  UNKNOWN_CID: 404,
  KEY_NOT_ON_NODE: 403,
  NOT_A_SEGMENT: 422,
  INVALID: 422,
};

/** Answers requests to /transit/segments; false for any other path. */
export async function serveSegmentRegistration(request: IncomingMessage, response: ServerResponse, routes: SegmentRoutes): Promise<boolean> {
  if (new URL(request.url ?? "/", "http://localhost").pathname !== SEGMENTS_PATH) return false;
  try {
    if (request.method !== "POST") throw new Refusal(405, "METHOD_NOT_ALLOWED", "register a segment with POST", { allow: "POST" });
    const customs = await customsCaller(request, routes);
    const cid = await cidOf(request);
    const registered = await registerSegment(routes, customs, cid);
    send(response, registered.recorded ? 201 : 200, registered);
  } catch (error) {
    if (error instanceof SegmentRefusal) {
      send(response, STATUS[error.code], {
        error: { code: error.code, message: error.message, ...(error.verdict === undefined ? {} : { verdict: error.verdict }) },
      });
      return true;
    }
    if (!(error instanceof Refusal)) routes.logError(error);
    const refusal = error instanceof Refusal ? error : new Refusal(500, "INTERNAL", "the server failed to answer; the failure is in its log");
    send(response, refusal.status, { error: { code: refusal.code, message: refusal.message } }, refusal.headers);
  }
  return true;
}

/**
 * The caller's organisation, which must be customs, as a role that sees every lot (an auditor or an
 * officer): its document key opens the segment file, and the answer names the segment's lots.
 */
async function customsCaller(request: IncomingMessage, routes: SegmentRoutes): Promise<string> {
  const unauthenticated = (message: string) => new Refusal(401, "UNAUTHENTICATED", message, { "www-authenticate": "Bearer" });
  let viewer: Awaited<ReturnType<typeof requestCaller>>["viewer"];
  try {
    ({ viewer } = await requestCaller(routes.db, routes.tokens, request.headers.authorization ?? null));
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === "UNAUTHENTICATED") throw unauthenticated(error.message);
    throw error;
  }
  if (viewer === null) throw unauthenticated("send the API's bearer token: Authorization: Bearer <token>");
  if (viewer.kind !== "CUSTOMS") throw new Refusal(403, "FORBIDDEN", `only customs registers seal track segments, not ${viewer.org}`);
  if (!viewer.isAuditor)
    throw new Refusal(
      403,
      "FORBIDDEN",
      `customs registers seal track segments as an AUDITOR or OFFICER, who see the lots a segment names; not as ${viewer.role}`,
    );
  return viewer.org;
}

async function cidOf(request: IncomingMessage): Promise<string> {
  if (!/^application\/json\b/.test(request.headers["content-type"] ?? ""))
    throw new Refusal(415, "UNSUPPORTED_MEDIA_TYPE", 'send {"cid": "<CID>"} as application/json');
  const bytes = await readBoundedBody(request, MAX_BODY_BYTES);
  if (bytes === "too large") throw new Refusal(413, "PAYLOAD_TOO_LARGE", `the body is larger than ${MAX_BODY_BYTES} bytes: send {"cid": "<CID>"}`);
  if (bytes === "cut off") throw new Refusal(400, "BAD_REQUEST", 'the body was cut off before its end: send {"cid": "<CID>"} again');
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString("utf8"));
  } catch {
    body = undefined;
  }
  const cid = (body as { cid?: unknown } | null | undefined)?.cid;
  if (typeof cid !== "string" || cid.length === 0 || cid.length > 200)
    throw new Refusal(400, "BAD_REQUEST", 'send {"cid": "<CID>"}: the CID of the stored segment file');
  return cid;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  response.end(text);
}
