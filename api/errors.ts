/**
 * The API's stable error codes (GraphQL `extensions.code`). Clients branch on the code, never on the
 * message. Anything unexpected reaches the client as INTERNAL with no detail (masking, see yoga.ts).
 */
import { GraphQLError } from "graphql";

export const API_ERROR_CODES = [
  /** No bearer token, or one the API cannot verify. */
  "UNAUTHENTICATED",
  /** The caller's organisation and role may not see this, or this API cannot act for them (no writer, no key). */
  "FORBIDDEN",
  "NOT_FOUND",
  /** An argument is malformed (a hash, a period, a proof file, a balance report). */
  "BAD_USER_INPUT",
  "QUERY_TOO_DEEP",
  "QUERY_TOO_COSTLY",
  "TOO_MANY_ALIASES",
  "TOO_MANY_TOKENS",
  "TOO_MANY_DIRECTIVES",
  /** The query is not valid against the schema (or cannot be parsed). */
  "GRAPHQL_VALIDATION_FAILED",
  /** A request a cross-site page could have sent (no CSRF header): refused with HTTP 403. */
  "CSRF_HEADER_MISSING",
  /** The request took longer than the API allows. */
  "TIMEOUT",
  /** The request body is larger than the API accepts (an upload over the limit, an oversized query). */
  "PAYLOAD_TOO_LARGE",
  /** The answer would be larger than one response may carry: ask for smaller pages or fewer lists. */
  "RESPONSE_TOO_LARGE",
  /** The ledger's rules refused a custody action: `extensions.reason` is the domain's code (ILLEGAL_TRANSITION, …); nothing changed. */
  "REFUSED",
  /** The ledger could not be reached to act: nothing is known to have changed; send the same eventId again. */
  "LEDGER_UNAVAILABLE",
  /** The node could not record the request, its disk being full (HTTP 503): send the same eventId again once space is freed. */
  "STORAGE_FULL",
  "INTERNAL",
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** An error with its stable code; `status` sets the HTTP status when the error ends the request. */
export function apiError(code: ApiErrorCode, message: string, status?: number, extensions: Record<string, string> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, ...(status === undefined ? {} : { http: { status } }) } });
}

export const notFound = (what: string) => apiError("NOT_FOUND", `${what} does not exist`);

/** What a caller is told when the node's disk is full; its operator reads the error itself in the log. */
export const STORAGE_FULL_MESSAGE =
  "the node could not record this: its disk is full. Send it again, with the same event id, once its operator has freed space: it is applied once";
export const badInput = (message: string) => apiError("BAD_USER_INPUT", message);
