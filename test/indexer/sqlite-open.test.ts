/**
 * Opening the SQLite store while another connection reads the file: the first open switches a new file
 * to WAL, which needs it alone for a moment. It must wait for the reader, not fail with "database is
 * locked" (an indexer started while a reader polled its new store did, one run in a few).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openSqlite } from "../../indexer/store/sqlite.js";

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "tracegate-sqlite-open-"));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

/** A reader on another thread that holds a read transaction on `path` for `ms`, then lets go. */
async function readerHolding(path: string, ms: number): Promise<Worker> {
  const worker = new Worker(
    `const { DatabaseSync } = require("node:sqlite");
     const { parentPort, workerData } = require("node:worker_threads");
     const db = new DatabaseSync(workerData.path, { readOnly: true });
     db.exec("BEGIN");
     db.prepare("SELECT count(*) FROM sqlite_master").get();
     parentPort.postMessage("holding");
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     db.exec("COMMIT");
     db.close();`,
    { eval: true, workerData: { path, ms } },
  );
  await new Promise((resolve) => worker.once("message", resolve));
  return worker;
}

it("waits for a reader of a new store's file instead of failing to open it", async () => {
  const path = join(directory, "index.sqlite");
  // A file that is not in WAL mode yet, as a reader finds a store the indexer has only just created.
  const seed = new DatabaseSync(path);
  seed.exec("CREATE TABLE seen (id INTEGER)");
  seed.close();
  const reader = await readerHolding(path, 300);
  const exited = new Promise((resolve) => reader.once("exit", resolve));
  const store = openSqlite(path);
  try {
    const { rows } = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(store.db);
    expect(rows[0]!.journal_mode).toBe("wal");
  } finally {
    await store.close();
    await exited;
  }
});
