/**
 * The ledger cache (indexer/sources/cache/): a store rebuilt from it equals (dump hash) a fresh sync
 * from the node, and asks the node for no log of a cached block; blocks read while the indexer followed
 * the head are kept once final; reorganisations never leave an orphaned block in it; and a damaged or
 * foreign cache file is a warning, read around, never a different store.
 */
import { copyFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Indexer, type IndexerOptions } from "../../indexer/indexer.js";
import { withLedgerCache } from "../../indexer/sources/cache/cached-source.js";
import { LedgerCacheFile } from "../../indexer/sources/cache/cache-file.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import { dumpHash, dumpStore } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { httpBatchRpc } from "../../sdk/evm/batch-rpc.js";
import { STEP_SECONDS, TradeChain, WORKLOAD_START } from "../../scripts/workloads/trade-chain.js";
import { TradeFlows } from "../../scripts/workloads/trade-flows.js";
import { serveCappedNode, type CappedNode } from "./capped-node.js";
import { failFast } from "./fail-fast.js";

let chain: TradeChain;
let flows: TradeFlows;
let time = WORKLOAD_START;
let node: CappedNode;
let directory: string;
const stores: Store[] = [];

async function sendSteps(count: number): Promise<void> {
  for (let step = 0; step < count; step++) await chain.send(await flows.step((time += STEP_SECONDS)));
}

async function mine(blocks: number): Promise<void> {
  for (let block = 0; block < blocks; block++) await chain.chain.connection.provider.request({ method: "evm_mine" });
  time += BigInt(blocks);
}

async function store(): Promise<Store> {
  const opened = await openStore(":memory:");
  stores.push(opened);
  return opened;
}

/** The page size of the SQLite file at `path`. */
function pageSize(path: string): number {
  const file = new DatabaseSync(path, { readOnly: true });
  try {
    return Number((file.prepare("PRAGMA page_size").get() as { page_size: number }).page_size);
  } finally {
    file.close();
  }
}

/** Indexes the chain to its head through the counting node, with the cache at `path` (none: the node alone); the warnings it gave. */
async function index(into: Store, path: string | undefined, options: IndexerOptions & { chunkBlocks?: number }): Promise<string[]> {
  const warnings: string[] = [];
  const source = await EvmSource.connect(httpBatchRpc(node.url), chain.addresses);
  const cached = path === undefined ? undefined : withLedgerCache(source, path, { ...options, warn: (line) => warnings.push(line) });
  try {
    await (await Indexer.open(into, cached ?? source, options, failFast)).run({ untilHead: true });
  } finally {
    cached?.close();
  }
  return warnings;
}

async function freshHash(options: IndexerOptions): Promise<string> {
  const fresh = await store();
  await index(fresh, undefined, options);
  return dumpHash(fresh);
}

const sourceId = () => `evm:31337:${chain.addresses.registry.toLowerCase()}:${chain.addresses.custody.toLowerCase()}`;

/** The log queries a run makes. */
async function queriesOf(run: () => Promise<unknown>): Promise<CappedNode["queries"]> {
  const before = node.queries.length;
  await run();
  return node.queries.slice(before);
}

