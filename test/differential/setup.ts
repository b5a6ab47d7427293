import type { ConformanceLedger } from "../conformance/ledger.js";
import { FACILITIES, ORGANISATIONS, setupActions } from "./world.js";

/** Ledger time of the first random step; setup happens in the seconds before it. */
export const START_TIME = 1_800_000_000n;

export async function setUpWorld(ledger: ConformanceLedger): Promise<void> {
  await ledger.register(ORGANISATIONS, FACILITIES);
  const actions = setupActions();
  for (const [index, { actor, action }] of actions.entries()) {
    await ledger.submit(actor, action, START_TIME - BigInt(actions.length - index) * 10n);
  }
}
