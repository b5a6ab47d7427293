/** The scale-out store: PostgreSQL through pg's pool, with the same Kysely schema as SQLite. */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Store } from "./engine.js";
import { PreparedReads } from "./prepared-reads.js";
import type { Database } from "./schema.js";
import { warnOnStderr } from "./warnings.js";

const INT8 = 20;

/** bigint columns read as bigint (pg's default is a string); numeric quantities stay decimal strings. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    return oid === INT8 ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format);
  },
};

/** Says on stderr that an idle connection was lost: the operator sees a restart or a cut the reads themselves survive. */
function warnIdleConnectionLost(error: Error): void {
  warnOnStderr(`PostgreSQL closed an idle store connection (${error.message}); the next read opens another`);
}

/** `onIdleConnectionLost`: hears of each idle connection the server closed (default: a warning on stderr). */
export function openPostgres(connectionString: string, { onIdleConnectionLost = warnIdleConnectionLost } = {}): Store {
  // Idle connections stay open: pg's default closes them after 10 s, and the next request then paid for a
  // new connection and a cold server backend (a lot history after 11 s idle: 64-70 ms, against 9-11 ms).
  const pool = new pg.Pool({ connectionString, types, max: 4, idleTimeoutMillis: 0, Client: preparingClient(new PreparedReads()) });
  // A connection the server closes while it sits idle (a restart, pg_terminate_backend, a network cut) is
  // dropped by the pool, and the next read opens another; unheard, its error would end the process.
  pool.on("error", onIdleConnectionLost);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: "postgres", close: () => db.destroy() };
}

/** Code of "cached plan must not change result type": a table a prepared `select *` reads gained or lost a column. */
const PLAN_CHANGED_RESULT = "0A000";

/**
 * pg's client, running the reads `reads` names as named prepared statements: PostgreSQL parses each
 * once per connection and, once it finds a generic plan as good as the custom ones, stops planning it.
 * Half a millisecond of a document read's was planning (measured by the server's statement log).
 */
function preparingClient(reads: PreparedReads): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    // pg's query is overloaded (text, config, submittable, callback): only (text, values) calls, Kysely's, are named.
    override query(...args: unknown[]): never {
      const [text, values] = args;
      const name = typeof text === "string" && args.length <= 2 ? reads.nameOf(text, (values as unknown[] | undefined)?.length ?? 0) : undefined;
      if (name === undefined) return (super.query as (...all: unknown[]) => never)(...args);
      return super.query({ text: text as string, values: values as unknown[], name }).catch((error: { code?: string }) => {
        if (error.code !== PLAN_CHANGED_RESULT) throw error;
        // A migration changed a table under the prepared statement: prepare it afresh under a new name.
        reads.forget(text as string);
        return super.query(text as string, values as unknown[]);
      }) as never;
    }
  } as typeof pg.Client;
}
