/** Development tokens for every organisation the store knows, with its kind's usual roles: what a local start prints. */
import type { Kysely } from "kysely";
import type { OrgKind, Role } from "../../domain/index.js";
import type { Database } from "../../indexer/store/index.js";
import { DEV_ROLES_BY_KIND, type DevTokenIssuer } from "./dev-tokens.js";

export interface DevToken {
  org: string;
  role: Role;
  token: string;
}

export async function devTokensForOrganisations(dev: DevTokenIssuer, db: Kysely<Database>): Promise<DevToken[]> {
  const organisations = await db.selectFrom("organisations").select(["id", "kind"]).orderBy("id").execute();
  const tokens: DevToken[] = [];
  for (const { id, kind } of organisations) {
    for (const role of DEV_ROLES_BY_KIND[kind as OrgKind]) tokens.push({ org: id, role, token: await dev.mint(id, role) });
  }
  return tokens;
}

/** The tokens as lines to print. */
export function formatDevTokens(tokens: readonly DevToken[]): string {
  if (tokens.length === 0) return "No organisations in the store yet: run the indexer first.\n";
  const lines = ["Development tokens (12 h; paste one into the start page):"];
  for (const { org, role, token } of tokens) lines.push(`  ${`${org}/${role}`.padEnd(28)} ${token}`);
  return `${lines.join("\n")}\n`;
}
