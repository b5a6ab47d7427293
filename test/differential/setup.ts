import type { ConformanceLedger } from "../../scripts/harness/conformance-ledger.js";
import type { SetupStep } from "../../scripts/harness/timed-evm-ledger.js";
import { FACILITIES, ORGANISATIONS, setupActions } from "./world.js";

/** Ledger time of the first random step; setup happens in the seconds before it. */
export const START_TIME = 1_800_000_000n;

/** The world's setup actions, at their times (one every 10 s, ending before START_TIME). */
export function setupSteps(): SetupStep[] {
  const actions = setupActions();
  return actions.map(({ actor, action }, index) => ({ actor, action, time: START_TIME - BigInt(actions.length - index) * 10n }));
}

export async function setUpWorld(ledger: ConformanceLedger): Promise<void> {
  await ledger.register(ORGANISATIONS, FACILITIES);
  for (const { actor, action, time } of setupSteps()) await ledger.submit(actor, action, time);
}
