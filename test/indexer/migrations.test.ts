/**
 * Migrations that change what an existing store holds, on both engines: a store written by an older
 * version is brought up to date with its rows intact and the new columns filled from them.
 */
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustodyEvent } from "../../domain/index.js";
import type { IndexedEvent } from "../../indexer/events.js";
import { encodePayload } from "../../indexer/payload.js";
import type { Store } from "../../indexer/store/engine.js";
import { migrate } from "../../indexer/store/migrations.js";
import { openPostgres } from "../../indexer/store/postgres.js";
import { openSqlite } from "../../indexer/store/sqlite.js";
import { startPostgres, type PostgresServer } from "./postgres-server.js";

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

/** A fresh PostgreSQL database on the test server. */
async function freshPostgres(name: string): Promise<Store> {
  const admin = openPostgres(postgres.url);
  await sql.raw(`create database ${name}`).execute(admin.db);
  await admin.close();
  return openPostgres(postgres.url.replace(/\/postgres$/, `/${name}`));
}

const custody = (action: "transform" | "hold", rest: Partial<CustodyEvent>): CustodyEvent => ({
  type: "custody",
  action,
  actor: "ENT-1",
  facility: "FACTORY-1",
  documents: [],
  reason: "",
  deviations: [],
  flagged: false,
  consumed: [],
  transitions: [],
  time: 1_700_000_000n,
  ...rest,
});

const EVENTS: Array<[bigint, IndexedEvent]> = [
  [1n, custody("transform", { flagged: true, deviations: [{ material: "FABRIC", expected: 252n, consumed: 300n }] })],
  [2n, custody("transform", { deviations: [{ material: "THREAD", expected: 60n, consumed: 50n }] })],
  // The words inside a reason are a JSON string: their quotes are escaped, so they are no flag.
  [3n, custody("hold", { actor: "CUSTOMS", reason: 'tip-off: "flagged":true by the risk engine' })],
];

describe.each([
  { engine: "SQLite", open: async () => openSqlite(":memory:") },
  { engine: "PostgreSQL", open: () => freshPostgres("migration_0003") },
])("migrations on $engine", ({ open }) => {
  it("0003 fills events.flagged from the payloads of a store written before it", async () => {
    const store = await open();
    try {
      const db = store.db as unknown as Kysely<unknown>;
      await migrate(db, store.engine, "0002_events_by_actor_kind_time");
      const rows = EVENTS.map(([id, event]) => ({
        id,
        chain: 1n,
        block_number: id,
        tx_hash: `0x${id.toString(16).padStart(64, "0")}`,
        event_index: 0n,
        time: event.time,
        kind: event.type === "custody" ? event.action : event.type,
        lot: null,
        actor: event.type === "custody" ? event.actor : null,
        facility: null,
        payload: encodePayload(event),
      }));
      await store.db.insertInto("chains").values({ number: 1n, id: "old chain", block_number: 3n, block_hash: "0x03" }).execute();
      await (db as Kysely<{ events: (typeof rows)[number] }>).insertInto("events").values(rows).execute();

      await migrate(db, store.engine);

      const migrated = await store.db.selectFrom("events").select(["id", "flagged", "payload"]).orderBy("id").execute();
      expect(migrated.map(({ id, flagged }) => [id, flagged])).toEqual([
        [1n, 1n],
        [2n, 0n],
        [3n, 0n],
      ]);
      expect(migrated.map(({ payload }) => payload)).toEqual(rows.map(({ payload }) => payload));
    } finally {
      await store.close();
    }
  });
});
