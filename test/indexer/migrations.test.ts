/**
 * Migrations that change what an existing store holds, on both engines: a store written by an older
 * version is brought up to date with its rows intact and the new columns filled from them.
 */
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustodyEvent, Lot } from "../../domain/index.js";
import type { IndexedEvent } from "../../indexer/events.js";
import { encodePayload } from "../../indexer/payload.js";
import type { Store } from "../../indexer/store/engine.js";
import { lotColumns, lotOf } from "../../indexer/store/lot-columns.js";
import { migrate } from "../../indexer/store/migrations.js";
import { movementsOfRow } from "../../indexer/store/write/balances.js";
import { txKey } from "../../indexer/store/write/tx-keys.js";
import { openPostgres } from "../../indexer/store/postgres.js";
import { openSqlite } from "../../indexer/store/sqlite.js";
import { startPostgres, type PostgresServer } from "../../scripts/harness/postgres-server.js";

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

let databases = 0;

/** A fresh PostgreSQL database on the test server. */
async function freshPostgres(name: string): Promise<Store> {
  const admin = openPostgres(postgres.url);
  await sql.raw(`create database ${name}`).execute(admin.db);
  await admin.close();
  return openPostgres(postgres.url.replace(/\/postgres$/, `/${name}`));
}

const custody = (action: "transform" | "hold" | "receive", rest: Partial<CustodyEvent>): CustodyEvent => ({
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
  { engine: "PostgreSQL", open: () => freshPostgres(`migration_${++databases}`) },
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

  it("0004 rebuilds the balance buckets with each transform's norm use, from the events of a store written before it", async () => {
    const store = await open();
    try {
      const db = store.db as unknown as Kysely<unknown>;
      await migrate(db, store.engine, "0003_events_flagged");
      const fabric = (quantity: bigint, state: Lot["state"]): Lot => ({ ...LOT, quantity, state });
      const history: Array<[bigint, CustodyEvent]> = [
        [1n, custody("receive", { time: DAY, transitions: [{ from: "RELEASED", lot: fabric(1_000n, "IN_PRODUCTION") }] })],
        [
          2n,
          custody("transform", {
            time: DAY + 3_600n,
            flagged: true,
            deviations: [
              { material: "FABRIC", expected: 252n, consumed: 300n },
              { material: "THREAD", expected: 60n, consumed: 0n },
            ],
            consumed: [{ lot: "LOT-F1", quantity: 300n }],
            transitions: [
              { from: "NONE", lot: { ...LOT, id: "LOT-P1", material: "SHIRT", quantity: 200n, state: "PRODUCED" } },
              { from: "IN_PRODUCTION", lot: fabric(700n, "IN_PRODUCTION") },
            ],
          }),
        ],
        [
          3n,
          custody("transform", {
            time: 2n * DAY,
            deviations: [{ material: "FABRIC", expected: 630n, consumed: 600n }],
            consumed: [{ lot: "LOT-F1", quantity: 600n }],
            transitions: [{ from: "IN_PRODUCTION", lot: fabric(100n, "IN_PRODUCTION") }],
          }),
        ],
      ];
      await store.db.insertInto("chains").values({ number: 1n, id: "old chain", block_number: 3n, block_hash: "0x03" }).execute();
      for (const [id, event] of history) {
        await (db as Kysely<{ events: Record<string, unknown> }>)
          .insertInto("events")
          .values({
            id,
            chain: 1n,
            block_number: id,
            tx_hash: `0x${id.toString(16).padStart(64, "0")}`,
            event_index: 0n,
            time: event.time,
            kind: event.action,
            lot: event.transitions[0]!.lot.id,
            actor: event.actor,
            facility: event.facility,
            payload: encodePayload(event),
            flagged: event.flagged ? 1n : 0n,
          })
          .execute();
        await (db as Kysely<{ lot_transitions: Record<string, unknown> }>)
          .insertInto("lot_transitions")
          .values(
            event.transitions.map(({ from, lot }, position) => ({
              event_id: id,
              position: BigInt(position),
              lot: lot.id,
              from_state: from,
              ...columnsBefore0012(lot),
            })),
          )
          .execute();
      }
      // The buckets as the version before 0004 kept them: stock movements only.
      await (db as Kysely<{ material_balances: Record<string, unknown> }>)
        .insertInto("material_balances")
        .values([
          { enterprise: "ENT-1", material: "FABRIC", day: DAY, received: "1000", consumed: "300", destroyed: "0", events: 2n },
          { enterprise: "ENT-1", material: "FABRIC", day: 2n * DAY, received: "0", consumed: "600", destroyed: "0", events: 1n },
        ])
        .execute();

      await migrate(db, store.engine);

      const buckets = await store.db.selectFrom("material_balances").selectAll().orderBy("material").orderBy("day").execute();
      expect(buckets.map((row) => ({ material: row.material, day: row.day, events: row.events, ...movementsOfRow(row) }))).toEqual([
        { material: "FABRIC", day: DAY, events: 2n, received: 1_000n, consumed: 300n, destroyed: 0n, allowed: 252n, overConsumed: 300n, overAllowed: 252n },
        { material: "FABRIC", day: 2n * DAY, events: 1n, received: 0n, consumed: 600n, destroyed: 0n, allowed: 630n, overConsumed: 0n, overAllowed: 0n },
        // The norm allowed thread the transform did not use: a bucket for it, moved by that transform alone.
        { material: "THREAD", day: DAY, events: 1n, received: 0n, consumed: 0n, destroyed: 0n, allowed: 60n, overConsumed: 0n, overAllowed: 0n },
      ]);
    } finally {
      await store.close();
    }
  });

  it("0014 gives each bucket of a store written before it the stock at its day's close, and leaves the buckets' figures as they were", async () => {
    const store = await open();
    try {
      const db = store.db as unknown as Kysely<unknown>;
      await migrate(db, store.engine, "0013_seal_reports");
      const bucket = (enterprise: string, material: string, day: bigint, received: string, consumed: string, destroyed: string) => ({
        enterprise,
        material,
        day,
        received,
        consumed,
        destroyed,
        allowed: "7",
        over_consumed: "0",
        over_allowed: "0",
        events: 2n,
      });
      // Two enterprises' materials, days out of insertion order, a stock that goes below zero and figures beyond 2^64.
      const written = [
        bucket("ENT-1", "FABRIC", 3n * DAY, "0", "600", "0"),
        bucket("ENT-1", "FABRIC", DAY, "1000", "300", "0"),
        bucket("ENT-1", "FABRIC", 2n * DAY, "0", "200", "50"),
        bucket("ENT-1", "THREAD", DAY, "40000000000000000000000", "1", "0"),
        bucket("ENT-2", "FABRIC", 2n * DAY, "5", "0", "0"),
      ];
      await (db as Kysely<{ material_balances: Record<string, unknown> }>).insertInto("material_balances").values(written).execute();

      await migrate(db, store.engine);

      const buckets = await store.db.selectFrom("material_balances").selectAll().orderBy("enterprise").orderBy("material").orderBy("day").execute();
      expect(buckets.map(({ enterprise, material, day, closing }) => [enterprise, material, day, closing])).toEqual([
        ["ENT-1", "FABRIC", DAY, "700"],
        ["ENT-1", "FABRIC", 2n * DAY, "450"],
        ["ENT-1", "FABRIC", 3n * DAY, "-150"],
        ["ENT-1", "THREAD", DAY, "39999999999999999999999"],
        ["ENT-2", "FABRIC", 2n * DAY, "5"],
      ]);
      expect(buckets.map(({ closing: _, ...figures }) => figures)).toEqual(
        [...written].sort((a, b) =>
          (a.enterprise + a.material + String(a.day).padStart(12)).localeCompare(b.enterprise + b.material + String(b.day).padStart(12)),
        ),
      );
    } finally {
      await store.close();
    }
  });

  it("0006 hashes the custody events of the actions there were then: its result does not grow with the list", async () => {
    const store = await open();
    try {
      const db = store.db as unknown as Kysely<unknown>;
      await migrate(db, store.engine, "0005_capture");
      const held = custody("hold", {
        actor: "CUSTOMS",
        reason: "tip-off",
        transitions: [{ from: "IN_WAREHOUSE", lot: { ...LOT, state: "HELD", priorState: "IN_WAREHOUSE" } }],
      });
      // A kind 0006 did not know (no store before it could hold one): left as 0006 left it, unhashed.
      const later = { ...held, action: "seal" as const };
      await store.db.insertInto("chains").values({ number: 1n, id: "old chain", block_number: 2n, block_hash: "0x02" }).execute();
      for (const [id, event] of [
        [1n, held],
        [2n, later],
      ] as const) {
        await (db as Kysely<{ events: Record<string, unknown> }>)
          .insertInto("events")
          .values({
            id,
            chain: 1n,
            block_number: id,
            tx_hash: `0x${id.toString(16).padStart(64, "0")}`,
            event_index: 0n,
            time: event.time,
            kind: event.action,
            lot: LOT.id,
            actor: event.actor,
            facility: event.facility,
            payload: encodePayload(event),
            flagged: 0n,
          })
          .execute();
        await (db as Kysely<{ lot_transitions: Record<string, unknown> }>)
          .insertInto("lot_transitions")
          .values({ event_id: id, position: 0n, lot: LOT.id, from_state: "IN_WAREHOUSE", ...columnsBefore0012(event.transitions[0]!.lot) })
          .execute();
      }

      await migrate(db, store.engine, "0006_epcis_event_ids");

      const hashes = await store.db.selectFrom("events").select(["id", "epcis_hash"]).orderBy("id").execute();
      expect(hashes[0]!.epcis_hash).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      expect(hashes[1]!.epcis_hash).toBeNull();
    } finally {
      await store.close();
    }
  });

  it("0012 gives every lot and transition indexed before it the transit fields of a lot never in transit", async () => {
    const store = await open();
    try {
      const db = store.db as unknown as Kysely<unknown>;
      await migrate(db, store.engine, "0011_catch_up");
      const before = { ...LOT, quantity: 500n };
      const row = { id: LOT.id, ...columnsBefore0012(before), last_event: 1n, stage_since: 10n, stage_event: 1n };
      await (db as Kysely<{ lots: typeof row }>).insertInto("lots").values(row).execute();
      await (db as Kysely<{ lot_transitions: Record<string, unknown> }>)
        .insertInto("lot_transitions")
        .values({ event_id: 1n, position: 0n, lot: LOT.id, from_state: "RELEASED", ...columnsBefore0012(before) })
        .execute();

      await migrate(db, store.engine);

      const lots = await store.db.selectFrom("lots").selectAll().execute();
      expect(lots).toEqual([{ ...row, seal: "", destination: "", deadline: 0n }]);
      const [transition] = await store.db.selectFrom("lot_transitions").selectAll().execute();
      expect(lotOf(transition!.lot, transition!)).toEqual(before);
      // A sealed lot's fields are kept as written.
      const sealed: Lot = { ...before, state: "IN_TRANSIT", seal: "ESEAL-1", destination: "WH-2", deadline: 1_800_000_000n };
      await store.db.updateTable("lots").set(lotColumns(sealed)).execute();
      const [stored] = await store.db.selectFrom("lots").selectAll().execute();
      expect(lotOf(stored!.id, stored!)).toEqual(sealed);
    } finally {
      await store.close();
    }
  });

  it("0010 keys events by their position: every row kept, each transaction's key filled, the other indexes rebuilt", async () => {
    const store = await open();
    try {
      const db = store.db as unknown as Kysely<unknown>;
      await migrate(db, store.engine, "0009_compact_event_indexes");
      const rows = [1n, 2n, (5n << 20n) + 3n].map((id, i) => ({
        id,
        chain: 1n,
        block_number: id >> 20n,
        // An EVM hash, a Fabric transaction id (no 0x), and an id that is no hex at all.
        tx_hash: [`0x${"f".repeat(16)}${"0".repeat(48)}`, "0123456789abcdef".repeat(4), "tx one"][i]!,
        event_index: id & 0xfffffn,
        time: 1_700_000_000n + id,
        kind: "hold",
        lot: i === 0 ? "LOT-1" : null,
        actor: "CUSTOMS",
        facility: i === 2 ? "GATE-1" : null,
        payload: "{}",
        flagged: BigInt(i % 2),
        epcis_hash: i === 0 ? `ni:///sha-256;${"ab".repeat(32)}?ver=CBV2.0` : null,
        epcis_key: i === 0 ? -6_076_574_518_398_440_533n : null,
      }));
      await store.db.insertInto("chains").values({ number: 1n, id: "old chain", block_number: 5n, block_hash: "0x05" }).execute();
      await (db as Kysely<{ events: (typeof rows)[number] }>).insertInto("events").values(rows).execute();

      await migrate(db, store.engine);

      const migrated = await store.db.selectFrom("events").selectAll().orderBy("id").execute();
      expect(migrated).toEqual(rows.map((row) => ({ ...row, tx_key: txKey(row.tx_hash) })));
      expect(migrated.map(({ tx_key }) => tx_key)).toEqual([-1n, 0x0123456789abcdefn, txKey("tx one")]);
      const indexes =
        store.engine === "sqlite"
          ? (await sql<{ name: string }>`select name from pragma_index_list('events')`.execute(store.db)).rows.map(({ name }) => name)
          : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'events'`.execute(store.db)).rows
              .map(({ name }) => name)
              .filter((name) => name !== "events_pkey");
      expect(indexes.sort()).toEqual([
        "events_actor",
        "events_epcis_key",
        "events_facility",
        "events_flagged",
        "events_kind",
        "events_norms",
        "events_time",
        "events_tx_key",
      ]);
    } finally {
      await store.close();
    }
  });
});

const DAY = 86_400n * 20_000n;
const LOT: Lot = {
  id: "LOT-F1",
  material: "FABRIC",
  hsCode: "52085200",
  unit: "MTR",
  quantity: 0n,
  owner: "ENT-1",
  custodian: "ENT-1",
  location: "FACTORY-1",
  state: "IN_PRODUCTION",
  priorState: "NONE",
  direction: "IMPORT",
  preferenceClaimed: false,
  permitRequired: false,
  declaration: null,
  seal: "",
  destination: "",
  deadline: 0n,
};

/** A lot's columns as a store before migration 0012 held them: without the transit fields. */
function columnsBefore0012(lot: Lot) {
  const { seal: _seal, destination: _destination, deadline: _deadline, ...columns } = lotColumns(lot);
  return columns;
}
