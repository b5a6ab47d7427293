/**
 * A full disk, as SQLite meets it (SQLITE_FULL; made here by capping the file's pages, as a full
 * filesystem would): SQLite rolls the transaction back itself, and the error reported is the full disk,
 * never the failed rollback after it ("cannot rollback - no transaction is active"). Nothing of the
 * batch or chunk is kept, the indexer's log says to free space, and the same write succeeds once there is room.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ProgressLog } from "../../indexer/progress-log.js";
import { LedgerCacheFile } from "../../indexer/sources/cache/cache-file.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch } from "../../indexer/store/commit.js";
import { openStore } from "../../indexer/store/open.js";
import { batchOf, headerOf, onChain } from "./ledger-events.js";

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "tracegate-disk-full-"));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

/** Lets the SQLite file grow by `pages` more pages at most (SQLITE_FULL beyond), or without bound. */
async function capPages(db: Kysely<any>, pages: number | "none"): Promise<void> {
  const { rows } = await sql<{ page_count: bigint }>`PRAGMA page_count`.execute(db);
  await sql.raw(`PRAGMA max_page_count = ${pages === "none" ? 4_294_967_294 : Number(rows[0]!.page_count) + pages}`).execute(db);
}

it("a store transaction SQLite rolled back itself reports the full disk, not the failed rollback", async () => {
  const store = await openStore(join(directory, "rolled-back.sqlite"));
  try {
    await sql`CREATE TABLE filler (text TEXT NOT NULL)`.execute(store.db);
    await capPages(store.db, 40);
    // Rows one by one until the file is full: SQLite then cancels the whole transaction, not the statement.
    const filling = store.db.transaction().execute(async (trx) => {
      for (let row = 0; row < 1_000; row++) await sql`INSERT INTO filler VALUES (${"x".repeat(2_000)})`.execute(trx);
    });
    await expect(filling).rejects.toThrow(/database or disk is full/);
    expect((await sql<{ n: bigint }>`SELECT count(*) AS n FROM filler`.execute(store.db)).rows).toEqual([{ n: 0n }]);
  } finally {
    await store.close();
  }
});

it("a batch the disk cannot hold fails with the disk's error, keeps nothing, and commits once there is room", async () => {
  const store = await openStore(join(directory, "index.sqlite"));
  try {
    // Two thousand registrations: more rows than the tables' first pages hold.
    const registrations = Array.from({ length: 2_000 }, (_, i) => ({ type: "organisationRegistered", id: `ORG-${i}`, kind: "ENTERPRISE", time: 1n }));
    const events = onChain(registrations as never[]);
    const batch = batchOf(events, 0n, BigInt(events.length - 1));
    const checkpoint = await openCheckpoint(store.db, "test chain");
    await capPages(store.db, 0);
    const failure = await commitBatch(store, checkpoint, batch).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/database or disk is full/);
    // The indexer's log says what to do about it.
    const lines: string[] = [];
    new ProgressLog((line) => lines.push(line)).failed(failure);
    expect(lines).toEqual([expect.stringMatching(/^step failed, retrying: database or disk is full \(the disk holding the index is full: free space there/)]);
    expect(
      await store.db
        .selectFrom("events")
        .select((e) => e.fn.countAll<bigint>().as("n"))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 0n });
    expect(await openCheckpoint(store.db, "test chain")).toEqual(checkpoint);
    await capPages(store.db, "none");
    await commitBatch(store, checkpoint, batch);
    expect(
      await store.db
        .selectFrom("events")
        .select((e) => e.fn.countAll<bigint>().as("n"))
        .executeTakeFirstOrThrow(),
    ).toEqual({
      n: BigInt(events.length),
    });
  } finally {
    await store.close();
  }
});

it("a ledger cache chunk the disk cannot hold fails with the disk's error and leaves the cache as it was", () => {
  const cache = LedgerCacheFile.open(join(directory, "ledger-cache.sqlite"));
  try {
    const chunk = { first: 0n, last: 9n, events: [], headers: [headerOf(9n)], state: { padding: "x".repeat(400_000) } };
    // The file's own connection is the one to cap: SQLite's page limit is per connection.
    const db = (cache as unknown as { db: DatabaseSync }).db;
    const pages = Number((db.prepare("PRAGMA page_count").get() as { page_count: number }).page_count);
    db.exec(`PRAGMA max_page_count = ${pages + 2}`);
    expect(() => cache.write("chain", chunk as never)).toThrow(/database or disk is full/);
    expect(cache.spans("chain")).toEqual([]);
    db.exec("PRAGMA max_page_count = 4294967294");
    cache.write("chain", chunk as never);
    expect(cache.spans("chain")).toEqual([{ first: 0n, last: 9n, lastHash: headerOf(9n).hash }]);
  } finally {
    cache.close();
  }
});
