/** The indexer's options in the catch-up tests: small batches, catching up until 20 blocks before the head, or never. */
import type { IndexerOptions } from "../../indexer/indexer.js";

export const NORMAL: IndexerOptions = { finality: 2, batchBlocks: 7, pollMs: 1, catchUpBlocks: Number.MAX_SAFE_INTEGER };
export const CATCHING_UP: IndexerOptions = { ...NORMAL, catchUpBlocks: 20 };
