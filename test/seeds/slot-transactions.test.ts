/** Which of a slot's steps share a batch transaction: a member's consecutive custody steps, and no others. */
import { describe, expect, it } from "vitest";
import { MAX_BATCH_ACTIONS, type Action, type Actor, type LedgerEvent } from "../../domain/index.js";
import { transactionSteps } from "../../seeds/loader/slot-transactions.js";
import type { Step } from "../../seeds/step.js";

const ENTERPRISE: Actor = { org: "ENT-1", role: "OPERATOR" };
const WAREHOUSE: Actor = { org: "WH-1", role: "OPERATOR" };

/** Grouping reads actors, actions and times only, never the event. */
const EVENT: LedgerEvent = { type: "documentRevoked", hash: `0x${"2".repeat(64)}`, issuer: "ENT-1", reason: "", time: 600n };

function step(actor: Actor, action: Action, time = 600n): Step {
  return { time, actor, action, reads: { lots: [] }, event: EVENT };
}
const arrive = (lot: string): Action => ({ type: "arrive", lot, facility: "F-1" });
const anchor: Action = { type: "anchor", hash: `0x${"1".repeat(64)}`, id: "DOC-1", kind: "CO", cid: "", subjects: [] };
const shape = (groups: Step[][]) => groups.map((group) => group.map((s) => ("lot" in s.action ? s.action.lot : s.action.type)));

describe("a slot's steps as transactions", () => {
  it("joins a member's consecutive custody steps into one, in order", () => {
    const steps = [step(ENTERPRISE, arrive("A")), step(ENTERPRISE, arrive("B")), step(ENTERPRISE, arrive("C"))];
    expect(shape(transactionSteps(steps, MAX_BATCH_ACTIONS))).toEqual([["A", "B", "C"]]);
  });

  it("keeps apart steps another member's or a document step comes between, never reordering", () => {
    const steps = [
      step(ENTERPRISE, arrive("A")),
      step(WAREHOUSE, arrive("B")),
      step(ENTERPRISE, arrive("C")),
      step(ENTERPRISE, anchor),
      step(ENTERPRISE, arrive("D")),
      step({ org: "ENT-1", role: "SIGNER" }, arrive("E")),
    ];
    expect(shape(transactionSteps(steps, MAX_BATCH_ACTIONS))).toEqual([["A"], ["B"], ["C"], ["anchor"], ["D"], ["E"]]);
  });

  it("never joins document steps, nor steps of different times", () => {
    expect(shape(transactionSteps([step(ENTERPRISE, anchor), step(ENTERPRISE, anchor)], MAX_BATCH_ACTIONS))).toEqual([["anchor"], ["anchor"]]);
    expect(shape(transactionSteps([step(ENTERPRISE, arrive("A"), 600n), step(ENTERPRISE, arrive("B"), 1200n)], MAX_BATCH_ACTIONS))).toEqual([["A"], ["B"]]);
  });

  it("holds at most maxBatch steps in one transaction; 1 is a transaction per step", () => {
    const steps = ["A", "B", "C", "D", "E"].map((lot) => step(ENTERPRISE, arrive(lot)));
    expect(shape(transactionSteps(steps, 2))).toEqual([["A", "B"], ["C", "D"], ["E"]]);
    expect(transactionSteps(steps, 1)).toHaveLength(5);
    const many = Array.from({ length: MAX_BATCH_ACTIONS + 1 }, (_, index) => step(ENTERPRISE, arrive(`L${index}`)));
    expect(transactionSteps(many, MAX_BATCH_ACTIONS).map((group) => group.length)).toEqual([MAX_BATCH_ACTIONS, 1]);
  });

  it("refuses a batch size outside 1 to MAX_BATCH_ACTIONS", () => {
    for (const bad of [0, -1, 1.5, MAX_BATCH_ACTIONS + 1, Number.NaN]) {
      expect(() => transactionSteps([], bad)).toThrow(new RangeError(`a batch transaction holds 1 to ${MAX_BATCH_ACTIONS} steps, not ${bad}`));
    }
  });
});
