/** What a scenario is made of: steps, each one action accepted by the rules at its ledger time. */
import type { Action, Actor, DocumentKind, Id, LedgerEvent, LedgerTime, Lot, Norm } from "../domain/index.js";

export interface Step {
  /** Ledger time (seconds): the block time the step must be recorded at. */
  time: LedgerTime;
  actor: Actor;
  action: Action;
  /**
   * For an anchor: the document's exact bytes (the action anchors their SHA-256), and who reads it
   * besides its issuer and customs: whom it is issued to, and the owners of the lots it names. For a
   * SEAL_TRACK batch: the segment file, whose messages are the batch's members (domain/seal-track.ts).
   */
  document?: { kind: DocumentKind; bytes: Uint8Array; readers: Id[] };
  /**
   * The state a custody action reads, as it is before the step: on the EVM a custody call carries
   * the lots (and the transform's norm) it acts on, and the contract checks them against their hashes.
   */
  reads: { lots: Lot[]; norm?: Norm };
  /** The event the rules decided for the action at `time`: what a ledger records for it, so a reader can do without one. */
  event: LedgerEvent;
}
