/**
 * Catching up (indexer/store/catch-up.ts): far behind the head the indexer's batches drop the API's
 * indexes and defer the findings but the custody events' own. On both engines, a store built so equals (dump hash) one built batch
 * by batch, with the same indexes and findings once the mode ends (and, on PostgreSQL, its tables vacuumed
 * and analysed); a restart in the middle continues
 * the mode; a store that holds more than it has to go never enters it; the API's reads stay correct in it; a rollback inside it leaves the same store; and a
 * process killed (SIGKILL) between its batches or inside the transaction leaving it resumes and ends equal.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { firstEventIdOf, type ChainEvent } from "../../indexer/events.js";
import { Indexer, type BatchReport, type IndexerOptions } from "../../indexer/indexer.js";
import { DEFERRED_INDEXES } from "../../indexer/store/catch-up.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch, commitRollback } from "../../indexer/store/commit.js";
import { dumpHash } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { openPostgres } from "../../indexer/store/postgres.js";
import { startPostgres, type PostgresServer } from "../../scripts/harness/postgres-server.js";
import { failFast } from "./fail-fast.js";
import { findingsScenario, SCENARIO_SETTINGS, scenarioOnChain } from "./findings-scenario.js";
import { CATCHING_UP, NORMAL } from "./catch-up-options.js";
import { batchOf, headerOf } from "./ledger-events.js";
import { ListSource } from "./list-source.js";

/** Whether each batch was written catching up. */
function modes(): { observer: typeof failFast; seen: boolean[] } {
  const seen: boolean[] = [];
  return { observer: { ...failFast, committed: (report: BatchReport) => seen.push(report.catchingUp) }, seen };
}

/** The store's indexes, name and definition, as its engine reports them. */
async function indexesOf(store: Store): Promise<string[]> {
  const { rows } =
    store.engine === "sqlite"
      ? await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master where type = 'index' order by name`.execute(store.db)
      : await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes
          where schemaname = current_schema() order by indexname`.execute(store.db);
  return rows.map(({ name, definition }) => `${name}: ${definition}`);
}

