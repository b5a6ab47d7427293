/**
 * Crash safety: the indexer command, reading a recorded chain over HTTP JSON-RPC, is killed with
 * SIGKILL at random points of its ingest and restarted each time. After every kill the store holds
 * exactly the events up to its checkpoint; at the end its logical dump equals an uninterrupted run's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpHash } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { serveJsonRpc, type JsonRpcEndpoint } from "../../product/chain/json-rpc-http.js";
import { startIndexer, type IndexerProcess } from "./indexer-process.js";
import { recordChain, recordedChainProvider, type RecordedChain } from "../../scripts/workloads/recorded-chain.js";
import { tradeChainWith } from "../../scripts/workloads/trade-chain.js";

const ACTIONS = 2_000;
/** Small batches: many transactions for the kills to fall into. */
const BATCH_BLOCKS = 20;
const KILLS = 10;

async function withStore<T>(path: string, read: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(path);
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

const checkpointOf = (store: Store) => store.db.selectFrom("chains").select("block_number").executeTakeFirstOrThrow();

/**
 * Polls the store the indexer is writing (WAL: readers never wait) until its checkpoint passes `block`:
 * true then, false if the run exits first (the caller fails with its log instead of waiting for ever).
 */
async function progressPast(path: string, block: bigint, run: IndexerProcess): Promise<boolean> {
  let exited = false;
  void run.exited.then(() => (exited = true));
  for (;;) {
    try {
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        const row = db.prepare("SELECT block_number FROM chains").get() as { block_number: number } | undefined;
        if (row !== undefined && BigInt(row.block_number) > block) return true;
      } finally {
        db.close();
      }
    } catch {
      // not created yet
    }
    if (exited) return false;
    await sleep(10);
  }
}
const eventsUpTo = async (store: Store, block: bigint) =>
  (
    await store.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<bigint>().as("count"))
      .where("block_number", "<=", block)
      .executeTakeFirstOrThrow()
  ).count;

describe("indexer killed with SIGKILL during a large ingest", () => {
  let recorded: RecordedChain;
  let endpoint: JsonRpcEndpoint;
  let directory: string;

  beforeAll(async () => {
    const { chain } = await tradeChainWith(ACTIONS, 11);
    recorded = await recordChain(chain.rpc, chain.addresses);
    await chain.stop();
    endpoint = await serveJsonRpc(recordedChainProvider(recorded), { port: 0 });
    directory = await mkdtemp(join(tmpdir(), "tracegate-crash-"));
  });
  afterAll(async () => {
    await endpoint?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it(`resumes after ${KILLS} kills and ends with the store of an uninterrupted run`, async () => {
    const head = BigInt(recorded.blocks.length - 1);
    // The reference reads the node alone; the killed runs keep a ledger cache too, killed as it is written.
    const args = (store: string, cache: string) => [
      ...["--rpc", endpoint.url, "--registry", recorded.addresses.registry, "--custody", recorded.addresses.custody],
      ...["--store", store, "--ledger-cache", cache, "--batch-blocks", String(BATCH_BLOCKS), "--poll-ms", "10", "--metrics-port", "0", "--until-head"],
    ];

    const uninterrupted = startIndexer(args(join(directory, "uninterrupted.sqlite"), "none"));
    await uninterrupted.ready;
    const started = performance.now();
    expect((await uninterrupted.exited).code, uninterrupted.log()).toBe(0);
    // About how long a batch takes, the window a kill falls into.
    const batchMs = ((performance.now() - started) * BATCH_BLOCKS) / recorded.blocks.length;
    const reference = await openStore(join(directory, "uninterrupted.sqlite"));

    const crashed = join(directory, "crashed.sqlite");
    const cache = join(directory, "crashed-cache.sqlite");
    const checkpoints = new Set<bigint>();
    let last = -1n;
    for (let kill = 0; kill < KILLS; kill++) {
      const run = startIndexer(args(crashed, cache));
      // Each run commits past a random block of a small share of what is left, then dies at a random
      // moment of about one batch: chosen by progress, not by time, so however fast a run goes (a cached
      // block reads faster than the uninterrupted run's), it leaves blocks for the runs after it.
      const share = (head - last) / BigInt(2 * (KILLS - kill));
      const target = last + BigInt(Math.floor(Math.random() * Number(share)));
      expect(await progressPast(crashed, target, run), `run ${kill} exited before it committed past block ${target}:\n${run.log()}`).toBe(true);
      await sleep(Math.random() * batchMs);
      run.child.kill("SIGKILL");
      expect((await run.exited).signal, `run ${kill} finished before it was killed: make the ingest longer`).toBe("SIGKILL");
      await withStore(crashed, async (store) => {
        const { block_number: checkpoint } = await checkpointOf(store);
        expect(checkpoint, `run ${kill} was killed after the ingest`).toBeLessThan(head);
        // Nothing lost, nothing doubled: exactly the events of the blocks up to the checkpoint.
        expect(await eventsUpTo(store, head)).toBe(await eventsUpTo(reference, checkpoint));
        checkpoints.add(checkpoint);
        last = checkpoint;
      });
    }
    expect(checkpoints.size).toBe(KILLS);

    const final = startIndexer(args(crashed, cache));
    expect((await final.exited).code, final.log()).toBe(0);
    const expected = await dumpHash(reference);
    await reference.close();
    expect(await withStore(crashed, dumpHash)).toBe(expected);
    // Twelve indexer processes, each loading TypeScript for seconds on a loaded machine: the work is
    // bounded (every wait above is on progress), the time it takes is not the machine's promise.
  }, 600_000);
});
