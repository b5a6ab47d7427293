import type { Action, CustodyAction } from "./actions.js";
import { decideBatch } from "./batch.js";
import { decide } from "./decide.js";
import { fail } from "./errors.js";
import { assertId } from "./validate.js";
import type { CustodyEvent, LedgerEvent } from "./events.js";
import { MapLedgerView } from "./map-view.js";
import type { Actor, Facility, LedgerTime, Lot, Organisation } from "./types.js";
import type { Outcome } from "./view.js";

/**
 * The rules over plain maps: the reference ledger the conformance vectors and the differential test
 * run against. Registration (organisations, facilities) is the registry administrator's job; like the
 * ledgers' registries, it refuses an id twice and a facility whose operator is unknown.
 */
export class InMemoryLedger extends MapLedgerView {
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

  /** Decides the batch and, when every action is accepted, applies it; a refusal throws BatchRefusedError and changes nothing. */
  async submitBatch(actor: Actor, actions: readonly CustodyAction[], time: LedgerTime): Promise<CustodyEvent[]> {
    const { lots, events } = await decideBatch(this, actor, actions, time);
    for (const lot of lots) this.lots.set(lot.id, lot);
    this.events.push(...events);
    return events;
  }

  protected override apply(outcome: Outcome): void {
    super.apply(outcome);
    this.events.push(outcome.event);
  }

  allLots(): Lot[] {
    return [...this.lots.values()];
  }
}
