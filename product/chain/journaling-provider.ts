/**
 * An EIP-1193 provider in front of the embedded chain that journals every block the chain makes, so
 * that the chain can be replayed after a restart. Requests that may make blocks run one at a time,
 * their new blocks are written to the journal in their turn, and they are answered only once those
 * lines are on disk (whatever the answer: a reverted transaction is mined too). The wait for the disk
 * is outside the turn, so requests that arrive together share one fdatasync, and the calls of a
 * JSON-RPC batch (`batch`) wait for it once, after the last of them. Reads pass straight
 * through, concurrently (as on any node, a read may see a block a moment before it is on disk).
 * Requests that change the chain's state without a block could not be replayed, so they are refused.
 */
import { keccak256 } from "ethers";
import { ChainDataError, type ChainJournal, type JournalBlock } from "./chain-journal.js";
import { rawTransaction, type RpcTransaction } from "./raw-transaction.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";

const BLOCK_MAKING = new Set(["eth_sendRawTransaction", "eth_sendTransaction", "evm_mine", "hardhat_mine"]);

/** The node methods (evm_*, hardhat_*) a journaled chain allows: they make blocks, shape the next ones (which the journal records), or read. */
const ALLOWED_NODE_METHODS = new Set([
  ...BLOCK_MAKING,
  "evm_setAutomine",
  "evm_setNextBlockTimestamp",
  "evm_increaseTime",
  "hardhat_getAutomine",
  "hardhat_metadata",
  "hardhat_getStackTraceFailuresCount",
  "hardhat_setLoggingEnabled",
  // The mempool is not journaled (it is lost on a restart, as on any node): dropping from it is harmless.
  "hardhat_dropTransaction",
]);

const INSTEAD: Readonly<Record<string, string>> = {
  hardhat_setBalance: "fund accounts with a value transfer from a funded account",
  hardhat_setCode: "deploy contracts with a transaction",
  hardhat_setStorageAt: "change contract state with transactions",
  hardhat_setNonce: "send transactions from the account",
  hardhat_impersonateAccount: "sign the account's transactions with its key (eth_sendRawTransaction), or send from one of the node's own accounts",
  hardhat_stopImpersonatingAccount: "sign the account's transactions with its key (eth_sendRawTransaction)",
  evm_snapshot: "a journaled chain only moves forward; to start over, stop the node and move its data directory aside",
  evm_revert: "a journaled chain only moves forward; to start over, stop the node and move its data directory aside",
  hardhat_reset: "stop the node and move its data directory aside to start a new chain",
  evm_setIntervalMining: "mine with evm_mine or hardhat_mine, or leave automine on",
  hardhat_intervalMine: "mine with evm_mine or hardhat_mine",
};

/** EIP-1474 "method not supported": the request was valid but this node will not run it. */
const METHOD_NOT_SUPPORTED = -32004;

/** A request the journaled chain refuses; `code` and `message` go back as the JSON-RPC error. */
export class UnjournaledMethodError extends Error {
  readonly code = METHOD_NOT_SUPPORTED;

  constructor(readonly method: string) {
    super(
      `${method} is refused on this persistent chain: it changes the chain without making a block, so the chain journal could not replay it after a restart. Instead, ${INSTEAD[method] ?? "use transactions and evm_mine"}`,
    );
    this.name = "UnjournaledMethodError";
  }
}

export class JournalingProvider implements Eip1193Provider {
  /** The last turn taken (a block-making request and its journaling), settled or not: the next starts after it. */
  private writing: Promise<unknown> = Promise.resolve();
  /**
   * Raw transactions sent through this provider and not yet in a journaled block, by hash: journaled as
   * they were sent (a raw transaction hashes to its hash) rather than re-serialised from the block.
   */
  private readonly sent = new Map<string, string>();
  /** Set when new blocks could not be journaled: the chain is ahead of its journal and must make no more. */
  private broken: Error | undefined;
  /** The last block whose journal line is on disk. */
  private onDisk: bigint;

  constructor(
    private readonly chain: Eip1193Provider,
    private readonly journal: ChainJournal,
    /** The last block the journal holds. */
    private journaled: bigint,
  ) {
    this.onDisk = journaled;
  }

  /**
   * The last block a restart would replay: its line is on disk. Blocks after it are made, but not yet
   * durable, or never to be (the journal failed); whoever keeps what it reads (the indexer) stops here.
   */
  get durableHead(): bigint {
    return this.onDisk;
  }

