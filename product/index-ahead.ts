/**
 * At start, before the indexer runs: an index that holds blocks the embedded chain's journal does not
 * (a journal restored from an older backup, cut to its intact blocks after damage, or a new chain) would otherwise
 * fail as a "deep reorganisation", or worse, carry on over other blocks with the same numbers (the
 * embedded chain has finality 0, so nothing below the head is checked again). Refuse, and say what to do.
 */
import type { Store } from "../indexer/store/engine.js";
import type { LedgerSource } from "../indexer/sources/source.js";

export class IndexAheadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IndexAheadError";
  }
}

/** Refuses an index whose checkpoint block the chain does not have, or has with another hash. Reads only. */
export async function refuseIndexAhead(store: Store, source: LedgerSource, journal: string, indexStore: string): Promise<void> {
  const checkpoint = await store.db.selectFrom("chains").select(["block_number", "block_hash"]).where("id", "=", source.id).executeTakeFirst();
  if (checkpoint === undefined || checkpoint.block_number < 0n) return;
  const [onChain] = await source.headers(checkpoint.block_number, checkpoint.block_number);
  if (onChain?.hash === checkpoint.block_hash) return;
  const found =
    onChain === undefined ? `the journal ends at block ${(await source.head()).number}` : `the journal's block ${checkpoint.block_number} is ${onChain.hash}`;
  const moveAside = /^postgres(ql)?:\/\//.test(indexStore)
    ? "drop or rename the PostgreSQL database of TRACEGATE_INDEX_STORE"
    : `move ${indexStore} aside with its -wal and -shm files`;
  throw new IndexAheadError(
    `the index is ahead of the chain journal ${journal}: the index holds blocks up to ${checkpoint.block_number} (${checkpoint.block_hash}), but ${found}. ` +
      "The journal lacks blocks the index recorded: it was restored from an older backup, cut to its intact blocks after damage, or made anew while the index was kept. Nothing was changed. " +
      `Restore the journal that goes with this index; or, to go on from this journal, ${moveAside} and start again: the index is rebuilt from the journal.`,
  );
}
