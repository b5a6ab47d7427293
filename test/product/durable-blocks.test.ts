/**
 * The indexer follows the embedded chain only up to its durable head (product/durable-blocks.ts): a
 * block made but not on disk is not indexed, so after a full disk or a crash the index is never ahead
 * of the journal a restart replays; once the head is durable, the indexer goes on to it.
 */
import { expect, it } from "vitest";
import { Indexer } from "../../indexer/indexer.js";
import { openStore } from "../../indexer/store/open.js";
import { durableBlocksOnly } from "../../product/durable-blocks.js";
import { NORMAL } from "../indexer/catch-up-options.js";
import { failFast } from "../indexer/fail-fast.js";
import { findingsScenario, scenarioOnChain } from "../indexer/findings-scenario.js";
import { ListSource } from "../indexer/list-source.js";

it("indexes up to the durable head only, then on to it as it moves", async () => {
  const chain = scenarioOnChain(await findingsScenario());
  const head = chain.at(-1)!.block;
  let durable = head / 2n;
  const source = durableBlocksOnly(new ListSource(chain, head), () => durable);
  expect((await source.head()).number).toBe(durable);
  const store = await openStore(":memory:");
  try {
    const indexer = await Indexer.open(store, source, { ...NORMAL, finality: 0 }, failFast);
    const checkpoint = async () => (await store.db.selectFrom("chains").select("block_number").executeTakeFirstOrThrow()).block_number;
    const lastEvent = async () =>
      (
        await store.db
          .selectFrom("events")
          .select((e) => e.fn.max("id").as("id"))
          .executeTakeFirstOrThrow()
      ).id;
    await indexer.run({ untilHead: true });
    expect(await checkpoint()).toBe(durable);
    expect(BigInt((await lastEvent()) ?? -1n) >> 20n).toBeLessThanOrEqual(durable);
    durable = head;
    await indexer.run({ untilHead: true });
    expect(await checkpoint()).toBe(head);
    expect(BigInt((await lastEvent()) ?? -1n) >> 20n).toBe(head);
    // A durable head past the chain's own (the chain is never behind its journal): the chain's.
    durable = head + 5n;
    expect((await source.head()).number).toBe(head);
  } finally {
    await store.close();
  }
});
