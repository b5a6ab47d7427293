import type { LedgerEvent } from "./events.js";
import type { BatchAnchor, DocumentAnchor, Facility, Hash, Id, Lot, Norm, Organisation } from "./types.js";

/**
 * What the rules may read of a ledger. Each ledger answers from its own state: the in-memory ledger
 * from maps, the Fabric chaincode from world state (so every read joins the transaction's read set).
 */
export interface LedgerView {
  organisation(id: Id): Promise<Organisation | undefined>;
  facility(id: Id): Promise<Facility | undefined>;
  document(hash: Hash): Promise<DocumentAnchor | undefined>;
  batch(root: Hash): Promise<BatchAnchor | undefined>;
  isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean>;
  norm(owner: Id, product: Id): Promise<Norm | undefined>;
  lot(id: Id): Promise<Lot | undefined>;
}

/** Everything an accepted action writes, and its one event. A rejected action writes nothing. */
export interface Outcome {
  lots: Lot[];
  documents: DocumentAnchor[];
  batch?: BatchAnchor;
  revokedBatchMember?: { root: Hash; leaf: Hash };
  norm?: Norm;
  event: LedgerEvent;
}
