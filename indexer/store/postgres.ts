/** The scale-out store: PostgreSQL through pg's pool, with the same Kysely schema as SQLite. */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Store } from "./engine.js";
import type { Database } from "./schema.js";

const INT8 = 20;

/** bigint columns read as bigint (pg's default is a string); numeric quantities stay decimal strings. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    return oid === INT8 ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format);
  },
};

export function openPostgres(connectionString: string): Store {
  const pool = new pg.Pool({ connectionString, types, max: 4 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: "postgres", close: () => db.destroy() };
}
