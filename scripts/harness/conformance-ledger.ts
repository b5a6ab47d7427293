import type { Action, Actor, CustodyAction, DocumentAnchor, Facility, Hash, Id, LedgerEvent, LedgerTime, Lot, Organisation } from "../../domain/index.js";

/** The document fields every ledger stores (id, cid and subjects live in events only on the EVM). */
export type DocumentRecord = Pick<DocumentAnchor, "hash" | "kind" | "issuer" | "version" | "status" | "supersededBy" | "anchoredAt">;

/**
 * A ledger under test: the domain's in-memory ledger, the EVM contracts, the Fabric chaincode.
 * Conformance vectors and the differential test drive every ledger through this one interface.
 */
export interface ConformanceLedger {
  /**
   * Registers organisations, giving each one member account per role its kind allows
   * (ROLES_BY_ORG_KIND), and facilities. An actor whose organisation is not registered acts
   * through an account that belongs to no organisation.
   */
  register(organisations: readonly Organisation[], facilities: readonly Facility[]): Promise<void>;
  /**
   * Submits an action at ledger time `time` (strictly increasing). Returns the action's one event in
   * the domain's schema, or throws a TraceGateError carrying the ledger's error code.
   */
  submit(actor: Actor, action: Action, time: LedgerTime): Promise<LedgerEvent>;
  /**
   * Submits custody actions as one atomic batch at ledger time `time`. Returns each action's event in
   * order, or throws a BatchRefusedError (index and code of the first refused action) and changes nothing.
   */
  submitBatch(actor: Actor, actions: readonly CustodyAction[], time: LedgerTime): Promise<LedgerEvent[]>;
  lot(id: Id): Promise<Lot | undefined>;
  document(hash: Hash): Promise<DocumentRecord | undefined>;
  isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean>;
  close(): Promise<void>;
}
