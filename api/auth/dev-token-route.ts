/**
 * GET /dev/tokens, the start page's development sign-in: with a local signing key, a token for every
 * organisation the store knows at the time of the request (so those registered after start too), with
 * its kind's roles; without one, an empty list. Whoever reaches the port may act as anyone: development only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Kysely } from "kysely";
import type { Database } from "../../indexer/store/schema.js";
import { devTokensForOrganisations } from "./dev-token-list.js";
import type { DevTokenIssuer } from "./dev-tokens.js";

export const DEV_TOKENS_PATH = "/dev/tokens";

/** Answers GET /dev/tokens; false for any other request. */
export async function serveDevTokens(request: IncomingMessage, response: ServerResponse, db: Kysely<Database>, issuer: DevTokenIssuer | undefined): Promise<boolean> {
  if (request.method !== "GET" || new URL(request.url ?? "/", "http://localhost").pathname !== DEV_TOKENS_PATH) return false;
  const tokens = issuer === undefined ? [] : await devTokensForOrganisations(issuer, db);
  response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  response.end(JSON.stringify({ tokens }));
  return true;
}
