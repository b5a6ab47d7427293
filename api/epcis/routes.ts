/**
 * The EPCIS 2.0 REST bindings under /epcis: capture (jobs and single events) and query (events, the
 * discovery endpoints). Every request is authenticated by the API's bearer token; the token's
 * organisation and role are who acts and what can be seen, with the same visibility rule as GraphQL.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Kysely } from "kysely";
import { GraphQLError } from "graphql";
import { isDiskFull, type Database } from "../../indexer/store/index.js";
import { requestCaller, type RequestCaller } from "../auth/request-caller.js";
import type { TokenVerifier } from "../auth/tokens.js";
import type { Viewer } from "../auth/viewer.js";
import type { CaptureJobs } from "../capture/jobs.js";
import { STORAGE_FULL_MESSAGE } from "../errors.js";
import { serveEpcisCapture } from "./capture-routes.js";
import { EPCIS_PATH, EpcisProblem, sendProblem } from "./http.js";
import { serveEpcisQuery } from "./query-routes.js";

export interface EpcisRoutes {
  db: Kysely<Database>;
  tokens: TokenVerifier;
  /** Null on a read-only API: capture then answers 403, saying why. */
  capture: CaptureJobs | null;
  /** Where unexpected failures are reported (the client gets ImplementationException without detail). */
  logError: (error: unknown) => void;
}

/** A verified caller: the viewer is never null here. */
export type EpcisCaller = RequestCaller & { viewer: Viewer };

/** Answers the request when its path is under /epcis; false otherwise. */
export async function serveEpcis(request: IncomingMessage, response: ServerResponse, routes: EpcisRoutes): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (url.pathname !== EPCIS_PATH && !url.pathname.startsWith(`${EPCIS_PATH}/`)) return false;
  // The JSON-LD context is public, like the pages that serve it (static-pages.ts).
  if (url.pathname === `${EPCIS_PATH}/context.jsonld`) return false;
  try {
    const caller = await authenticate(request, routes);
    if (typeof caller === "string") {
      sendProblem(response, "SecurityException", caller, { headers: { "www-authenticate": "Bearer" }, status: 401 });
      return true;
    }
    if (await serveEpcisCapture(request, response, url, caller, routes)) return true;
    if (await serveEpcisQuery(request, response, url, caller, routes)) return true;
    sendProblem(response, "NoSuchResourceException", `${url.pathname} is not an EPCIS endpoint of this server (GET ${EPCIS_PATH} lists them)`);
  } catch (error) {
    if (response.headersSent) response.destroy();
    else if (error instanceof EpcisProblem) sendProblem(response, error.exception, error.message, error.options);
    else {
      routes.logError(error);
      if (isDiskFull(error)) sendProblem(response, "ServiceUnavailableException", STORAGE_FULL_MESSAGE, { headers: { "retry-after": "60" } });
      else sendProblem(response, "ImplementationException", "the server failed to answer; the failure is in its log");
    }
  }
  return true;
}

/** The verified caller, or why there is none. */
async function authenticate(request: IncomingMessage, routes: EpcisRoutes): Promise<EpcisCaller | string> {
  try {
    const caller = await requestCaller(routes.db, routes.tokens, request.headers.authorization ?? null);
    return caller.viewer === null ? "send the API's bearer token: Authorization: Bearer <token>" : (caller as EpcisCaller);
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === "UNAUTHENTICATED") return error.message;
    throw error;
  }
}
