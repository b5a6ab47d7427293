/**
 * A track segment's rows in the index store: the segment (keyed by its root) and the lots it closes. The
 * track anchorer records the segments it builds from captured reports, registration those anchored
 * elsewhere; both write them here, so the two kinds read back alike (track-reads.ts).
 */
import type { Kysely } from "kysely";
import type { Hash, Id } from "../../domain/index.js";
import type { SealMessage } from "../../domain/seal-track.js";
import type { Database } from "../../indexer/store/index.js";

export interface SegmentRow {
  root: Hash;
  seal: Id;
  /** Every lot the seal closed (a stored file names at most 32; the index keeps them all). */
  lots: readonly Id[];
  /** The segment's messages, in time order. */
  messages: readonly SealMessage[];
  cid: string | null;
  state: "open" | "anchored";
  tx: string | null;
}

/** Inserts the segment and its lots unless its root is known; returns whether it was new. Run it inside the caller's transaction. */
export async function insertSegment(db: Kysely<Database>, { root, seal, lots, messages, cid, state, tx }: SegmentRow): Promise<boolean> {
  const inserted = await db
    .insertInto("seal_segments")
    .values({
      root,
      seal,
      lots: JSON.stringify(lots),
      count: BigInt(messages.length),
      first_time: messages[0]!.time,
      last_time: messages.at(-1)!.time,
      cid,
      state,
      tx_hash: tx,
    })
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows === 0n) return false;
  await db
    .insertInto("seal_segment_lots")
    .values(lots.map((lot) => ({ lot, root })))
    .onConflict((conflict) => conflict.doNothing())
    .execute();
  return true;
}
