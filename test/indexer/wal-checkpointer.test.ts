/**
 * The SQLite store's log checkpoints on another thread (indexer/store/wal-checkpointer.ts): the thread
 * copies the log while the writer goes on, the writer copies the rest before its next transaction, and
 * the log starts over, so it stays bounded however long the writer writes. A thread that fails hands
 * checkpoints back to the writer; a store checkpointed so equals (dump hash) one that never is.
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ChainEvent } from "../../indexer/events.js";
import { Indexer } from "../../indexer/indexer.js";
import { dumpHash } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { migrate } from "../../indexer/store/migrations.js";
import { openSqlite } from "../../indexer/store/sqlite.js";
import { WalCheckpointer } from "../../indexer/store/wal-checkpointer.js";
import { NORMAL } from "./catch-up-options.js";
import { failFast } from "./fail-fast.js";
import { findingsScenario, SCENARIO_SETTINGS, scenarioOnChain } from "./findings-scenario.js";
import { ListSource } from "./list-source.js";

let directory: string;
let files = 0;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "tracegate-checkpointer-"));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

const logSize = (path: string) => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

it("keeps the log bounded: the thread copies it, the writer the rest, and it starts over", async () => {
  const path = join(directory, `${++files}.sqlite`);
  const writer = new DatabaseSync(path);
  // As the store's writer: checkpoints only by the checkpointer, the log cut back when it starts over.
  writer.exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 0; CREATE TABLE rows (body BLOB)");
  const failures: string[] = [];
  const threshold = 256 * 1024;
  const checkpointer = new WalCheckpointer(path, {
    checkpointHere: () => writer.exec("PRAGMA wal_checkpoint(PASSIVE)"),
    failed: (reason) => failures.push(reason),
    thresholdBytes: threshold,
  });
  const insert = writer.prepare("INSERT INTO rows (body) VALUES (?)");
  const rows = (transaction: number) => {
    for (let row = 0; row < 10; row++) insert.run(new Uint8Array(10_000).fill(transaction));
  };
  const sizes: number[] = [];
  try {
    for (let transaction = 0; transaction < 40; transaction += 2) {
      checkpointer.beginning();
      writer.exec("BEGIN");
      rows(transaction);
      writer.exec("COMMIT");
      // The next transaction writes before the thread gets to the log (a thread slower than the writer,
      // forced here): the thread copies the log as far as the commit before, not this one's.
      writer.exec("BEGIN");
      rows(transaction + 1);
      checkpointer.committed();
      await checkpointer.copied();
      writer.exec("COMMIT");
      checkpointer.committed();
      sizes.push(logSize(path));
    }
  } finally {
    await checkpointer.close();
  }
  expect(failures).toEqual([]);
  // Each transaction adds about 100 KB: had the log never started over, it would reach 4 MB.
  const restarts = sizes.filter((size, index) => index > 0 && size < sizes[index - 1]!).length;
  expect(restarts).toBeGreaterThanOrEqual(5);
  expect(Math.max(...sizes)).toBeLessThan(threshold + 6 * 110_000);
  writer.close();
  const reader = new DatabaseSync(path, { readOnly: true });
  expect(reader.prepare("SELECT count(*) AS n, count(DISTINCT hex(body)) AS kinds FROM rows").get()).toEqual({ n: 400, kinds: 40 });
  reader.close();
});

it("hands checkpoints back to the writer when the thread fails, once, and does nothing after", async () => {
  const path = join(directory, `${++files}.sqlite`);
  writeFileSync(path, "this is not a database, whatever its name says".repeat(100));
  writeFileSync(`${path}-wal`, "nor is this a log".repeat(100));
  let handBack: (reason: string) => void = () => {};
  const failed = new Promise<string>((resolve) => {
    handBack = resolve;
  });
  let failures = 0;
  let checkpointsHere = 0;
  const checkpointer = new WalCheckpointer(path, {
    checkpointHere: () => checkpointsHere++,
    failed: (reason) => {
      failures++;
      handBack(reason);
    },
    thresholdBytes: 1,
  });
  checkpointer.committed();
  expect(await failed).toMatch(/not a database|malformed|file/i);
  await checkpointer.copied();
  checkpointer.committed();
  checkpointer.beginning();
  await checkpointer.close();
  expect(failures).toBe(1);
  expect(checkpointsHere).toBe(0);
});

it("indexes a store checkpointed on its thread into the same store, and leaves no log behind it", async () => {
  const chain: ChainEvent[] = scenarioOnChain(await findingsScenario());
  const head = chain.at(-1)!.block;
  const index = async (store: Store) => {
    await migrate(store.db as unknown as Kysely<unknown>, store.engine);
    await (await Indexer.open(store, new ListSource(chain, head), NORMAL, failFast)).run({ untilHead: true });
  };
  const path = join(directory, `${++files}.sqlite`);
  // A threshold of two pages: the thread copies the log after nearly every batch.
  const threaded = Object.assign(openSqlite(path, { checkpointBytes: 16 * 1024 }), { findings: SCENARIO_SETTINGS });
  const plain = Object.assign(openSqlite(":memory:"), { findings: SCENARIO_SETTINGS });
  try {
    await index(threaded);
    await index(plain);
    const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(threaded.db);
    expect(Number(rows[0]!.wal_autocheckpoint)).toBe(32768);
    expect(await dumpHash(threaded)).toBe(await dumpHash(plain));
  } finally {
    await threaded.close();
    await plain.close();
  }
  // The writer closed last (the thread's connection was gone): it copied the log and removed it.
  expect(existsSync(`${path}-wal`)).toBe(false);
});
