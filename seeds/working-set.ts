/**
 * The ledger state the generator decides against, kept small: the registry, the norms, the lots still
 * in play and the documents flows still need. Lots that reach a terminal state are dropped at once;
 * flows forget the documents and emptied lots they are done with. So a million-event year needs no more
 * memory than the goods in flight (the domain's InMemoryLedger keeps every event and lot).
 */
import { MapLedgerView, TERMINAL_STATES, type Facility, type Hash, type Id, type Lot, type Norm, type Organisation, type Outcome } from "../domain/index.js";

export class WorkingSet extends MapLedgerView {
  constructor(organisations: readonly Organisation[], facilities: readonly Facility[]) {
    super();
    for (const { id, kind } of organisations) this.organisations.set(id, { id, kind });
    for (const { id, kind, operator } of facilities) this.facilities.set(id, { id, kind, operator });
  }

  override apply(outcome: Outcome): void {
    super.apply(outcome);
    for (const lot of outcome.lots) if (TERMINAL_STATES.includes(lot.state)) this.lots.delete(lot.id);
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
}
