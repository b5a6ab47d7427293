/**
 * The store's two write transactions. Each moves the checkpoint (compare and set, first) together with
 * the data it covers, so after a crash the store holds exactly the events up to its checkpoint.
 */
import type { ChainEvent } from "../events.js";
import { firstEventIdOf } from "../events.js";
import type { BlockHeader } from "../sources/source.js";
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
}

export async function commitBatch(store: Store, checkpoint: Checkpoint, batch: Batch): Promise<{ checkpoint: Checkpoint; applied: number }> {
  return store.db.transaction().execute(async (trx) => {
    const moved = await moveCheckpoint(trx, checkpoint, batch.to);
    const applied = await applyEvents(trx, checkpoint.chain, batch.events, store.findings);
    await recordBlocks(trx, batch.headers, batch.finalUpTo);
    return { checkpoint: moved, applied };
  });
}

/** Takes the store back to `ancestor`: every event of a later block is removed with all it changed. */
export async function commitRollback(store: Store, checkpoint: Checkpoint, ancestor: BlockRef): Promise<{ checkpoint: Checkpoint; removed: number }> {
  return store.db.transaction().execute(async (trx) => {
    const moved = await moveCheckpoint(trx, checkpoint, ancestor);
    const removed = await rollbackEvents(trx, firstEventIdOf(ancestor.number + 1n), store.findings);
    await forgetBlocksAfter(trx, ancestor.number);
    return { checkpoint: moved, removed };
  });
}
