/**
 * Rebuilds a chain from its journal, in process (no HTTP): for each block, its raw transactions enter
 * the mempool in order (automine off, FIFO mempool), evm_mine makes the block with its recorded
 * timestamp, and the new block's hash must be the recorded one. A chain that differs anywhere (an
 * altered journal, another EDR version or network configuration) is refused, never patched.
 */
import { CHAIN_DATA_REMEDY, ChainDataError, type JournalHeader, type JournalReader } from "./chain-journal.js";
import { eip1193Rpc, type Eip1193Provider } from "../../sdk/evm/rpc.js";

export interface ReplayProgress {
  blocks: number;
  totalBlocks: number;
  transactions: number;
  seconds: number;
  blocksPerSecond: number;
  transactionsPerSecond: number;
}

/** The chain rebuilt from the journal differs from the recorded one, at `blockNumber` (0: genesis). */
export class ChainReplayError extends ChainDataError {
  constructor(
    path: string,
    readonly blockNumber: bigint,
    detail: string,
    /** What the journal records, and what the rebuilt chain has, when they are values that differ. */
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(
      path,
      `cannot replay the chain journal ${path}: ${detail}. The journal was altered, or written by another Hardhat/EDR version or network configuration. ${CHAIN_DATA_REMEDY}`,
    );
    this.name = "ChainReplayError";
  }
}

const PROGRESS_INTERVAL_MS = 250;

/** Refuses a chain whose id, hardfork or genesis block is not the journal's. */
export function checkHeader(path: string, recorded: JournalHeader, actual: JournalHeader): void {
  const differences: Array<[string, string, string]> = [
    ["chain id", String(recorded.chainId), String(actual.chainId)],
    ["hardfork", recorded.hardfork, actual.hardfork],
    ["genesis timestamp", String(recorded.genesisTimestamp), String(actual.genesisTimestamp)],
    ["genesis block hash", recorded.genesisHash, actual.genesisHash],
  ];
  for (const [what, expected, found] of differences) {
    if (expected !== found) throw new ChainReplayError(path, 0n, `the ${what} is ${found} here but ${expected} in the journal`, expected, found);
  }
}

/** Replays every block of `journal` onto a chain that holds only the journal's genesis, and leaves automine on. */
export async function replayJournal(
  provider: Eip1193Provider,
  journal: JournalReader,
  onProgress: (progress: ReplayProgress) => void = () => {},
): Promise<ReplayProgress> {
  const rpc = eip1193Rpc(provider);
  const started = performance.now();
  let reported = started;
  let blocks = 0;
  let transactions = 0;
  const progress = (): ReplayProgress => {
    const seconds = (performance.now() - started) / 1000;
    return { blocks, totalBlocks: journal.blockCount, transactions, seconds, blocksPerSecond: blocks / seconds, transactionsPerSecond: transactions / seconds };
  };
  onProgress(progress());
  await rpc.request("evm_setAutomine", [false]);
  for (const block of journal.blocks()) {
    const step = async <T>(what: string, method: string, params: unknown[]): Promise<T> => {
      try {
        return await rpc.request<T>(method, params);
      } catch (error) {
        throw new ChainReplayError(
          journal.path,
          block.number,
          `block ${block.number}: ${what} was refused (${error instanceof Error ? error.message : error})`,
        );
      }
    };
    for (const [index, tx] of block.txs.entries()) await step(`its transaction ${index}`, "eth_sendRawTransaction", [tx]);
    await step(`mining it at timestamp ${block.timestamp}`, "evm_mine", [`0x${block.timestamp.toString(16)}`]);
    const { hash } = await rpc.request<{ hash: string }>("eth_getBlockByNumber", ["latest", false]);
    if (hash !== block.hash)
      throw new ChainReplayError(journal.path, block.number, `block ${block.number} has hash ${hash} here but ${block.hash} in the journal`, block.hash, hash);
    blocks++;
    transactions += block.txs.length;
    if (performance.now() - reported >= PROGRESS_INTERVAL_MS) {
      reported = performance.now();
      onProgress(progress());
    }
  }
  await rpc.request("evm_setAutomine", [true]);
  const done = progress();
  onProgress(done);
  return done;
}
