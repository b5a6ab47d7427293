import type { Action } from "./actions.js";
import { decide } from "./decide.js";
import { fail } from "./errors.js";
import { assertId } from "./validate.js";
import type { LedgerEvent } from "./events.js";
import type { Actor, BatchAnchor, DocumentAnchor, Facility, Hash, Id, LedgerTime, Lot, Norm, Organisation } from "./types.js";
import type { LedgerView, Outcome } from "./view.js";

/**
 * The rules over plain maps: the reference ledger the conformance vectors and the differential test
 * run against. Registration (organisations, facilities) is the registry administrator's job; like the
 * ledgers' registries, it refuses an id twice and a facility whose operator is unknown.
 */
export class InMemoryLedger implements LedgerView {
  private readonly organisations = new Map<Id, Organisation>();
  private readonly facilities = new Map<Id, Facility>();
  private readonly documents = new Map<Hash, DocumentAnchor>();
  private readonly batches = new Map<Hash, BatchAnchor>();
  private readonly revokedBatchMembers = new Set<string>();
  private readonly norms = new Map<string, Norm>();
  private readonly lots = new Map<Id, Lot>();
  readonly events: LedgerEvent[] = [];

  registerOrganisation(organisation: Organisation): void {
    assertId(organisation.id, "organisation");
    if (this.organisations.has(organisation.id)) fail("ALREADY_REGISTERED", `organisation ${organisation.id} is registered already`);
    this.organisations.set(organisation.id, organisation);
  }

  registerFacility(facility: Facility): void {
    assertId(facility.id, "facility");
    if (this.facilities.has(facility.id)) fail("ALREADY_REGISTERED", `facility ${facility.id} is registered already`);
    if (!this.organisations.has(facility.operator)) fail("UNKNOWN_ORGANISATION", `facility operator ${facility.operator} is not registered`);
    this.facilities.set(facility.id, facility);
  }

  /** Decides and, when accepted, applies the action; a rejection throws and changes nothing. */
  async submit(actor: Actor, action: Action, time: LedgerTime): Promise<LedgerEvent> {
    const outcome = await decide(this, actor, action, time);
    this.apply(outcome);
    return outcome.event;
  }

  private apply(outcome: Outcome): void {
    for (const lot of outcome.lots) this.lots.set(lot.id, lot);
    for (const document of outcome.documents) this.documents.set(document.hash, document);
    if (outcome.batch) this.batches.set(outcome.batch.root, outcome.batch);
    if (outcome.revokedBatchMember) {
      const { root, leaf } = outcome.revokedBatchMember;
      this.revokedBatchMembers.add(`${root}/${leaf}`);
    }
    if (outcome.norm) this.norms.set(`${outcome.norm.owner}/${outcome.norm.product}`, outcome.norm);
    this.events.push(outcome.event);
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

  allLots(): Lot[] {
    return [...this.lots.values()];
  }
}
