/**
 * The embedded chain as the indexer follows it: up to the last block its journal holds on disk. A
 * block made but not yet durable — its line on its way to the disk, or never to get there (a full
 * disk) — is not indexed, so the index never holds a block that a restart would not replay (which
 * index-ahead.ts would then refuse).
 */
import type { LedgerSource } from "../indexer/sources/source.js";

export function durableBlocksOnly(source: LedgerSource, durableHead: () => bigint): LedgerSource {
  return {
    id: source.id,
    firstBlock: source.firstBlock,
    async head() {
      const head = await source.head();
      const durable = durableHead();
      if (head.number <= durable) return head;
      const [header] = await source.headers(durable, durable);
      if (header === undefined) throw new Error(`the chain has no block ${durable}, which its journal holds`);
      return header;
    },
    headers: (from, to) => source.headers(from, to),
    events: (from, to) => source.events(from, to),
    ...(source.endpoints === undefined ? {} : { endpoints: () => source.endpoints!() }),
    ...(source.readingState === undefined ? {} : { readingState: () => source.readingState!() }),
    ...(source.resumeReading === undefined ? {} : { resumeReading: (state) => source.resumeReading!(state) }),
  };
}
