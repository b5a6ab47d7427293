/**
 * GET /dev/tokens, the start page's development sign-in: with a local signing key, a token for every
 * organisation the store knows at the time of the request (so those registered after start too), with
 * its kind's roles; without one, an empty list. Whoever reaches the port may act as anyone: development only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Kysely } from "kysely";
import type { Database } from "../../indexer/store/index.js";
import { devTokensForOrganisations } from "./dev-token-list.js";
import type { DevTokenIssuer } from "./dev-tokens.js";

export const DEV_TOKENS_PATH = "/dev/tokens";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Answers GET /dev/tokens; false for any other request. Tokens only to a request addressed to loopback or
 * to the address the API listens on: a page on another site that rebinds its name to this address gets 403.
 */
export async function serveDevTokens(
  request: IncomingMessage,
  response: ServerResponse,
  db: Kysely<Database>,
  issuer: DevTokenIssuer | undefined,
  listenHost: string,
): Promise<boolean> {
  if (request.method !== "GET" || new URL(request.url ?? "/", "http://localhost").pathname !== DEV_TOKENS_PATH) return false;
  const addressed = URL.canParse(`http://${request.headers.host ?? ""}`) ? new URL(`http://${request.headers.host}`).hostname : "";
  if (issuer !== undefined && !LOOPBACK.has(addressed) && addressed !== listenHost) {
    response.writeHead(403, { "content-type": "application/json" }).end(
      JSON.stringify({
        errors: [
          { message: `development tokens are given only at a loopback address, not ${addressed || "an unnamed host"}`, extensions: { code: "FORBIDDEN" } },
        ],
      }),
    );
    return true;
  }
  const tokens = issuer === undefined ? [] : await devTokensForOrganisations(issuer, db);
  response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  response.end(JSON.stringify({ tokens }));
  return true;
}
