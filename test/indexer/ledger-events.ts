/** Domain events placed on a made-up chain (one block each), to write into a store without a ledger. */
import type { LedgerEvent } from "../../domain/index.js";
import type { ChainEvent } from "../../indexer/events.js";
import type { Batch } from "../../indexer/store/commit.js";
import type { BlockHeader } from "../../indexer/sources/source.js";

const hash = (block: bigint) => `0x${block.toString(16).padStart(64, "0")}`;

/** Event i in block i, alone in its transaction. */
export function onChain(events: readonly LedgerEvent[]): ChainEvent[] {
  return events.map((event, i) => ({ block: BigInt(i), index: 0, tx: hash(BigInt(i) + (1n << 200n)), event }));
}

export function headerOf(block: bigint): BlockHeader {
  return { number: block, hash: hash(block), parentHash: block === 0n ? "" : hash(block - 1n), time: 0n };
}

/** The batch of blocks `from` to `to` (inclusive), every block's header recorded. */
export function batchOf(events: readonly ChainEvent[], from: bigint, to: bigint): Batch {
  const headers: BlockHeader[] = [];
  for (let block = from; block <= to; block++) headers.push(headerOf(block));
  return { events: events.filter(({ block }) => block >= from && block <= to), to: headerOf(to), headers, finalUpTo: -1n };
}
