/**
 * The ledger state the generator decides against, kept small: the registry, the norms, the lots still
 * in play and the documents flows still need. Lots that reach a terminal state are dropped at once;
 * flows forget the documents and emptied lots they are done with. So a million-event year needs no more
 * memory than the goods in flight (the domain's InMemoryLedger keeps every event and lot).
 */
import {
  TERMINAL_STATES,
  type BatchAnchor,
  type DocumentAnchor,
  type Facility,
  type Hash,
  type Id,
  type Lot,
  type Norm,
  type LedgerView,
  type Organisation,
  type Outcome,
} from "../domain/index.js";

export class WorkingSet implements LedgerView {
  private readonly organisations = new Map<Id, Organisation>();
  private readonly facilities = new Map<Id, Facility>();
  private readonly documents = new Map<Hash, DocumentAnchor>();
  private readonly norms = new Map<string, Norm>();
  private readonly lots = new Map<Id, Lot>();

  constructor(organisations: readonly Organisation[], facilities: readonly Facility[]) {
    for (const { id, kind } of organisations) this.organisations.set(id, { id, kind });
    for (const { id, kind, operator } of facilities) this.facilities.set(id, { id, kind, operator });
  }

  apply(outcome: Outcome): void {
    for (const lot of outcome.lots) {
      if (TERMINAL_STATES.includes(lot.state)) this.lots.delete(lot.id);
      else this.lots.set(lot.id, lot);
    }
    for (const document of outcome.documents) this.documents.set(document.hash, document);
    if (outcome.norm) this.norms.set(`${outcome.norm.owner}/${outcome.norm.product}`, outcome.norm);
  }

  /** The lot now, if still in play. */
  current(id: Id): Lot | undefined {
    return this.lots.get(id);
  }

  currentNorm(owner: Id, product: Id): Norm | undefined {
    return this.norms.get(`${owner}/${product}`);
  }

  forgetLot(id: Id): void {
    this.lots.delete(id);
  }

  forgetDocuments(hashes: Iterable<Hash>): void {
    for (const hash of hashes) this.documents.delete(hash);
  }

  /** Lots and documents held: what bounds the generator's memory. */
  get size(): { lots: number; documents: number } {
    return { lots: this.lots.size, documents: this.documents.size };
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
  /** The scenario anchors no batches. */
  async batch(_root: Hash): Promise<BatchAnchor | undefined> {
    return undefined;
  }
  async isBatchMemberRevoked() {
    return false;
  }
  async norm(owner: Id, product: Id) {
    return this.currentNorm(owner, product);
  }
  async lot(id: Id) {
    return this.lots.get(id);
  }
}
