import { sql, type Kysely } from "kysely";
import type { FindingSettings } from "../findings/settings.js";
import type { Store } from "./engine.js";
import { migrate } from "./migrations.js";
import { openSqlite } from "./sqlite.js";

/**
 * Opens the store a URL names and brings its schema up to date: `postgres://…` or `postgresql://…`
 * for PostgreSQL, anything else is the path of an SQLite file (an optional `sqlite:` prefix is dropped).
 * `findings`: the thresholds its indexer judges findings by (indexer/findings/settings.ts).
 * pg is loaded only for PostgreSQL (it adds to every start of the indexer command otherwise).
 */
export async function openStore(url: string, options: { findings?: FindingSettings } = {}): Promise<Store> {
  const opened = /^postgres(ql)?:\/\//.test(url) ? (await import("./postgres.js")).openPostgres(url) : openSqlite(url.replace(/^sqlite:/, ""));
  const store: Store = options.findings === undefined ? opened : Object.assign(opened, { findings: options.findings });
  try {
    await migrate(store.db as unknown as Kysely<unknown>, store.engine);
  } catch (error) {
    const replica = store.engine === "postgres" && (await isReadOnlyReplica(store.db as unknown as Kysely<unknown>));
    await store.close();
    if (replica) {
      throw new Error(
        "the store is a read-only PostgreSQL replica, and this version must first migrate it: run this version's indexer against the primary, then start this again",
        { cause: error },
      );
    }
    throw error;
  }
  return store;
}

/** A hot standby answers reads only; a store there can be opened only once the primary is migrated. */
async function isReadOnlyReplica(db: Kysely<unknown>): Promise<boolean> {
  try {
    return (await sql<{ replica: boolean }>`select pg_is_in_recovery() as replica`.execute(db)).rows[0]?.replica === true;
  } catch {
    return false;
  }
}