/** PostgreSQL: the store's tables that no VACUUM (ANALYZE) has settled since they were created (autovacuum's own runs not counted). */
async function unsettledTables(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select relname as name from pg_stat_user_tables
    where schemaname = current_schema() and (last_vacuum is null or last_analyze is null) order by relname`.execute(store.db);
  return rows.map(({ name }) => name);
}

const flagOf = async (store: Store) => (await store.db.selectFrom("chains").select("catching_up").executeTakeFirstOrThrow()).catching_up;

let postgres: PostgresServer;
let directory: string;
let chain: ChainEvent[];
let head: bigint;
let databases = 0;
beforeAll(async () => {
  [postgres, directory] = await Promise.all([startPostgres(), mkdtemp(join(tmpdir(), "tracegate-catch-up-"))]);
  chain = scenarioOnChain(await findingsScenario());
  head = chain.at(-1)!.block;
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe.each([
  { engine: "SQLite", url: () => join(directory, `store-${++databases}.sqlite`) },
  {
    engine: "PostgreSQL",
    url: async () => {
      const name = `catch_up_${++databases}`;
      const admin = openPostgres(postgres.url);
      await sql.raw(`create database ${name}`).execute(admin.db);
      await admin.close();
      return postgres.url.replace(/\/postgres$/, `/${name}`);
    },
  },
])("catching up on $engine", ({ url }) => {
  const stores: Store[] = [];
  const open = async (at: string) => {
    const store = await openStore(at, { findings: SCENARIO_SETTINGS });
    stores.push(store);
    return store;
  };
  const index = async (store: Store, options: IndexerOptions, top = head) => {
    const { observer, seen } = modes();
    await (await Indexer.open(store, new ListSource(chain, top), options, observer)).run({ untilHead: true });
    return seen;
  };
  let normal: Store;
  beforeAll(async () => {
    normal = await open(await url());
    expect(await index(normal, NORMAL)).not.toContain(true);
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
  });

  it("builds the store a batch-by-batch index builds, with the same indexes and findings", async () => {
    const store = await open(await url());
    const seen = await index(store, CATCHING_UP);
    expect(seen.slice(0, 3)).toEqual([true, true, true]);
    expect(seen.at(-1)).toBe(false);
    expect(await dumpHash(store)).toBe(await dumpHash(normal));
    expect(await indexesOf(store)).toEqual(await indexesOf(normal));
    expect((await store.db.selectFrom("findings").select("kind").distinct().execute()).length).toBeGreaterThanOrEqual(7);
    expect(await flagOf(store)).toBe(0n);
    if (store.engine === "postgres") {
      // Leaving the mode vacuums and analyses what it wrote in bulk; a store never in it is left to autovacuum.
      expect(await unsettledTables(store)).toEqual([]);
      expect(await unsettledTables(normal)).toContain("events");
    }
  });

  it("enters the mode only for a store that would at least double, and ends equal either way", async () => {
    const finalUpTo = head - BigInt(CATCHING_UP.finality);
    const behind = BigInt(3 * CATCHING_UP.catchUpBlocks!);
    expect(finalUpTo - behind).toBeGreaterThan(2n * behind);
    // Holding more than is to go: the whole way batch by batch, though more than catchUpBlocks are to go.
    const large = await open(await url());
    expect(await index(large, NORMAL, finalUpTo - behind)).not.toContain(true);
    expect(await index(large, CATCHING_UP)).not.toContain(true);
    expect(await dumpHash(large)).toBe(await dumpHash(normal));
    // Holding less: caught up from the next batch.
    const small = await open(await url());
    await index(small, NORMAL, behind);
    const seen = await index(small, CATCHING_UP);
    expect(seen[0]).toBe(true);
    expect(seen.at(-1)).toBe(false);
    expect(await dumpHash(small)).toBe(await dumpHash(normal));
    expect(await indexesOf(small)).toEqual(await indexesOf(normal));
  });

  it("continues the mode after a restart in it; the API's reads stay correct meanwhile", async () => {
    const at = await url();
    let store = await open(at);
    const indexer = await Indexer.open(store, new ListSource(chain, head), CATCHING_UP, failFast);
    for (let step = 0; step < 4; step++) expect(await indexer.step()).toBe("advanced");
    expect(await flagOf(store)).toBe(1n);
    const names = (await indexesOf(store)).map((line) => line.slice(0, line.indexOf(":")));
    expect(names.filter((name) => DEFERRED_INDEXES.includes(name))).toEqual([]);
    // Only the custody events' own findings are written in the mode: the scoped ones wait for its end.
    expect(await store.db.selectFrom("findings").select("scope").where("scope", "is not", null).execute()).toEqual([]);
    // A read the API makes by a dropped index: the same rows, by a scan.
    const checkpoint = await openCheckpoint(store.db, "list chain");
    const byActor = (of: Store) =>
      of.db
        .selectFrom("events")
        .select("id")
        .where("actor", "=", "CUSTOMS")
        .where("id", "<", firstEventIdOf(checkpoint.block.number + 1n))
        .orderBy("id")
        .execute();
    expect(await byActor(store)).toEqual(await byActor(normal));

    // The process ends here (nothing left open: each batch was one transaction); another takes over.
    await store.close();
    stores.splice(stores.indexOf(store), 1);
    store = await open(at);
    expect(await flagOf(store)).toBe(1n);
    const seen = await index(store, CATCHING_UP);
    expect(seen[0]).toBe(true);
    expect(await dumpHash(store)).toBe(await dumpHash(normal));
    expect(await indexesOf(store)).toEqual(await indexesOf(normal));
  });

  it("leaves the mode at the head when no batch is left to do it (a head behind the store's, as a lagging endpoint gives)", async () => {
    const top = head - 40n;
    const store = await open(await url());
    const { checkpoint } = await commitBatch(store, await openCheckpoint(store.db, "list chain"), {
      ...batchOf(chain, 0n, top),
      finalUpTo: top - BigInt(NORMAL.finality),
      catchingUp: true,
    });
    expect(checkpoint.block.number).toBe(top);
    expect(await flagOf(store)).toBe(1n);
    const reference = await open(await url());
    await index(reference, NORMAL, top);
    expect(await index(store, CATCHING_UP, top)).toEqual([]);
    expect(await flagOf(store)).toBe(0n);
    if (store.engine === "postgres") expect(await unsettledTables(store)).toEqual([]);
    expect(await dumpHash(store)).toBe(await dumpHash(reference));
    expect(await indexesOf(store)).toEqual(await indexesOf(reference));
  });

  it("writes the custody events' own findings in the mode, as a batch-by-batch index does, and a rollback takes them back", async () => {
    const store = await open(await url());
    const own = (of: Store, below = head + 1n) =>
      of.db
        .selectFrom("findings")
        .select(["id", "kind", "severity", "explanation", "evidence"])
        .where("kind", "in", ["CONSUMPTION_OVER_NORM", "QUANTITY_VANISHED"])
        .where("event_id", "<", firstEventIdOf(below))
        .orderBy("id")
        .execute();
    let checkpoint = await openCheckpoint(store.db, "list chain");
    ({ checkpoint } = await commitBatch(store, checkpoint, { ...batchOf(chain, 0n, head), catchingUp: true }));
    const kept = await store.db.selectFrom("findings").select("kind").distinct().orderBy("kind").execute();
    expect(kept.map(({ kind }) => kind)).toEqual(["CONSUMPTION_OVER_NORM", "QUANTITY_VANISHED"]);
    expect(await own(store)).toEqual(await own(normal));
    // Back to before the last of them: its finding goes with its event, the others stay.
    const last = (
      await store.db
        .selectFrom("findings")
        .select((eb) => eb.fn.max("event_id").as("id"))
        .executeTakeFirstOrThrow()
    ).id!;
    const lastBlock = BigInt(last) >> 20n;
    ({ checkpoint } = await commitRollback(store, checkpoint, headerOf(lastBlock - 1n)));
    expect(await flagOf(store)).toBe(1n);
    expect(await own(store)).toEqual(await own(normal, lastBlock));
    expect((await own(store)).length).toBeLessThan((await own(normal)).length);
  });

  it("rolls back inside the mode to the store a batch-by-batch index has", async () => {
    const store = await open(await url());
    let checkpoint = await openCheckpoint(store.db, "list chain");
    const rollbackTo = head / 2n;
    for (const [from, to] of [
      [0n, rollbackTo - 5n],
      [rollbackTo - 4n, rollbackTo + 9n],
    ] as const) {
      ({ checkpoint } = await commitBatch(store, checkpoint, { ...batchOf(chain, from, to), catchingUp: true }));
    }
    expect(await flagOf(store)).toBe(1n);
    ({ checkpoint } = await commitRollback(store, checkpoint, headerOf(rollbackTo)));
    expect(await flagOf(store)).toBe(1n);
    await commitBatch(store, checkpoint, { ...batchOf(chain, rollbackTo + 1n, head), finalUpTo: head - BigInt(NORMAL.finality) });
    expect(await dumpHash(store)).toBe(await dumpHash(normal));
    expect(await indexesOf(store)).toEqual(await indexesOf(normal));
  });
});

/** Runs catch-up-process.ts on the store at `path`, to die where `killAt` says; how it ended. */
async function runChild(path: string, killAt: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "test/indexer/catch-up-process.ts", path, killAt], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  return { code, signal, stderr };
}

describe("catching up on PostgreSQL, its vacuum refused", () => {
  it("keeps the batch that left the mode and says the store was not vacuumed", async () => {
    const name = `catch_up_${++databases}`;
    const admin = openPostgres(postgres.url);
    await sql.raw(`create database ${name}`).execute(admin.db);
    await sql.raw(`alter database ${name} set lock_timeout = '200ms'`).execute(admin.db);
    await admin.close();
    const at = postgres.url.replace(/\/postgres$/, `/${name}`);
    const store = await openStore(at, { findings: SCENARIO_SETTINGS });
    // Another session holds a table the batches never write: the vacuum waits for it, then gives up.
    const holder = new pg.Client({ connectionString: at });
    await holder.connect();
    await holder.query("begin");
    await holder.query("lock table kysely_migration in access exclusive mode");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await (await Indexer.open(store, new ListSource(chain, head), CATCHING_UP, failFast)).run({ untilHead: true });
      expect(await flagOf(store)).toBe(0n);
      expect((await openCheckpoint(store.db, "list chain")).block.number).toBe(head);
      expect(stderr.mock.calls.map(([line]) => String(line))).toContainEqual(
        expect.stringMatching(/could not vacuum and analyse the store after catching up \(.*lock timeout/),
      );
    } finally {
      stderr.mockRestore();
      await holder.query("rollback");
      await holder.end();
      await store.close();
    }
  });
});

describe("catching up, killed", () => {
  it("resumes the mode after a SIGKILL between its batches and one inside the transaction leaving it, and ends equal", async () => {
    const reference = await openStore(join(directory, "reference.sqlite"), { findings: SCENARIO_SETTINGS });
    const path = join(directory, "killed.sqlite");
    try {
      await (await Indexer.open(reference, new ListSource(chain, head), NORMAL, failFast)).run({ untilHead: true });
      const stateOf = async () => {
        const store = await openStore(path);
        try {
          const { block_number, catching_up } = await store.db.selectFrom("chains").selectAll().executeTakeFirstOrThrow();
          const deferred = (await store.db.selectFrom("deferred_indexes").select("name").orderBy("name").execute()).map(({ name }) => name);
          const findings = (await store.db.selectFrom("findings").select("id").execute()).length;
          return { block: block_number, catchingUp: catching_up, deferred, findings, indexes: await indexesOf(store) };
        } finally {
          await store.close();
        }
      };

      expect((await runChild(path, "after-batch-5")).signal).toBe("SIGKILL");
      const between = await stateOf();
      expect(between).toMatchObject({ block: 5n * BigInt(CATCHING_UP.batchBlocks) - 1n, catchingUp: 1n, deferred: [...DEFERRED_INDEXES].sort(), findings: 0 });

      expect((await runChild(path, "leaving")).signal).toBe("SIGKILL");
      const inside = await stateOf();
      // The leaving transaction is lost whole: still catching up, at the last catching-up batch.
      expect(inside).toMatchObject({ catchingUp: 1n, deferred: between.deferred, findings: 0, indexes: between.indexes });
      // The last batch that started with more than catchUpBlocks final blocks to go.
      const finalUpTo = head - BigInt(CATCHING_UP.finality);
      expect(inside.block + BigInt(CATCHING_UP.catchUpBlocks!)).toBeGreaterThanOrEqual(finalUpTo);
      expect(inside.block - BigInt(CATCHING_UP.batchBlocks) + BigInt(CATCHING_UP.catchUpBlocks!)).toBeLessThan(finalUpTo);

      const final = await runChild(path, "never");
      expect(final.code, final.stderr).toBe(0);
      const store = await openStore(path);
      try {
        expect(await dumpHash(store)).toBe(await dumpHash(reference));
        expect(await indexesOf(store)).toEqual(await indexesOf(reference));
      } finally {
        await store.close();
      }
    } finally {
      await reference.close();
    }
  }, 120_000);
});
