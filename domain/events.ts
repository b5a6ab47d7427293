import type {
  BatchAnchor,
  CustodyActionType,
  DocumentAnchor,
  DocumentKind,
  Hash,
  Id,
  LedgerTime,
  Lot,
  LotState,
  Norm,
  NormDeviation,
  QuantityPart,
} from "./types.js";

/** One lot written by a custody action: its state before (NONE when created) and its full state after. */
export interface LotTransition {
  from: LotState;
  lot: Lot;
}

/**
 * The one event of an accepted custody action. It carries every lot the action wrote in full, so an
 * indexer needs nothing but events.
 */
export interface CustodyEvent {
  type: "custody";
  action: CustodyActionType;
  actor: Id;
  facility: Id | "";
  documents: Hash[];
  reason: string;
  deviations: NormDeviation[];
  /**
   * True when the outcome calls for an auditor: a transform consumed more of some material than its
   * norm allows, an unseal found the seal broken or the deadline passed, a seal reported OPENED.
   */
  flagged: boolean;
  /** Transform inputs: how much of each input lot the transform consumed. */
  consumed: QuantityPart[];
  transitions: LotTransition[];
  time: LedgerTime;
}

export interface DocumentAnchoredEvent {
  type: "documentAnchored";
  document: DocumentAnchor;
  time: LedgerTime;
}

export interface DocumentRevokedEvent {
  type: "documentRevoked";
  hash: Hash;
  issuer: Id;
  reason: string;
  time: LedgerTime;
}

export interface BatchAnchoredEvent {
  type: "batchAnchored";
  batch: BatchAnchor;
  time: LedgerTime;
}

export interface BatchMemberRevokedEvent {
  type: "batchMemberRevoked";
  root: Hash;
  leaf: Hash;
  issuer: Id;
  kind: DocumentKind;
  reason: string;
  time: LedgerTime;
}

export interface NormRegisteredEvent {
  type: "normRegistered";
  norm: Norm;
  time: LedgerTime;
}

export type LedgerEvent = CustodyEvent | DocumentAnchoredEvent | DocumentRevokedEvent | BatchAnchoredEvent | BatchMemberRevokedEvent | NormRegisteredEvent;
