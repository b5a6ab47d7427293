/**
 * An atomic batch as one contract call, `CustodyRegistry.batch`: each action encoded as its own call
 * (calls.ts), carrying the lot states the actions before it leave. The chain stores only lot hashes,
 * so those states are worked out here by the domain's rules over `view`; the contract decides again,
 * and its decision is the one that counts.
 */
import {
  BatchRefusedError,
  CUSTODY_ACTIONS,
  decideCustody,
  fail,
  rememberingView,
  TraceGateError,
  validateBatchSize,
  withLots,
  type Actor,
  type CustodyAction,
  type Id,
  type LedgerTime,
  type LedgerView,
  type Lot,
} from "../../domain/index.js";
import { lotsRead } from "../state-keys.js";
import { encodeCall } from "./abi-encoder.js";
import { contractInterface } from "./artifacts.js";
import { encodeAction, type ContractCall } from "./calls.js";
import type { OrganisationDirectory } from "./organisations.js";

/**
 * Custody actions whose outcome depends on the ledger time: a seal's deadline window, an unseal's
 * overdue check. The rules of every other custody action do not read it.
 */
const TIMED_ACTIONS: ReadonlySet<CustodyAction["type"]> = new Set(["seal", "unseal"]);

/**
 * The `batch` call for `actions` by `actor`. Throws BatchRefusedError for an action that cannot be
 * encoded (its arguments, INVALID_ARGUMENT for a document action), unless an action before it is
 * already refused by the rules: then that earlier refusal, as the contract would give it. `now` gives
 * the ledger time the batch is expected at (the contract decides at its block's), asked once, and only
 * when an action's outcome depends on it.
 */
export async function encodeBatch(
  actor: Actor,
  actions: readonly CustodyAction[],
  orgs: OrganisationDirectory,
  view: LedgerView,
  now: () => Promise<LedgerTime>,
): Promise<ContractCall> {
  validateBatchSize(actions);
  const written = new Map<Id, Lot>();
  const start = rememberingView(view);
  // The lots the batch starts from, read at once rather than one action after another.
  await Promise.all([...new Set(actions.flatMap(lotsRead))].map((id) => start.lot(id)));
  const overlay = withLots(start, written);
  let refused: BatchRefusedError | undefined;
  const calls: string[] = [];
  let time: LedgerTime | undefined;
  for (const [index, action] of actions.entries()) {
    try {
      calls.push(await encodeOne(actor, action, orgs, overlay));
    } catch (error) {
      throw refused ?? (error instanceof TraceGateError ? new BatchRefusedError(index, error) : error);
    }
    if (refused !== undefined) continue;
    try {
      const at = TIMED_ACTIONS.has(action.type) ? (time ??= await now()) : 0n;
      for (const lot of (await decideCustody(overlay, actor, action, at)).lots) written.set(lot.id, lot);
    } catch (error) {
      if (!(error instanceof TraceGateError)) throw error;
      refused = new BatchRefusedError(index, error);
    }
  }
  return batchCall(calls);
}

/** `CustodyRegistry.batch` over actions already encoded, each as its own call (carrying the lots the ones before it leave). */
export function batchCall(calls: readonly string[]): ContractCall {
  return { contract: "CustodyRegistry", data: encodeCall(contractInterface("CustodyRegistry"), "batch", [calls]) };
}

async function encodeOne(actor: Actor, action: CustodyAction, orgs: OrganisationDirectory, view: LedgerView): Promise<string> {
  if (!(CUSTODY_ACTIONS as readonly string[]).includes(action.type)) fail("INVALID_ARGUMENT", "a batch holds custody actions only", { field: "type" });
  const lots = new Map<Id, Lot | undefined>();
  for (const id of lotsRead(action)) lots.set(id, await view.lot(id));
  const norm = action.type === "transform" ? await view.norm(actor.org, action.product) : undefined;
  return encodeAction(actor, action, { orgs, lot: (id) => lots.get(id), norm: () => norm }).data;
}
