/**
 * The PostgreSQL store's connections: kept open while idle (a new connection and a cold server backend
 * cost a history request about 60 ms), and when the server closes one that sits idle (a restart,
 * pg_terminate_backend, a network cut) the process carries on, says so, and the next read opens another.
 */
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../indexer/store/postgres.js";
import type { Store } from "../../indexer/store/index.js";
import { startPostgres, type PostgresServer } from "../../scripts/harness/postgres-server.js";

/** How long pg.Pool keeps an idle connection unless told otherwise. */
const PG_DEFAULT_IDLE_TIMEOUT_MS = 10_000;

let server: PostgresServer;
let store: Store;
let admin: pg.Client;
const lost: Error[] = [];
let heardLost: () => void = () => {};
beforeAll(async () => {
  server = await startPostgres();
  store = openPostgres(server.url, {
    onIdleConnectionLost: (error) => {
      lost.push(error);
      heardLost();
    },
  });
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
}, 60_000);
afterAll(async () => {
  await store?.close();
  await admin?.end();
  await server?.stop();
});

const backend = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db)).rows[0]!.pid;

/** Until the server no longer lists backend `pid`: by then it has told the store's connection. */
async function gone(pid: number): Promise<void> {
  for (;;) {
    const { rows } = await admin.query("select 1 from pg_stat_activity where pid = $1", [pid]);
    if (rows.length === 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("the PostgreSQL store's connections", () => {
  it("survives the server closing an idle connection, says so, and reads on through a new one", async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", record);
    try {
      const first = await backend();
      const warned = new Promise<void>((resolve) => {
        heardLost = resolve;
      });
      await admin.query("select pg_terminate_backend($1)", [first]);
      await gone(first);
      await warned;
      // A read handed the closed connection before its socket said so fails, as any read would while
      // the server is away; the store reads again once it has let that connection go.
      let next: number | undefined;
      while (next === undefined) next = await backend().catch(() => undefined);
      expect(next).not.toBe(first);
      expect(uncaught).toEqual([]);
      expect(lost[0]?.message).toMatch(/terminat/);
    } finally {
      process.off("uncaughtException", record);
    }
  });

  it("keeps an idle connection past pg's default idle timeout (ten seconds)", async () => {
    const before = await backend();
    // Time itself is what is tested: nothing signals that a connection was not closed.
    await new Promise((resolve) => setTimeout(resolve, PG_DEFAULT_IDLE_TIMEOUT_MS + 500));
    expect(await backend()).toBe(before);
  }, 30_000);
});
