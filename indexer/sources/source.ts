/**
 * Where the indexer reads a ledger. A source reports blocks and the TraceGate events in them; the
 * indexer keeps the checkpoint, finds reorganisations from block hashes and writes the store.
 * EvmSource reads an EVM chain over JSON-RPC; FabricSource reports a channel's blocks the same way
 * (its blocks never reorganise, so the hash checks simply always pass, and resuming from the saved
 * block is all it needs). settings.ts and from-settings.ts pick and connect one.
 */
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
