/**
 * Where the indexer reads a ledger. A source reports blocks and the TraceGate events in them; the
 * indexer keeps the checkpoint, finds reorganisations from block hashes and writes the store.
 * EvmSource reads an EVM chain over JSON-RPC; FabricSource reports a channel's blocks the same way
 * (its blocks never reorganise, so the hash checks simply always pass, and resuming from the saved
 * block is all it needs). settings.ts and from-settings.ts pick and connect one.
 */
import type { EndpointStatus } from "../../sdk/evm/endpoints.js";
import type { ChainEvent } from "../events.js";

export interface BlockHeader {
  number: bigint;
  hash: string;
  parentHash: string;
  /** Ledger time, seconds since the epoch. */
  time: bigint;
}

export interface LedgerSource {
  /** The ledger's identity (network, contracts or channel): a store follows one ledger only. */
  readonly id: string;
  /** No event of the ledger is older (an EVM source: the contracts' deployment block); default 0. */
  readonly firstBlock?: bigint;
  /** The newest block. */
  head(): Promise<BlockHeader>;
  /** Headers of every block from `from` to `to` inclusive, in order; undefined for a block the ledger does not have (any more). */
  headers(from: bigint, to: bigint): Promise<Array<BlockHeader | undefined>>;
  /**
   * The TraceGate events of blocks `from` to `to` inclusive, in chain order, with the hash of the block
   * each was read from (which the indexer checks against the headers it holds). Throws
   * ChainMovedError if the blocks changed while being read.
   */
  events(from: bigint, to: bigint): Promise<SourceEvent[]>;
  /** The JSON-RPC endpoints it reads, for the metrics (an EVM source over HTTP). */
  endpoints?(): readonly EndpointStatus[];
  /**
   * What the source learnt from the blocks it read that it needs to read on after them (EVM: the
   * organisation numbers), undefined when it is not at a range's end; a source that needs nothing omits
   * both. A cache that serves those blocks in its place (cache/) keeps it and hands it back with
   * `resumeReading`, so the source does not read them again.
   */
  readingState?(): ReadingState | undefined;
  resumeReading?(state: ReadingState): void;
}

export interface ReadingState {
  /** The block the state is for: everything before it has been read. */
  next: bigint;
  /** The source's own text. */
  state: string;
}

export interface SourceEvent extends ChainEvent {
  blockHash: string;
}

/** The ledger reorganised while a range was being read: read it again. */
export class ChainMovedError extends Error {}

/**
 * The ledger refuses the source's reads for a reason that retrying cannot fix (its identity, channel or
 * chaincode is wrong): the indexer stops with this message rather than retrying forever.
 */
export class SourceRefusedError extends Error {
  override name = "SourceRefusedError";
}
