/**
 * A slot's steps as the transactions of its block. A run of consecutive custody actions by one member
 * is one atomic `CustodyRegistry.batch`, each action in it the same call it would be alone (carrying
 * the lots as the step before it leaves them), so the block emits the same events in the same order
 * as with a transaction per step. Only consecutive steps are joined: a step between them may be what
 * the later one relies on. Anything else (a document action, another member's step) stands alone.
 */
import { CUSTODY_ACTIONS, MAX_BATCH_ACTIONS } from "../../domain/index.js";
import type { Step } from "../step.js";

const CUSTODY = new Set<string>(CUSTODY_ACTIONS);

/** The steps of one slot, in order, grouped by transaction: at most `maxBatch` (1 to MAX_BATCH_ACTIONS) in one. */
export function transactionSteps(steps: readonly Step[], maxBatch: number): Step[][] {
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1 || maxBatch > MAX_BATCH_ACTIONS) {
    throw new RangeError(`a batch transaction holds 1 to ${MAX_BATCH_ACTIONS} steps, not ${maxBatch}`);
  }
  const groups: Step[][] = [];
  for (const step of steps) {
    const last = groups.at(-1);
    if (last !== undefined && last.length < maxBatch && joins(last.at(-1)!, step)) last.push(step);
    else groups.push([step]);
  }
  return groups;
}

function joins(previous: Step, step: Step): boolean {
  return (
    CUSTODY.has(previous.action.type) &&
    CUSTODY.has(step.action.type) &&
    previous.actor.org === step.actor.org &&
    previous.actor.role === step.actor.role &&
    previous.time === step.time
  );
}
