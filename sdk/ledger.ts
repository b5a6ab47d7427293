/**
 * What clients (CLI, anchoring, verification, indexer) need of a TraceGate ledger, whichever it is:
 * EvmLedger (sdk/evm) or a Fabric Gateway client. Like a Fabric Gateway, a Ledger is connected with the
 * identities it may act as; `submit` sends an action as one of them and returns its one event.
 * Reads answer from the ledger's committed state (LedgerView, so the domain rules can run over it).
 */
import type {
  Action,
  Actor,
  BatchAnchor,
  DocumentAnchor,
  Hash,
  LedgerEvent,
  LedgerTime,
  LedgerView,
} from "../domain/index.js";

/** Where an action was recorded. */
export interface Transaction {
  /** The ledger's transaction id (an EVM transaction hash, a Fabric transaction id). */
  tx: string;
  block: bigint;
  time: LedgerTime;
}

/** An accepted action: its one event and where it was recorded. */
export interface Submitted extends Transaction {
  event: LedgerEvent;
}

export interface Revocation {
  reason: string;
  revokedIn: Transaction;
}

/** A document anchor with what the ledger recorded about it over time. */
export interface AnchoredDocument extends DocumentAnchor {
  anchoredIn: Transaction;
  /** Why and where it was revoked, when its status is REVOKED. */
  revocation: Revocation | null;
}

export interface AnchoredBatch extends BatchAnchor {
  anchoredIn: Transaction;
}

/** A position in the ledger's event stream: events after it are the ones not yet seen. */
export interface Checkpoint {
  block: bigint;
  /** The event's index within its block. */
  index: number;
}

export interface LedgerEntry extends Submitted {
  checkpoint: Checkpoint;
}

export interface Ledger extends LedgerView {
  /**
   * Validates the action's arguments, sends it as `actor` (an identity this ledger was connected with)
   * and waits for it to be final. Throws a TraceGateError when the rules refuse it (nothing changes),
   * LedgerUnavailableError when the ledger cannot be reached or answers unexpectedly.
   * Many submissions may be in flight at once.
   */
  submit(actor: Actor, action: Action): Promise<Submitted>;
  document(hash: Hash): Promise<AnchoredDocument | undefined>;
  /** Every anchor recorded with document id `id` (ids are chosen by issuers: several may share one). */
  documentsWithId(id: string): Promise<AnchoredDocument[]>;
  batch(root: Hash): Promise<AnchoredBatch | undefined>;
  /** Why and where document `leaf` of batch `root` was revoked, or undefined while it is not. */
  batchMemberRevocation(root: Hash, leaf: Hash): Promise<Revocation | undefined>;
  /** Accepted actions' events after `after` (from the start when absent) up to the final head, in order. */
  events(after?: Checkpoint): AsyncIterable<LedgerEntry>;
  close(): Promise<void>;
}

/** The ledger could not be reached, or answered in a way no rule explains. Retrying may help. */
export class LedgerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LedgerUnavailableError";
  }
}

/** The ledger was connected with settings that cannot work (no contract at an address, no key for an actor). */
export class LedgerConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerConfigurationError";
  }
}
