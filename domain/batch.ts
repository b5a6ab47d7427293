/**
 * Atomic batches: custody actions by one actor, decided in order at one ledger time as one
 * transaction, each seeing the lots the ones before it wrote. All are applied or none: the first
 * refusal refuses the whole batch, naming that action's index and its own code.
 */
import type { CustodyAction } from "./actions.js";
import { decideCustody } from "./custody.js";
import { BatchRefusedError, fail, TraceGateError } from "./errors.js";
import type { CustodyEvent } from "./events.js";
import { CUSTODY_ACTIONS, type Actor, type Id, type LedgerTime, type Lot } from "./types.js";
import { MAX_BATCH_ACTIONS } from "./validate.js";
import type { LedgerView } from "./view.js";

/** What an accepted batch writes: each lot in its state after the last action, and every action's event in order. */
export interface BatchOutcome {
  lots: Lot[];
  events: CustodyEvent[];
}

/** The batch's own shape: 1 to MAX_BATCH_ACTIONS entries (INVALID_ARGUMENT, no index: no action is at fault). */
export function validateBatchSize(actions: readonly unknown[]): void {
  if (actions.length < 1 || actions.length > MAX_BATCH_ACTIONS) {
    fail("INVALID_ARGUMENT", `a batch holds 1 to ${MAX_BATCH_ACTIONS} actions, not ${actions.length}`, { field: "actions" });
  }
}

/** `view` with the lots in `written` (as they change) in place of its own: what a batch's later actions see. */
export function withLots(view: LedgerView, written: ReadonlyMap<Id, Lot>): LedgerView {
  return {
    organisation: (id) => view.organisation(id),
    facility: (id) => view.facility(id),
    document: (hash) => view.document(hash),
    batch: (root) => view.batch(root),
    isBatchMemberRevoked: (root, leaf) => view.isBatchMemberRevoked(root, leaf),
    norm: (owner, product) => view.norm(owner, product),
    lot: async (id) => written.get(id) ?? view.lot(id),
  };
}

/**
 * `view` answering each question once: a batch or a job reads the same members, facilities, documents
 * and lots again and again, and is decided on the state it started from (later actions see earlier ones'
 * writes through `withLots`, not through this).
 */
export function rememberingView(view: LedgerView): LedgerView {
  const answers = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let answer = answers.get(key) as Promise<T> | undefined;
    if (answer === undefined) {
      answer = read();
      answers.set(key, answer);
    }
    return answer;
  };
  return {
    organisation: (id) => once(`organisation ${id}`, () => view.organisation(id)),
    facility: (id) => once(`facility ${id}`, () => view.facility(id)),
    document: (hash) => once(`document ${hash}`, () => view.document(hash)),
    batch: (root) => once(`batch ${root}`, () => view.batch(root)),
    isBatchMemberRevoked: (root, leaf) => once(`revoked ${root} ${leaf}`, () => view.isBatchMemberRevoked(root, leaf)),
    norm: (owner, product) => once(`norm ${owner} ${product}`, () => view.norm(owner, product)),
    lot: (id) => once(`lot ${id}`, () => view.lot(id)),
  };
}

/**
 * Decides `actions` in order over `view` with the writes of the earlier ones visible to the later
 * ones. Throws BatchRefusedError (the first refused action's index and code) and writes nothing, or
 * returns the combined outcome.
 */
export async function decideBatch(view: LedgerView, actor: Actor, actions: readonly CustodyAction[], time: LedgerTime): Promise<BatchOutcome> {
  validateBatchSize(actions);
  return decideSequence(view, actor, actions, time);
}

/**
 * decideBatch without the size limit: how a client checks in advance that a job of several batches
 * would be accepted whole, on the state it sees now.
 */
export async function decideSequence(view: LedgerView, actor: Actor, actions: readonly CustodyAction[], time: LedgerTime): Promise<BatchOutcome> {
  const written = new Map<Id, Lot>();
  const overlay = withLots(view, written);
  const events: CustodyEvent[] = [];
  for (const [index, action] of actions.entries()) {
    try {
      if (!(CUSTODY_ACTIONS as readonly string[]).includes((action as { type?: unknown }).type as string)) {
        fail("INVALID_ARGUMENT", "a batch holds custody actions only", { field: "type" });
      }
      const outcome = await decideCustody(overlay, actor, action, time);
      for (const lot of outcome.lots) written.set(lot.id, lot);
      events.push(outcome.event as CustodyEvent);
    } catch (error) {
      if (error instanceof TraceGateError) throw new BatchRefusedError(index, error);
      throw error;
    }
  }
  return { lots: [...written.values()], events };
}
