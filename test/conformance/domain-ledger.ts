import { InMemoryLedger, type Action, type Actor, type CustodyAction, type Facility, type LedgerTime, type Organisation } from "../../domain/index.js";
import type { ConformanceLedger } from "../../scripts/harness/conformance-ledger.js";

/** The domain's reference ledger behind the conformance interface. */
export class DomainLedger extends InMemoryLedger implements ConformanceLedger {
  async register(organisations: readonly Organisation[], facilities: readonly Facility[]): Promise<void> {
    for (const organisation of organisations) this.registerOrganisation(organisation);
    for (const facility of facilities) this.registerFacility(facility);
  }

  override submit(actor: Actor, action: Action, time: LedgerTime) {
    return super.submit(actor, action, time);
  }

  override submitBatch(actor: Actor, actions: readonly CustodyAction[], time: LedgerTime) {
    return super.submitBatch(actor, actions, time);
  }

  /** A copy of this ledger's state, to try actions on without touching this one. */
  fork(): DomainLedger {
    const fork = new DomainLedger();
    for (const [from, to] of [
      [this.organisations, fork.organisations],
      [this.facilities, fork.facilities],
      [this.documents, fork.documents],
      [this.batches, fork.batches],
      [this.norms, fork.norms],
      [this.lots, fork.lots],
    ] as Array<[Map<unknown, unknown>, Map<unknown, unknown>]>) {
      for (const [key, value] of from) to.set(key, value);
    }
    for (const member of this.revokedBatchMembers) fork.revokedBatchMembers.add(member);
    return fork;
  }

  async close(): Promise<void> {}
}
