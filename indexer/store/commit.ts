/**
 * The store's write transactions. Each moves the checkpoint (compare and set, first) together with
 * the data it covers, so after a crash the store holds exactly the events up to its checkpoint; entering
 * and leaving the catch-up mode (catch-up.ts) happen in them too.
 */
import type { ChainEvent } from "../events.js";
import { firstEventIdOf } from "../events.js";
import type { BlockHeader } from "../sources/source.js";
import { enterCatchUp, isCatchingUp, leaveCatchUp, settleAfterCatchUp } from "./catch-up.js";
import { forgetBlocksAfter, moveCheckpoint, recordBlocks, type BlockRef, type Checkpoint } from "./checkpoint.js";
import type { Store } from "./engine.js";
import { applyEvents, rollbackEvents } from "./write/apply.js";

export interface Batch {
  /** The events of every block after the checkpoint up to `to`, in chain order. */
  events: readonly ChainEvent[];
  to: BlockRef;
  /** Headers of the batch's blocks that are not final yet. */
  headers: readonly BlockHeader[];
  /** Block hashes at or below this are final: forgotten. */
  finalUpTo: bigint;
  /** Written catching up (far behind the head: the API's indexes and the findings deferred); else the store leaves that mode first. */
  catchingUp?: boolean;
}

export async function commitBatch(store: Store, checkpoint: Checkpoint, batch: Batch): Promise<{ checkpoint: Checkpoint; applied: number }> {
  let left = false;
  const committed = await store.db.transaction().execute(async (trx) => {
    const moved = await moveCheckpoint(trx, checkpoint, batch.to);
    const catchingUp = batch.catchingUp === true;
    if (catchingUp !== (await isCatchingUp(trx, checkpoint.chain))) {
      if (catchingUp) await enterCatchUp(trx, store.engine, checkpoint.chain);
      else await leaveCatchUp(trx, checkpoint.chain, store.findings);
      left = !catchingUp;
    }
    const applied = await applyEvents(trx, checkpoint.chain, batch.events, store.findings, catchingUp);
    await recordBlocks(trx, batch.headers, batch.finalUpTo);
    return { checkpoint: moved, applied };
  });
  if (left) await settleAfterCatchUp(store);
  return committed;
}

/** Leaves the catch-up mode with no batch (the indexer at the head); does nothing if the store is not in it. */
export async function commitCaughtUp(store: Store, checkpoint: Checkpoint): Promise<Checkpoint> {
  let left = false;
  const kept = await store.db.transaction().execute(async (trx) => {
    const moved = await moveCheckpoint(trx, checkpoint, checkpoint.block);
    left = await isCatchingUp(trx, checkpoint.chain);
    if (left) await leaveCatchUp(trx, checkpoint.chain, store.findings);
    return moved;
  });
  if (left) await settleAfterCatchUp(store);
  return kept;
}

/** Takes the store back to `ancestor`: every event of a later block is removed with all it changed. */
export async function commitRollback(store: Store, checkpoint: Checkpoint, ancestor: BlockRef): Promise<{ checkpoint: Checkpoint; removed: number }> {
  return store.db.transaction().execute(async (trx) => {
    const moved = await moveCheckpoint(trx, checkpoint, ancestor);
    const catchingUp = await isCatchingUp(trx, checkpoint.chain);
    const removed = await rollbackEvents(trx, firstEventIdOf(ancestor.number + 1n), store.findings, catchingUp);
    await forgetBlocksAfter(trx, ancestor.number);
    return { checkpoint: moved, removed };
  });
}
