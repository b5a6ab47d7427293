import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CUSTODY_TABLE, TERMINAL_STATES, TraceGateError, materialBalance, type CustodyActionType, type CustodyEvent, type Lot } from "../../domain/index.js";
import { DomainLedger } from "../conformance/domain-ledger.js";
import { scriptArb, ScriptContext, type Choice } from "../differential/generator.js";
import { START_TIME, setUpWorld } from "../differential/setup.js";
import { MATERIALS } from "../differential/world.js";

const TRANSIT_ACTIONS: readonly CustodyActionType[] = ["seal", "unseal", "alert"];

interface StepResult {
  accepted: boolean;
  before: Map<string, Lot>;
  after: Map<string, Lot>;
  event?: CustodyEvent;
}

async function run(script: Choice[], onStep: (result: StepResult) => void): Promise<DomainLedger> {
  const ledger = new DomainLedger();
  await setUpWorld(ledger);
  const context = new ScriptContext(ledger);
  for (const [index, choice] of script.entries()) {
    const { actor, action } = context.concretize(choice);
    const before = new Map(ledger.allLots().map((lot) => [lot.id, lot]));
    try {
      const event = await ledger.submit(actor, action, START_TIME + BigInt(index) * 10n);
      const after = new Map(ledger.allLots().map((lot) => [lot.id, lot]));
      onStep({ accepted: true, before, after, event: event.type === "custody" ? event : undefined });
    } catch (error) {
      if (!(error instanceof TraceGateError)) throw error;
      onStep({ accepted: false, before, after: new Map(ledger.allLots().map((lot) => [lot.id, lot])) });
    }
  }
  return ledger;
}

describe("custody state machine (random action sequences)", () => {
  it("a refused action changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(30), async (script) => {
        await run(script, ({ accepted, before, after }) => {
          if (!accepted) expect(after).toEqual(before);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("every accepted transition is a row of the table, and terminal lots never change", async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(30), async (script) => {
        await run(script, ({ before, event }) => {
          if (!event) return;
          const rule = CUSTODY_TABLE[event.action];
          for (const { from, lot } of event.transitions) {
            expect(TERMINAL_STATES).not.toContain(from);
            if (from === "NONE" && rule.creates !== undefined && event.action !== "declare") {
              const expected = rule.creates === "SAME" ? before.get(event.transitions[0]!.lot.id)!.state : rule.creates;
              expect(lot.state).toBe(expected);
            } else {
              expect(rule.from).toContain(from);
              // The seal check at the destination holds a lot whose seal was broken or which came late.
              const heldOnArrival = event.action === "unseal" && event.flagged;
              expect(lot.state).toBe(rule.to === "PRIOR" ? before.get(lot.id)!.priorState : heldOnArrival ? "HELD" : rule.to);
            }
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it("a split conserves quantity and a transform consumes exactly what it reports", async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(30), async (script) => {
        await run(script, ({ before, event }) => {
          if (event?.action === "split") {
            const [parent, ...children] = event.transitions;
            const total = children.reduce((sum, child) => sum + child.lot.quantity, 0n);
            expect(total).toBe(before.get(parent!.lot.id)!.quantity);
            for (const child of children) expect(child.lot.state).toBe(before.get(parent!.lot.id)!.state);
          }
          if (event?.action === "transform") {
            for (const part of event.consumed) {
              const after = event.transitions.find((t) => t.lot.id === part.lot)!.lot;
              expect(before.get(part.lot)!.quantity - after.quantity).toBe(part.quantity);
            }
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it("only a lot under seal carries a seal, destination and deadline; unseal lands at the destination; transit moves no quantity", async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(30), async (script) => {
        await run(script, ({ before, after, event }) => {
          for (const lot of after.values()) {
            const { seal, destination, deadline } = lot;
            if (lot.state === "IN_TRANSIT" || (lot.state === "HELD" && lot.priorState === "IN_TRANSIT")) {
              expect(seal, lot.id).not.toBe("");
              expect(destination, lot.id).not.toBe("");
              expect(deadline > 0n, lot.id).toBe(true);
            } else {
              expect({ seal, destination, deadline }, `${lot.id} ${lot.state}`).toEqual({ seal: "", destination: "", deadline: 0n });
            }
          }
          if (event === undefined || !TRANSIT_ACTIONS.includes(event.action)) return;
          for (const { lot } of event.transitions) {
            const prior = before.get(lot.id)!;
            expect(lot.quantity).toBe(prior.quantity);
            if (event.action === "unseal") {
              expect(lot.location).toBe(prior.destination);
              expect(lot.state).toBe(event.flagged ? "HELD" : "ARRIVED");
              expect(event.facility).toBe(prior.destination);
            } else {
              expect([lot.location, lot.custodian]).toEqual([prior.location, prior.custodian]);
            }
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it("the material balance's book closing equals the stock physically in production", async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(40), async (script) => {
        const ledger = await run(script, () => {});
        for (const enterprise of ["GARMENT", "ELECTRO"]) {
          for (const material of MATERIALS) {
            const balance = materialBalance(ledger.events, enterprise, material, { from: 0n, to: 1n << 62n });
            const inProduction = ledger
              .allLots()
              .filter((lot) => lot.owner === enterprise && lot.material === material && lot.state === "IN_PRODUCTION")
              .reduce((sum, lot) => sum + lot.quantity, 0n);
            expect(balance.closing).toBe(inProduction);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("random sequences reach every custody action (so the differential test exercises them all)", async () => {
    const accepted = new Set<string>();
    await fc.assert(
      fc.asyncProperty(scriptArb(40), async (script) => {
        await run(script, ({ event }) => {
          if (!event) return;
          accepted.add(event.action);
          // The paths of a transit that are not rows of their own: held on the way and back, held on arrival.
          const [{ from, lot }] = event.transitions as [CustodyEvent["transitions"][number]];
          if (event.action === "hold" && from === "IN_TRANSIT") accepted.add("hold in transit");
          if (event.action === "unhold" && lot.state === "IN_TRANSIT") accepted.add("unhold to IN_TRANSIT");
          if (event.action === "unseal" && event.flagged) accepted.add("unseal held");
          if (event.action === "alert" && event.flagged) accepted.add("alert OPENED");
        });
      }),
      { numRuns: 300, seed: 1 },
    );
    const transitPaths = ["hold in transit", "unhold to IN_TRANSIT", "unseal held", "alert OPENED"];
    expect([...accepted].sort()).toEqual([...Object.keys(CUSTODY_TABLE), ...transitPaths].sort());
  });
});