  request(request: { method: string; params?: readonly unknown[] }): Promise<unknown> {
    return this.answer(request, true);
  }

  /**
   * Runs `work`, the calls of a JSON-RPC batch one after another on the provider it is given: each
   * block-making call is answered to it once its blocks are written, and `work`'s result is given once
   * they are all on disk, with one fdatasync for the batch rather than one per block (a loader mining
   * many slots per batch).
   */
  async batch<T>(work: (provider: Eip1193Provider) => Promise<T>): Promise<T> {
    const result = await work({ request: (request) => this.answer(request, false) });
    await this.durable();
    return result;
  }

  /** The chain's answer to `request`; if it may make blocks, once they are written, and if `durable`, on disk. */
  private async answer(request: { method: string; params?: readonly unknown[] }, durable: boolean): Promise<unknown> {
    const { method } = request;
    if ((method.startsWith("evm_") || method.startsWith("hardhat_")) && !ALLOWED_NODE_METHODS.has(method)) throw new UnjournaledMethodError(method);
    if (!BLOCK_MAKING.has(method)) return this.chain.request(request);
    const made = await this.inTurn(() => this.makeBlocks(request));
    if (durable) await this.durable();
    if (made.status === "rejected") throw made.reason;
    return made.value;
  }

  /** Journals the blocks made since the last journaled one, such as those a deployment made past this provider. */
  async recordNewBlocks(): Promise<void> {
    await this.inTurn(() => this.recordToHead());
    await this.durable();
  }

  /** Waits for the requests in progress, then for their lines to be on disk, and closes the journal. */
  async close(): Promise<void> {
    await this.writing;
    await this.journal.close();
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.writing.then(work);
    this.writing = turn.catch(() => undefined);
    return turn;
  }

  /** The chain's answer, given once the blocks it made are written (not yet synced). */
  private async makeBlocks(request: { method: string; params?: readonly unknown[] }): Promise<PromiseSettledResult<unknown>> {
    if (this.broken !== undefined) throw this.broken;
    const raw = request.method === "eth_sendRawTransaction" && typeof request.params?.[0] === "string" ? request.params[0] : undefined;
    const hash = raw === undefined ? undefined : keccak256(raw);
    if (hash !== undefined) this.sent.set(hash, raw!);
    const [answer] = await Promise.allSettled([this.chain.request(request)]);
    if (answer!.status === "rejected" && hash !== undefined) this.sent.delete(hash);
    await this.recordToHead();
    return answer!;
  }

  /** Waits until every block journaled so far is on disk. */
  private async durable(): Promise<void> {
    const written = this.journaled;
    try {
      await this.journal.commit();
    } catch (error) {
      throw this.break(error);
    }
    if (written > this.onDisk) this.onDisk = written;
  }

  private async recordToHead(): Promise<void> {
    if (this.broken !== undefined) throw this.broken;
    try {
      const head = BigInt((await this.chain.request({ method: "eth_blockNumber" })) as string);
      const blocks: JournalBlock[] = [];
      for (let number = this.journaled + 1n; number <= head; number++) blocks.push(await this.readBlock(number));
      this.journal.write(blocks);
      this.journaled = head;
    } catch (error) {
      throw this.break(error);
    }
  }

  /** The chain is ahead of what its journal holds on disk: it makes no more blocks. */
  private break(error: unknown): Error {
    const reason = error instanceof Error ? error.message : String(error);
    this.broken ??= new ChainDataError(
      this.journal.path,
      `the chain made blocks its journal ${this.journal.path} could not record, so it makes no more (restart the node to go back to the journal): ${reason}`,
      { cause: error },
    );
    return this.broken;
  }

  private async readBlock(number: bigint): Promise<JournalBlock> {
    const sent = this.sent;
    const params = (full: boolean) => ({ method: "eth_getBlockByNumber", params: [`0x${number.toString(16)}`, full] });
    const hashes = (await this.chain.request(params(false))) as { hash: string; timestamp: string; transactions: string[] };
    // A block of transactions sent through here needs none read back (a batch's are 45 KB).
    const sentAll = hashes.transactions.every((hash) => sent.has(hash));
    const txs = sentAll
      ? hashes.transactions.map((hash) => sent.get(hash)!)
      : ((await this.chain.request(params(true))) as { transactions: RpcTransaction[] }).transactions.map((tx) => sent.get(tx.hash) ?? rawTransaction(tx));
    for (const hash of hashes.transactions) sent.delete(hash);
    return { number, hash: hashes.hash, timestamp: BigInt(hashes.timestamp), txs };
  }
}
