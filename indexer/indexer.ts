/**
 * The indexer: follows a ledger source into the store, from its checkpoint to the head and then along
 * it, one transaction per batch of blocks.
 *
 * Reorganisations: blocks more than `finality` below the head are final. The store records the hashes
 * of the non-final blocks it ingested; before each step it checks that its checkpoint block is still
 * on the chain, and when it is not, it finds the newest recorded block the chain still has (the
 * common ancestor), removes everything after it in one transaction and carries on from there. New
 * non-final blocks must chain onto the checkpoint (parent hashes), and every event must come from the
 * block hash the headers give; otherwise the chain moved while it was read, and the step is retried.
 *
 * Far behind the head (more than `catchUpBlocks` final blocks to go, and at least as many blocks as the
 * store holds) it catches up: the batches leave the API's indexes and the findings to be made once near
 * the head (store/catch-up.ts).
 */
import type { Store } from "./store/engine.js";
import { CATCH_UP_BLOCKS, catchesUp, isCatchingUp } from "./store/catch-up.js";
import { commitBatch, commitCaughtUp, commitRollback } from "./store/commit.js";
import { openCheckpoint, recordedBlocks, StaleCheckpointError, type BlockRef, type Checkpoint } from "./store/checkpoint.js";
import { ChainMovedError, SourceRefusedError, type BlockHeader, type LedgerSource } from "./sources/source.js";

export interface IndexerOptions {
  /** Blocks this far below the head or deeper never change. */
  finality: number;
  /** Blocks per read (eth_getLogs range) and per transaction. */
  batchBlocks: number;
  /** Wait between polls once at the head, in milliseconds. */
  pollMs: number;
  /** Catch up while more final blocks than this are to go at a batch's start (default CATCH_UP_BLOCKS; store/catch-up.ts). */
  catchUpBlocks?: number;
}

export interface BatchReport {
  from: bigint;
  to: BlockHeader;
  head: BlockHeader;
  events: number;
  seconds: number;
  /** Written catching up: findings and the API's indexes follow near the head. */
  catchingUp: boolean;
}

/** What the indexer reports as it goes (logs, metrics). */
export interface IndexerObserver {
  committed(report: BatchReport): void;
  /** Nothing new: the store is at block `indexed`, the ledger's head is `head`. */
  atHead?(head: BlockHeader, indexed: bigint): void;
  rolledBack(report: { from: bigint; to: BlockRef; removed: number }): void;
  failed(error: unknown): void;
}

/** The chain changed deeper than the store keeps block hashes: it cannot be followed safely. */
export class DeepReorgError extends Error {}

export type StepOutcome = "advanced" | "rolled back" | "at head";

export class Indexer {
  private constructor(
    private readonly store: Store,
    private readonly source: LedgerSource,
    private readonly options: IndexerOptions,
    private readonly observer: IndexerObserver,
    private checkpoint: Checkpoint,
    private catchingUp: boolean,
  ) {}

  static async open(store: Store, source: LedgerSource, options: IndexerOptions, observer: IndexerObserver): Promise<Indexer> {
    const checkpoint = await openCheckpoint(store.db, source.id);
    return new Indexer(store, source, options, observer, checkpoint, await isCatchingUp(store.db, checkpoint.chain));
  }

