import { decide, type Action, type LedgerView } from "../../domain/index.js";

/** Thrown by the view below at the first read: the arguments passed every check. */
class ArgumentsAccepted extends Error {}

const stopAtFirstRead: LedgerView = {
  organisation: () => Promise.reject(new ArgumentsAccepted()),
  facility: () => Promise.reject(new ArgumentsAccepted()),
  document: () => Promise.reject(new ArgumentsAccepted()),
  batch: () => Promise.reject(new ArgumentsAccepted()),
  isBatchMemberRevoked: () => Promise.reject(new ArgumentsAccepted()),
  norm: () => Promise.reject(new ArgumentsAccepted()),
  lot: () => Promise.reject(new ArgumentsAccepted()),
};

/**
 * Step 1 of every rule, exactly as the domain runs it: the action's arguments, checked in the domain's
 * order, with the domain's error (INVALID_ARGUMENT, INVALID_QUANTITY, REASON_REQUIRED).
 *
 * The contracts repeat the checks they can make (non-zero ids and hashes, ranges, counts, distinct
 * ids), but not the id and hash formats, and the domain's order interleaves both kinds; so the client
 * runs the domain's own checks first. `decide` validates the arguments before it reads the ledger,
 * so a view that stops at the first read runs exactly those checks.
 */
export async function validateArguments(action: Action): Promise<void> {
  try {
    await decide(stopAtFirstRead, { org: "", role: "ADMIN" }, action, 0n);
  } catch (error) {
    if (error instanceof ArgumentsAccepted) return;
    throw error;
  }
  throw new Error(`the domain decided ${action.type} without reading the ledger`);
}
