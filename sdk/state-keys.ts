/** The ledger state an action reads or creates, by which a client orders its own submissions (InOrder). */
import { CUSTODY_ACTIONS, type Action, type Actor, type CustodyAction, type Id } from "../domain/index.js";

/** The lots whose current state a custody action reads. */
export function lotsRead(action: Action): Id[] {
  if (!isCustody(action)) return [];
  return action.type === "transform" ? action.inputs.map((part) => part.lot) : [action.lot];
}

/** What an action reads or creates, which later actions must see: its lots, and the norm it uses or registers. */
export function stateKeys(actor: Actor, action: Action): string[] {
  const keys = lotsRead(action).map((lot) => `lot:${lot}`);
  if (action.type === "split") keys.push(...action.parts.map((part) => `lot:${part.lot}`));
  if (action.type === "transform") keys.push(...action.outputs.map((part) => `lot:${part.lot}`), `norm:${actor.org}/${action.product}`);
  if (action.type === "registerNorm") keys.push(`norm:${actor.org}/${action.product}`);
  return keys;
}

function isCustody(action: Action): action is CustodyAction {
  return (CUSTODY_ACTIONS as readonly string[]).includes(action.type);
}
