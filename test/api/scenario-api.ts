/** The API served over the scenario's store, with a token for each kind of caller and a small GraphQL client. */
import type { Role } from "../../domain/index.js";
import { API_AUDIENCE, DEV_TOKEN_ISSUER, devTokenIssuer, type DevTokenIssuer } from "../../api/auth/dev-tokens.js";
import { startApiServer, type ApiServer, type ApiServerOptions } from "../../api/server.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { scenarioStore, type Engine, type ScenarioStore } from "./scenario-store.js";

/** The callers of the scenario: one per audience, and a second enterprise. */
export const CALLERS = {
  auditor: ["CUSTOMS", "AUDITOR"],
  enterprise: ["ENT-1", "OPERATOR"],
  otherEnterprise: ["ENT-2", "OPERATOR"],
  warehouse: ["TERMINAL", "OPERATOR"],
  issuer: ["VCCI", "SIGNER"],
} as const satisfies Record<string, readonly [string, Role]>;

export type Caller = keyof typeof CALLERS;

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }>;
}

export interface ScenarioApi extends ScenarioStore {
  server: ApiServer;
  issuer: DevTokenIssuer;
  tokens: Record<Caller, string>;
  /** Sends a query as `caller` (a name from CALLERS, a raw token, or null for none). */
  query<T = Record<string, any>>(caller: Caller | { token: string } | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startScenarioApi(options: Partial<ApiServerOptions> = {}, engine: Engine = "sqlite"): Promise<ScenarioApi> {
  const scenario = await scenarioStore(engine);
  const issuer = await devTokenIssuer();
  const server = await startApiServer({
    store: scenario.store,
    tokens: { keys: issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE },
    feedPollMs: 50,
    ...options,
  });
  const tokens = Object.fromEntries(
    await Promise.all(Object.entries(CALLERS).map(async ([caller, [org, role]]) => [caller, await issuer.mint(org, role)])),
  ) as Record<Caller, string>;
  return {
    ...scenario,
    server,
    issuer,
    tokens,
    async query(caller, query, variables) {
      const token = caller === null ? undefined : typeof caller === "string" ? tokens[caller] : caller.token;
      const response = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", [CSRF_HEADER]: "1", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async close() {
      await server.close();
      await scenario.close();
    },
  };
}
