import type { LedgerEvent } from "./events.js";
import {
  ROLES_BY_ORG_KIND,
  type Actor,
  type BatchAnchor,
  type DocumentAnchor,
  type Facility,
  type Hash,
  type Id,
  type Lot,
  type Norm,
  type Organisation,
} from "./types.js";

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

/**
 * The actor's organisation, if the actor is a legitimate member of it: the organisation is registered
 * and its kind may grant the actor's role. Anyone else acts as an outsider.
 */
export async function memberOrganisation(view: LedgerView, actor: Actor): Promise<Organisation | undefined> {
  const organisation = await view.organisation(actor.org);
  return organisation !== undefined && ROLES_BY_ORG_KIND[organisation.kind].includes(actor.role) ? organisation : undefined;
}
