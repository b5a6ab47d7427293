/**
 * The HTTP side of the EPCIS 2.0 REST bindings: JSON answers, RFC 7807 problems with EPCIS exception
 * types, bounded JSON bodies, and the standard headers every answer carries.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseCaptureJson } from "../../sdk/epcis/from-epcis.js";
import { readBoundedBody } from "../bounded-body.js";

export const EPCIS_PATH = "/epcis";

/** The exception types of the bindings (their `type`), with the HTTP status each answers with. */
export const EPCIS_EXCEPTIONS = {
  ValidationException: 400,
  QueryParameterException: 400,
  SecurityException: 403,
  NoSuchResourceException: 404,
  NotAcceptableException: 406,
  CaptureLimitExceededException: 413,
  QueryTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  ImplementationException: 500,
  ServiceUnavailableException: 503,
} as const;

export type EpcisException = keyof typeof EPCIS_EXCEPTIONS;

/** Headers on every EPCIS answer: the versions this server speaks. */
export const EPCIS_VERSION_HEADERS = { "GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0" } as const;

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = "application/json",
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...EPCIS_VERSION_HEADERS, ...headers, "content-type": contentType, "content-length": Buffer.byteLength(text) });
  response.end(text);
}

/** An RFC 7807 problem whose `type` is the EPCIS exception; `detail` says what to do about it. */
export function sendProblem(response: ServerResponse, exception: EpcisException, detail: string, options: ProblemOptions = {}): void {
  const status = options.status ?? EPCIS_EXCEPTIONS[exception];
  sendJson(
    response,
    status,
    { type: `epcisException:${exception}`, title: exception, status, detail, ...options.members },
    options.headers,
    "application/problem+json",
  );
}

export interface ProblemOptions {
  headers?: Record<string, string>;
  /** When it differs from the exception's own (401 for a missing token). */
  status?: number;
  /** Extension members (RFC 7807 §3.2), e.g. the domain's refusal code. */
  members?: Record<string, unknown>;
}

/** A problem to throw from deep inside a handler; the route answers it with sendProblem. */
export class EpcisProblem extends Error {
  constructor(
    readonly exception: EpcisException,
    detail: string,
    readonly options: ProblemOptions = {},
  ) {
    super(detail);
    this.name = "EpcisProblem";
  }
}

/**
 * The request's JSON body, read only when its declared length is within `maxBytes` (413 otherwise,
 * unread) and parsed as JSON (400 otherwise), a quantity as written (`parseCaptureJson`).
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number, tooLarge: string): Promise<unknown> {
  const declared = request.headers["content-length"];
  const length = declared === undefined ? undefined : Number(declared);
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0))
    throw new EpcisProblem("ValidationException", "the Content-Length header is not a number of bytes");
  if (length !== undefined && length > maxBytes) throw new EpcisProblem("CaptureLimitExceededException", tooLarge);
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/(ld\+)?json\b/.test(type))
    throw new EpcisProblem("UnsupportedMediaTypeException", "send the document as application/json or application/ld+json");
  const body = await readBoundedBody(request, maxBytes);
  if (body === "too large") throw new EpcisProblem("CaptureLimitExceededException", tooLarge);
  if (body === "cut off") throw new EpcisProblem("ValidationException", "the request body was cut off before its end; nothing was taken: send it again");
  try {
    return parseCaptureJson(body.toString("utf8"));
  } catch {
    throw new EpcisProblem("ValidationException", "the body is not JSON: send an EPCISDocument or an EPCIS event as JSON-LD");
  }
}
