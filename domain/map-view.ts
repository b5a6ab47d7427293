import type { BatchAnchor, DocumentAnchor, Facility, Hash, Id, Lot, Norm, Organisation } from "./types.js";
import type { LedgerView, Outcome } from "./view.js";

/**
 * The ledger's state in plain maps, read as a LedgerView and written by accepted outcomes: shared by
 * the reference ledger (InMemoryLedger) and by simulations that keep only part of the state.
 */
export class MapLedgerView implements LedgerView {
  protected readonly organisations = new Map<Id, Organisation>();
  protected readonly facilities = new Map<Id, Facility>();
  protected readonly documents = new Map<Hash, DocumentAnchor>();
  protected readonly batches = new Map<Hash, BatchAnchor>();
  protected readonly revokedBatchMembers = new Set<string>();
  protected readonly norms = new Map<string, Norm>();
  protected readonly lots = new Map<Id, Lot>();

  /** Writes what an accepted action changed. */
  protected apply(outcome: Outcome): void {
    for (const lot of outcome.lots) this.lots.set(lot.id, lot);
    for (const document of outcome.documents) this.documents.set(document.hash, document);
    if (outcome.batch) this.batches.set(outcome.batch.root, outcome.batch);
    if (outcome.revokedBatchMember) {
      const { root, leaf } = outcome.revokedBatchMember;
      this.revokedBatchMembers.add(`${root}/${leaf}`);
    }
    if (outcome.norm) this.norms.set(`${outcome.norm.owner}/${outcome.norm.product}`, outcome.norm);
  }

  async organisation(id: Id) {
    return this.organisations.get(id);
  }
  async facility(id: Id) {
    return this.facilities.get(id);
  }
  async document(hash: Hash) {
    return this.documents.get(hash);
  }
  async batch(root: Hash) {
    return this.batches.get(root);
  }
  async isBatchMemberRevoked(root: Hash, leaf: Hash) {
    return this.revokedBatchMembers.has(`${root}/${leaf}`);
  }
  async norm(owner: Id, product: Id) {
    return this.norms.get(`${owner}/${product}`);
  }
  async lot(id: Id) {
    return this.lots.get(id);
  }
}
