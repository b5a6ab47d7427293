/**
 * What the API needs to act on the ledger for a caller: GraphQL mutations, the EPCIS capture bindings and
 * the pages' forms all go through a CustodyWriter. It signs as the caller's own organisation and role
 * (never as anyone the input names), and applies each event id at most once.
 */
import type { Actor, CustodyAction, LedgerEvent } from "../../domain/index.js";
import type { Transaction } from "../../sdk/ledger.js";

/** What became of one event: applied now, or applied before under the same event id. */
export type ActOutcome = { status: "accepted"; eventId: string; event: LedgerEvent; transaction: Transaction } | { status: "duplicate"; eventId: string };

export interface CustodyWriter {
  /** Whether the node holds a key for this organisation and role: only such callers can act through it. */
  canActAs(actor: Actor): boolean;
  /**
   * Applies one custody action as `actor`, once per `eventId`: the same id again reports a duplicate and
   * changes nothing. Throws CannotActError when the node holds no key for `actor`, a TraceGateError when
   * the rules refuse the action (nothing changes), LedgerUnavailableError when the ledger cannot be reached.
   */
  act(actor: Actor, action: CustodyAction, eventId: string): Promise<ActOutcome>;
}

/** The node holds no key for this organisation and role, so it cannot act for them. */
export class CannotActError extends Error {
  constructor(readonly actor: Actor) {
    super(`this node holds no key for ${actor.org} as ${actor.role}: it cannot act for them (see the README, "Who signs")`);
    this.name = "CannotActError";
  }
}
