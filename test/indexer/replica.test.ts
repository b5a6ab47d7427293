/**
 * The audit API over a read-only PostgreSQL streaming replica (docs/scale.md, "Read replicas for the
 * API"): the indexer writes the primary, a hot standby copied by pg_basebackup replays it, and the
 * store opens there without writing once the primary is migrated; the API answers from it. A store the
 * replica would have to migrate is refused with what to do.
 */
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Indexer } from "../../indexer/indexer.js";
import { dumpHash } from "../../indexer/store/dump.js";
import { migrate } from "../../indexer/store/migrations.js";
import { openStore } from "../../indexer/store/open.js";
import { openPostgres } from "../../indexer/store/postgres.js";
import { probeApi } from "../../scripts/bench/api-probe.js";
import { HISTORY, samplesOf } from "../../scripts/bench/api.js";
import { startPostgres, type PostgresServer } from "../../scripts/harness/postgres-server.js";
import { ScenarioLedger } from "../../scripts/workloads/scenario-ledger.js";
import { CUSTOMS } from "../../seeds/registry.js";
import { generateScenario } from "../../seeds/scenario.js";
import { failFast } from "./fail-fast.js";

let primary: PostgresServer;
let replica: PostgresServer;

beforeAll(async () => {
  primary = await startPostgres();
  replica = await startPostgres({ replicaOf: primary });
}, 60_000);
afterAll(async () => {
  await replica?.stop();
  await primary?.stop();
});

/** Waits until the replica has replayed everything the primary had written when this was called. */
async function replayed(): Promise<void> {
  const writer = openPostgres(primary.url);
  const reader = openPostgres(replica.url);
  try {
    // The insert position, not pg_current_wal_lsn (what is written so far): the tests' PostgreSQL
    // commits asynchronously, so the last commit's record may not be written yet when this asks.
    const { lsn } = (await sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(writer.db)).rows[0]!;
    for (;;) {
      const { caught } = (await sql<{ caught: boolean }>`select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as caught`.execute(reader.db)).rows[0]!;
      if (caught) return;
      // WAL replay has no notification a client can wait on: ask again shortly.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await writer.close();
    await reader.close();
  }
}

describe("the store on a read-only replica", () => {
  beforeAll(async () => {
    const store = await openStore(primary.url);
    try {
      const indexer = await Indexer.open(
        store,
        new ScenarioLedger(generateScenario({ seed: 5, events: 2_000 })),
        { finality: 0, batchBlocks: 5_000, pollMs: 0 },
        failFast,
      );
      await indexer.run({ untilHead: true });
    } finally {
      await store.close();
    }
    await replayed();
  }, 120_000);

  it("opens without writing and holds what the indexer wrote on the primary", async () => {
    const [onPrimary, onReplica] = [await openStore(primary.url), await openStore(replica.url)];
    try {
      expect(
        Number(
          (
            await onReplica.db
              .selectFrom("events")
              .select((eb) => eb.fn.countAll<bigint>().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ).toBeGreaterThan(1_500);
      expect(await dumpHash(onReplica)).toBe(await dumpHash(onPrimary));
      // It is a replica: writes are refused there.
      await expect(onReplica.db.deleteFrom("findings").execute()).rejects.toThrow(/read-only/);
    } finally {
      await onPrimary.close();
      await onReplica.close();
    }
  });

  it("serves the audit API as its own processes", async () => {
    const samples = await samplesOf(replica.url);
    const api = await probeApi(replica.url, CUSTOMS, () => {}, 20);
    try {
      await api.latency("lot_history", 20, (index) => ({ id: samples.lots[index % samples.lots.length] }), HISTORY);
      expect(api.failures).toBe(0);
    } finally {
      await api.close();
    }
  }, 60_000);

  it("refuses a store the replica would have to migrate, saying to migrate the primary first", async () => {
    const admin = openPostgres(primary.url);
    try {
      await sql`create database behind`.execute(admin.db);
    } finally {
      await admin.close();
    }
    const old = openPostgres(primary.url.replace(/\/postgres$/, "/behind"));
    try {
      await migrate(old.db as unknown as Kysely<unknown>, old.engine, "0013_seal_reports");
    } finally {
      await old.close();
    }
    await replayed();
    await expect(openStore(replica.url.replace(/\/postgres$/, "/behind"))).rejects.toThrow(/read-only PostgreSQL replica.*indexer against the primary/);
  });
});