  /** Steps until aborted, or until the head when `untilHead`; retries what fails, except a reorg deeper than finality and a source refused for good. */
  async run({ signal, untilHead = false }: { signal?: AbortSignal; untilHead?: boolean } = {}): Promise<void> {
    let delay = this.options.pollMs;
    while (!signal?.aborted) {
      try {
        const outcome = await this.step();
        delay = this.options.pollMs;
        if (outcome === "at head") {
          if (untilHead) return;
          await sleep(this.options.pollMs, signal);
        }
      } catch (error) {
        if (error instanceof DeepReorgError || error instanceof SourceRefusedError) throw error;
        if (error instanceof StaleCheckpointError) this.checkpoint = await openCheckpoint(this.store.db, this.source.id);
        else this.observer.failed(error);
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  async step(): Promise<StepOutcome> {
    const started = performance.now();
    const head = await this.source.head();
    const last = this.checkpoint.block;
    const finalUpTo = head.number - BigInt(this.options.finality);
    if (last.number >= 0n && last.number > finalUpTo) {
      const [current] = await this.source.headers(last.number, last.number);
      if (current?.hash !== last.hash) {
        await this.rollBack();
        return "rolled back";
      }
    }
    // A fresh store starts where the ledger's events start (a start beyond the head waits for it).
    const from = max(last.number + 1n, this.source.firstBlock ?? 0n);
    if (from > head.number) {
      if (this.catchingUp) {
        this.checkpoint = await commitCaughtUp(this.store, this.checkpoint);
        this.catchingUp = false;
      }
      this.observer.atHead?.(head, last.number);
      return "at head";
    }

    const to = min(head.number, from + BigInt(this.options.batchBlocks) - 1n);
    const catchingUp = catchesUp({
      from,
      start: this.source.firstBlock ?? 0n,
      finalUpTo,
      catchingUp: this.catchingUp,
      catchUpBlocks: this.options.catchUpBlocks ?? CATCH_UP_BLOCKS,
    });
    const events = await this.source.events(from, to);
    const nonFinalFrom = from > finalUpTo ? from : finalUpTo + 1n;
    const headers = nonFinalFrom <= to ? await this.source.headers(nonFinalFrom, to) : [];
    const [toHeader] = headers.length > 0 ? headers.slice(-1) : await this.source.headers(to, to);
    if (toHeader === undefined || headers.includes(undefined)) throw new ChainMovedError(`blocks up to ${to} are gone`);
    checkLinks(headers as BlockHeader[], nonFinalFrom === from && from === last.number + 1n ? last : undefined);
    const hashes = new Map((headers as BlockHeader[]).map(({ number, hash }) => [number, hash]));
    for (const { block, blockHash } of events) {
      if (block >= nonFinalFrom && hashes.get(block) !== blockHash) throw new ChainMovedError(`block ${block} changed while it was read`);
    }

    const committed = await commitBatch(this.store, this.checkpoint, {
      events,
      to: { number: toHeader.number, hash: toHeader.hash },
      headers: headers as BlockHeader[],
      finalUpTo,
      catchingUp,
    });
    this.checkpoint = committed.checkpoint;
    this.catchingUp = catchingUp;
    this.observer.committed({ from, to: toHeader, head, events: committed.applied, seconds: (performance.now() - started) / 1000, catchingUp });
    return "advanced";
  }

  /** Finds the newest recorded block the chain still has, and takes the store back to it. */
  private async rollBack(): Promise<void> {
    const recorded = await recordedBlocks(this.store.db);
    const lowest = recorded.at(-1);
    const chain = lowest === undefined ? [] : await this.source.headers(lowest.number, recorded[0]!.number);
    const onChain = new Map(chain.flatMap((header) => (header === undefined ? [] : [[header.number, header.hash] as const])));
    const ancestor = recorded.find(({ number, hash }) => onChain.get(number) === hash);
    if (ancestor === undefined) {
      throw new DeepReorgError(`the chain no longer has block ${this.checkpoint.block.number} nor any of the ${recorded.length} before it the store recorded`);
    }
    const from = this.checkpoint.block.number;
    const { checkpoint, removed } = await commitRollback(this.store, this.checkpoint, ancestor);
    this.checkpoint = checkpoint;
    this.observer.rolledBack({ from, to: ancestor, removed });
  }
}

/** Each header's parent is the header before it; the first's is `parent` when given. */
function checkLinks(headers: readonly BlockHeader[], parent: BlockRef | undefined): void {
  let previous = parent !== undefined && parent.number >= 0n ? parent.hash : undefined;
  for (const header of headers) {
    if (previous !== undefined && header.parentHash !== previous) throw new ChainMovedError(`block ${header.number} does not follow the block before it`);
    previous = header.hash;
  }
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