describe("the ledger cache", () => {
  beforeAll(async () => {
    chain = await TradeChain.start();
    flows = new TradeFlows(11);
    await chain.send(await flows.setUp(time));
    await sendSteps(60);
    // A node that caps nothing, only counts the log queries.
    node = await serveCappedNode(chain.chain.connection.provider, { kind: "besu" });
    directory = await mkdtemp(join(tmpdir(), "tracegate-ledger-cache-"));
  }, 60_000);
  afterAll(async () => {
    for (const opened of stores) await opened.close();
    await node?.close();
    await chain?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("rebuilds the store of a fresh sync without asking the node for the logs of a cached block", async () => {
    const options = { finality: 0, batchBlocks: 7, pollMs: 1 };
    const path = join(directory, "rebuild.sqlite");
    const synced = await store();
    expect(await index(synced, path, options)).toEqual([]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(pageSize(path)).toBe(65_536);
    const head = await chain.head();

    const rebuilt = await store();
    expect(await queriesOf(() => index(rebuilt, path, options))).toEqual([]);
    expect(await dumpHash(rebuilt)).toBe(await dumpHash(synced));
    expect(await dumpHash(rebuilt)).toBe(await freshHash(options));

    // A rebuild with other batches, after more blocks: the cache up to where it holds, then only the new blocks.
    await sendSteps(10);
    const later = await store();
    const queries = await queriesOf(() => index(later, path, { ...options, batchBlocks: 5 }));
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every(({ from }) => from > head)).toBe(true);
    expect(await dumpHash(later)).toBe(await freshHash(options));
  }, 60_000);

  it("keeps only final blocks, and keeps those it read before they were final once they are", async () => {
    const options = { finality: 30, batchBlocks: 40, pollMs: 1 };
    const path = join(directory, "following.sqlite");
    const following = await store();
    await index(following, path, options);
    const syncedAt = await chain.head();
    const kept = () => {
      const file = LedgerCacheFile.open(path);
      const spans = file.spans(sourceId());
      file.close();
      return spans;
    };
    expect(kept().at(-1)!.last).toBe(syncedAt - 30n);

    // The indexer follows the head: its reads of the last 30 blocks were not kept; once 1,000 more blocks are final, they are.
    await sendSteps(5);
    await mine(1_050);
    await sendSteps(5);
    await index(following, path, options);
    const head = await chain.head();
    expect(kept().at(-1)!.last).toBe(head - 30n);
    expect(kept().every(({ first }, at, spans) => at === 0 || first === spans[at - 1]!.last + 1n)).toBe(true);

    const rebuilt = await store();
    const queries = await queriesOf(() => index(rebuilt, path, options));
    expect(queries.every(({ from }) => from > head - 30n)).toBe(true);
    expect(await dumpHash(rebuilt)).toBe(await dumpHash(following));
  }, 120_000);

  it("holds no block a reorganisation orphaned: a rebuild equals a fresh index of the canonical chain", async () => {
    // Blocks read before they were final are read again as soon as 10 are.
    const options = { finality: 60, batchBlocks: 3, pollMs: 1, chunkBlocks: 10 };
    const path = join(directory, "reorg.sqlite");
    const following = await store();
    // One indexer follows the chain through the reorganisations, as a running one does.
    const warnings: string[] = [];
    const cached = withLedgerCache(await EvmSource.connect(httpBatchRpc(node.url), chain.addresses), path, { ...options, warn: (line) => warnings.push(line) });
    const indexer = await Indexer.open(following, cached, options, failFast);
    const follow = () => indexer.run({ untilHead: true });
    await follow();
    /** Exactly `count` blocks, an action each, `offset` seconds off the workload's times. */
    const sendBlocks = async (count: number, offset: bigint) => {
      for (let left = count; left > 0; ) {
        const steps = (await flows.step((time += STEP_SECONDS) + offset)).slice(0, left);
        await chain.send(steps);
        left -= steps.length;
      }
    };
    for (const depth of [1, 2, 5, 9, 13]) {
      const fork = await chain.snapshot();
      const forkTime = time;
      const survivor = await flows.fork(2000 + depth);
      // An orphaned branch of `depth` blocks, indexed, then replaced by a canonical one (within finality).
      await sendBlocks(depth, 7n);
      await follow();
      await chain.revert(fork);
      [flows, time] = [survivor, forkTime];
      await sendSteps(2);
      await follow();
    }
    // The forks' blocks become final: the cache keeps the canonical ones.
    const forkedAt = await chain.head();
    await mine(80);
    await sendSteps(2);
    await follow();
    cached.close();
    expect(warnings).toEqual([]);
    const file = LedgerCacheFile.open(path);
    expect(file.spans(sourceId()).at(-1)!.last).toBeGreaterThan(forkedAt);
    file.close();
    const rebuilt = await store();
    await index(rebuilt, path, options);
    const fresh = await store();
    await index(fresh, undefined, options);
    // The follower's recorded block hashes reach back from the highest head it saw, which a reorganisation may lower.
    expect(await dumpStore(following, ["blocks"])).toEqual(await dumpStore(fresh, ["blocks"]));
    expect(await dumpHash(rebuilt)).toBe(await dumpHash(fresh));
  }, 120_000);

  it("reads around a damaged or foreign cache file, with a warning, into the same store", async () => {
    const options = { finality: 0, batchBlocks: 50, pollMs: 1 };
    const good = join(directory, "good.sqlite");
    await index(await store(), good, options);
    const fresh = await freshHash(options);

    const garbage = join(directory, "garbage.sqlite");
    writeFileSync(garbage, "not a database, not at all ".repeat(400));
    const truncated = join(directory, "truncated.sqlite");
    copyFileSync(good, truncated);
    truncateSync(truncated, Math.floor(statSync(truncated).size / 2));
    const tampered = join(directory, "tampered.sqlite");
    copyFileSync(good, tampered);
    const db = new DatabaseSync(tampered);
    // One byte of each chunk changed.
    db.exec("UPDATE chunks SET body = substr(body, 1, 100) || CASE WHEN substr(body, 101, 1) = X'00' THEN X'01' ELSE X'00' END || substr(body, 102)");
    db.close();

    for (const path of [garbage, truncated, tampered]) {
      const rebuilt = await store();
      const warnings = await index(rebuilt, path, options);
      expect(warnings.join("\n"), path).toMatch(/ledger cache|damaged|not a readable/);
      expect(await dumpHash(rebuilt), path).toBe(fresh);
    }
  }, 60_000);

  it("drops what it holds of a chain the node no longer has (reset under the same id)", async () => {
    const options = { finality: 0, batchBlocks: 50, pollMs: 1 };
    const path = join(directory, "reset.sqlite");
    await index(await store(), path, options);
    const other = await TradeChain.start();
    try {
      expect(other.addresses).toEqual(chain.addresses);
      const otherFlows = new TradeFlows(99);
      await other.send(await otherFlows.setUp(WORKLOAD_START));
      for (let step = 0; step < 30; step++) await other.send(await otherFlows.step(WORKLOAD_START + BigInt(step + 1) * STEP_SECONDS));
      const otherNode = await serveCappedNode(other.chain.connection.provider, { kind: "besu" });
      try {
        const run = async (cachePath: string | undefined) => {
          const warnings: string[] = [];
          const source = await EvmSource.connect(httpBatchRpc(otherNode.url), other.addresses);
          const into = await store();
          const cached = cachePath === undefined ? undefined : withLedgerCache(source, cachePath, { finality: 0, warn: (line) => warnings.push(line) });
          await (await Indexer.open(into, cached ?? source, options, failFast)).run({ untilHead: true });
          cached?.close();
          return { hash: await dumpHash(into), warnings };
        };
        const fromCache = await run(path);
        expect(fromCache.warnings.join("\n")).toMatch(/does not have \(a chain reset\?\)/);
        expect(fromCache.hash).toBe((await run(undefined)).hash);
      } finally {
        await otherNode.close();
      }
    } finally {
      await other.stop();
    }
  }, 120_000);
});
