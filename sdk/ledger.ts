/**
 * What clients (CLI, anchoring, verification, indexer) need of a TraceGate ledger, whichever it is:
 * EvmLedger (sdk/evm) or FabricLedger (sdk/fabric). Like a Fabric Gateway, a Ledger is connected with
 * the identities it may act as ("ORG/ROLE": a key per account on the EVM, a certificate per identity on
 * Fabric); `submit` sends an action as one of them and returns its one event. Reads answer from the
 * ledger's committed state (LedgerView, so the domain rules can run over it); a malformed id or hash
 * reads as absent. Both answer the same questions the same way (test/ledger/ledger-contract.ts); where
 * Fabric gets a value another way, or it differs, the field says so.
 */
import type { Action, Actor, BatchAnchor, CustodyAction, DocumentAnchor, Hash, LedgerEvent, LedgerTime, LedgerView } from "../domain/index.js";

/** Where an action was recorded. */
export interface Transaction {
  /** The ledger's transaction id (an EVM transaction hash, 0x-prefixed; a Fabric transaction id, 64 hex digits). */
  tx: string;
  /**
   * The block that holds it. Fabric chaincode cannot see blocks: FabricLedger learns a submitted
   * transaction's block from its commit status, and a recorded one's (anchoredIn, revokedIn) from the
   * Gateway's commit status service, given the transaction id the chaincode found in key history.
   */
  block: bigint;
  /** The ledger time: the block's timestamp on the EVM, the transaction's timestamp (set by its client) on Fabric. */
  time: LedgerTime;
}

/** An accepted action: its one event and where it was recorded. */
export interface Submitted extends Transaction {
  event: LedgerEvent;
}

/** An accepted atomic batch: its actions' events in order, and the one transaction that recorded them all. */
export interface SubmittedBatch extends Transaction {
  events: LedgerEvent[];
}

/**
 * A transaction signed and about to be sent: its id (EVM hash, Fabric transaction id) and, where the
 * ledger allows, its bytes, to send it again. A sender that records this before it is sent can learn
 * after a crash whether it was applied (Ledger.recoverBatch).
 */
export interface SignedTransaction {
  id: string;
  raw: string;
}

export interface BatchOptions {
  /** Called with each transaction once signed and before it is sent; the send waits for it (write it down durably here). */
  onSigned?: (transaction: SignedTransaction) => Promise<void>;
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
  /** The event's index within its block: its log index on the EVM, its rank among the block's TraceGate events on Fabric. */
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
  /**
   * Sends custody actions as `actor` in one transaction, applied in order (each sees the lots the ones
   * before it wrote), all or none, and waits for it to be final. Throws BatchRefusedError (the first
   * refused action's index and its code; nothing changes), a TraceGateError INVALID_ARGUMENT for a batch
   * of no or more than MAX_BATCH_ACTIONS actions, LedgerUnavailableError as `submit` does.
   */
  submitBatch(actor: Actor, actions: readonly CustodyAction[], options?: BatchOptions): Promise<SubmittedBatch>;
  /**
   * What became of a batch `actor` sent of `actions` actions, when its sender stopped before it learnt: `sent` are the transactions handed to
   * `onSigned` for it (several when a stale read made it send again), oldest first. Each is sent again
   * where it may still be pending (the same signed bytes: applied at most once); returns the batch's
   * events if one of them was applied, undefined when none was or ever can be. Waits as `submit` does.
   */
  recoverBatch(actor: Actor, sent: readonly SignedTransaction[], actions: number): Promise<SubmittedBatch | undefined>;
  document(hash: Hash): Promise<AnchoredDocument | undefined>;
  /**
   * Every anchor recorded with document id `id` (ids are chosen by issuers: several may share one),
   * oldest first. On Fabric, anchors committed in one block come in hash order: their order within
   * the block is not visible to chaincode.
   */
  documentsWithId(id: string): Promise<AnchoredDocument[]>;
  batch(root: Hash): Promise<AnchoredBatch | undefined>;
  /** Why and where document `leaf` of batch `root` was revoked, or undefined while it is not. */
  batchMemberRevocation(root: Hash, leaf: Hash): Promise<Revocation | undefined>;
  /**
   * Accepted actions' events after `after` (from the start when absent) up to the final head, in order.
   * On Fabric every committed block is final; its blocks are read through qscc, since a chaincode
   * event stream never ends.
   */
  events(after?: Checkpoint): AsyncIterable<LedgerEntry>;
  close(): Promise<void>;
}

/** How a ledger names an identity it acts as: "ORG/ROLE". */
export function actorKey(actor: Actor): string {
  return `${actor.org}/${actor.role}`;
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
