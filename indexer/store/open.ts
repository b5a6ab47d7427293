import type { Kysely } from "kysely";
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
    await store.close();
    throw error;
  }
  return store;
}
