/**
 * Reorganisations on Hardhat's in-process chain: the indexer follows a branch of `depth` blocks, the
 * chain goes back to the fork (evm_revert) and mines another branch — sometimes longer, sometimes
 * shorter — and the indexer must roll back exactly `depth` blocks and end with exactly the canonical
 * events, every maintained table as a fresh index of the canonical chain would have it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventId, firstEventIdOf } from "../../indexer/events.js";
import { Indexer, type IndexerObserver } from "../../indexer/indexer.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import { dumpStore } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { STEP_SECONDS, TradeChain, WORKLOAD_START } from "../../scripts/workloads/trade-chain.js";
import { TradeFlows } from "../../scripts/workloads/trade-flows.js";

const DEPTHS = Array.from({ length: 64 }, (_, index) => index + 1);
const FINALITY = 100;
/** Compare whole stores with a fresh index at these depths (events are compared at every depth). */
const DUMPED = new Set([1, 3, 31, 64]);

const options = { finality: FINALITY, batchBlocks: 50, pollMs: 1 };
/** Reports nothing, and fails the test at the first failed step (the indexer would retry it forever). */
const quiet: IndexerObserver = {
  committed() {},
  rolledBack() {},
  failed(error) {
    throw error;
  },
};

async function freshIndex(source: EvmSource): Promise<Store> {
  const store = await openStore(":memory:");
  await (await Indexer.open(store, source, options, quiet)).run({ untilHead: true });
  return store;
}

describe("reorganisations of depth 1 to 64 on the in-process chain", () => {
  let chain: TradeChain;
  let store: Store;
  beforeAll(async () => {
    chain = await TradeChain.start();
    store = await openStore(":memory:");
  });
  afterAll(async () => {
    await store?.close();
    await chain?.stop();
  });

  it("roll back exactly the orphaned blocks and leave exactly the canonical events", async () => {
    let flows = new TradeFlows(5);
    let time = WORKLOAD_START;
    const sendSteps = async (workload: TradeFlows, count: number, offset: bigint) => {
      for (let step = 0; step < count; step++) await chain.send(await workload.step((time += STEP_SECONDS) + offset));
    };
    const source = await EvmSource.connect(chain.rpc, chain.addresses);
    const rollbacks: Array<{ from: bigint; to: bigint }> = [];
    const indexer = await Indexer.open(store, source, options, { ...quiet, rolledBack: ({ from, to }) => rollbacks.push({ from, to: to.number }) });
    // From a chain younger than the finality depth (registrations only) to one a little older.
    await indexer.run({ untilHead: true });
    await chain.send(await flows.setUp(time));
    await sendSteps(flows, 100, 0n);
    await indexer.run({ untilHead: true });
    const positions = (events: Awaited<ReturnType<EvmSource["events"]>>) => events.map(({ block, index, tx }) => [eventId(block, index), tx] as const);
    let canonical = positions(await source.events(0n, await chain.head()));

    for (const depth of DEPTHS) {
      const fork = await chain.snapshot();
      const forkHead = await chain.head();
      const forkTime = time;
      const survivor = await flows.fork(1000 + depth);
      // The orphaned branch: exactly `depth` blocks, an action each, a few seconds off so no block is shared.
      for (let left = depth; left > 0; ) {
        const steps = (await flows.step((time += STEP_SECONDS) + 7n)).slice(0, left);
        await chain.send(steps);
        left -= steps.length;
      }
      await indexer.run({ untilHead: true });

      await chain.revert(fork);
      [flows, time] = [survivor, forkTime];
      await sendSteps(flows, depth % 3 === 0 ? 1 : depth + 1, 0n);
      await indexer.run({ untilHead: true });

      expect(rollbacks.at(-1), `depth ${depth}`).toEqual({ from: forkHead + BigInt(depth), to: forkHead });
      // The chain below the fork is as it was: only the new branch needs reading.
      const branch = positions(await source.events(forkHead + 1n, await chain.head()));
      canonical = [...canonical.filter(([id]) => id < firstEventIdOf(forkHead + 1n)), ...branch];
      const stored = await store.db.selectFrom("events").select(["id", "tx_hash"]).orderBy("id").execute();
      expect(
        stored.map(({ id, tx_hash }) => [id, tx_hash] as const),
        `depth ${depth}`,
      ).toEqual(canonical);
      if (DUMPED.has(depth)) {
        const fresh = await freshIndex(source);
        // The recorded block hashes are left out: the window they cover follows the highest head seen,
        // which a shorter branch lowers, so it may reach a little deeper than a fresh index's.
        expect(await dumpStore(store, ["blocks"]), `depth ${depth}`).toEqual(await dumpStore(fresh, ["blocks"]));
        await fresh.close();
      }
    }
    expect(rollbacks).toHaveLength(DEPTHS.length);
  });
});
