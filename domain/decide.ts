import type { Action, CustodyAction } from "./actions.js";
import { decideCustody } from "./custody.js";
import { decideDocument } from "./documents.js";
import { CUSTODY_ACTIONS, type Actor, type LedgerTime } from "./types.js";
import type { LedgerView, Outcome } from "./view.js";

function isCustodyAction(action: Action): action is CustodyAction {
  return (CUSTODY_ACTIONS as readonly string[]).includes(action.type);
}

/**
 * Decides one action against a ledger's current state: returns what to write and the event to emit,
 * or throws a TraceGateError and writes nothing.
 */
export function decide(view: LedgerView, actor: Actor, action: Action, time: LedgerTime): Promise<Outcome> {
  return isCustodyAction(action) ? decideCustody(view, actor, action, time) : decideDocument(view, actor, action, time);
}
