import type { Action, CustodyAction } from "./actions.js";
import { decideCustody, validateCustodyArguments } from "./custody.js";
import { decideDocument, validateDocumentArguments } from "./documents.js";
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

/**
 * Step 1 of every rule on its own: the action's arguments (INVALID_ARGUMENT, INVALID_QUANTITY,
 * REASON_REQUIRED), as clients run it before sending to a ledger that cannot check every format.
 */
export function validateAction(action: Action): void {
  if (isCustodyAction(action)) validateCustodyArguments(action);
  else validateDocumentArguments(action);
}
