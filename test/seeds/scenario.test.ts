/**
 * The scenario generator: deterministic by seed, every step accepted by the domain's reference ledger
 * (and carrying the state its custody call reads), and each planted anomaly present in the final state.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { documentHash, InMemoryLedger, type CustodyEvent, type LedgerEvent } from "../../domain/index.js";
import type { Anomaly } from "../../seeds/anomalies.js";
import { generateScenario, type Scenario } from "../../seeds/scenario.js";
import type { Step } from "../../seeds/step.js";

const json = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint" ? `${item}n` : item instanceof Uint8Array ? Buffer.from(item).toString("hex") : item,
  );

async function streamHash(seed: number, events: number): Promise<{ hash: string; count: number }> {
  const hash = createHash("sha256");
  let count = 0;
  for await (const step of generateScenario({ seed, events }).steps) {
    hash.update(json(step));
    count++;
  }
  return { hash: hash.digest("hex"), count };
}

describe("scenario determinism", () => {
  it("gives the same steps for the same seed, and other steps for another seed", async () => {
    const first = await streamHash(7, 3_000);
    expect(await streamHash(7, 3_000)).toEqual(first);
    expect((await streamHash(8, 3_000)).hash).not.toBe(first.hash);
    expect(first.count).toBeGreaterThan(2_500);
  });
});

describe("the demo scenario on the domain ledger", () => {
  let scenario: Scenario;
  const ledger = new InMemoryLedger();
  const events: LedgerEvent[] = [];
  const steps: Step[] = [];

  beforeAll(async () => {
    scenario = generateScenario({ seed: 1 });
    for (const organisation of scenario.organisations) ledger.registerOrganisation(organisation);
    for (const facility of scenario.facilities) ledger.registerFacility(facility);
    let lastTime = 0n;
    for await (const step of scenario.steps) {
      if (step.time < lastTime) throw new Error(`step at ${step.time} after one at ${lastTime}`);
      lastTime = step.time;
      for (const lot of step.reads.lots) expect(lot).toEqual(await ledger.lot(lot.id));
      if (step.action.type === "transform") expect(step.reads.norm).toEqual(await ledger.norm(step.actor.org, step.action.product));
      if (step.document !== undefined && step.action.type === "anchor") expect(step.action.hash).toBe(documentHash(step.document.bytes));
      events.push(await ledger.submit(step.actor, step.action, step.time));
      steps.push(step);
    }
  });

  const anomaly = (kind: Anomaly["kind"]) => {
    const found = scenario.anomalies.find((candidate) => candidate.kind === kind);
    if (found === undefined) throw new Error(`no ${kind} anomaly was planted`);
    return found;
  };
  const custody = (action: string, lot: string) =>
    events.filter((event): event is CustodyEvent => event.type === "custody" && event.action === action && event.transitions.some((t) => t.lot.id === lot));

  it("accepts every step of a year at demo scale (about 10,000 events), within the year", () => {
    expect(events.length).toBeGreaterThan(9_000);
    expect(events.length).toBeLessThan(11_500);
    expect(steps[0]!.time).toBeGreaterThanOrEqual(scenario.period.from);
    expect(steps.at(-1)!.time).toBeLessThan(scenario.period.to);
    expect(scenario.anomalies.map((a) => a.kind).sort()).toEqual([
      "CO_REVOKED_AFTER_CLEARANCE",
      "HOLD",
      "LONG_DWELL_AT_GATE",
      "OVER_CONSUMPTION",
      "RELEASED_NEVER_RECEIVED",
    ]);
  });

  it("anchors documents the API can read: declarations, certificates, permits, norms and balance reports", () => {
    const kinds = new Set(steps.flatMap((step) => (step.document === undefined ? [] : [step.document.kind])));
    expect([...kinds].sort()).toEqual(["BALANCE_REPORT", "CO", "DECLARATION", "INSPECTION", "NORM", "PERMIT"]);
    const report = steps.find((step) => step.document?.kind === "BALANCE_REPORT")!;
    expect(JSON.parse(new TextDecoder().decode(report.document!.bytes)).format).toBe("tracegate-balance-report");
  });

  it("plants an over-consumption: the transform that made the lot is flagged", () => {
    const { lot, enterprise } = anomaly("OVER_CONSUMPTION");
    const [transform] = custody("transform", lot!);
    expect(transform?.flagged).toBe(true);
    expect(transform?.actor).toBe(enterprise);
    expect(events.filter((event) => event.type === "custody" && event.flagged)).toHaveLength(1);
  });

  it("plants a lot cleared and released but never received: RELEASED at the end", async () => {
    const { lot } = anomaly("RELEASED_NEVER_RECEIVED");
    expect((await ledger.lot(lot!))?.state).toBe("RELEASED");
    expect(custody("clear", lot!)).toHaveLength(1);
    expect(custody("receive", lot!)).toHaveLength(0);
  });

  it("plants a C/O revoked after the clearance that cited it", async () => {
    const { lot, document } = anomaly("CO_REVOKED_AFTER_CLEARANCE");
    const [clear] = custody("clear", lot!);
    expect(clear?.documents).toContain(document);
    expect((await ledger.document(document!))?.status).toBe("REVOKED");
    const revoked = events.find((event) => event.type === "documentRevoked" && event.hash === document)!;
    expect(revoked.time).toBeGreaterThan(clear!.time);
  });

  it("plants a slow gate: its p90 dwell in ARRIVED is the longest, several times the next", () => {
    const { facility } = anomaly("LONG_DWELL_AT_GATE");
    // As the indexer counts stays: from entering ARRIVED at the gate to leaving that state.
    const arrived = new Map<string, { time: bigint; gate: string }>();
    const stays = new Map<string, bigint[]>();
    for (const event of events) {
      if (event.type !== "custody") continue;
      for (const { from, lot } of event.transitions) {
        const entered = arrived.get(lot.id);
        if (from === "ARRIVED" && entered !== undefined) {
          stays.set(entered.gate, [...(stays.get(entered.gate) ?? []), event.time - entered.time]);
          arrived.delete(lot.id);
        }
        if (lot.state === "ARRIVED") arrived.set(lot.id, { time: event.time, gate: lot.location });
      }
    }
    const p90 = (durations: bigint[]) => [...durations].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.ceil(durations.length * 0.9) - 1]!;
    const ranked = [...stays].map(([gate, durations]) => [gate, p90(durations)] as const).sort((a, b) => (a[1] > b[1] ? -1 : 1));
    expect(ranked[0]![0]).toBe(facility);
    expect(ranked[0]![1]).toBeGreaterThan(3n * ranked[1]![1]);
  });

  it("plants a hold, with its reason, still in force at the end", async () => {
    const { lot, facility } = anomaly("HOLD");
    const held = await ledger.lot(lot!);
    expect(held?.state).toBe("HELD");
    expect(held?.location).toBe(facility);
    expect(custody("hold", lot!)[0]?.reason).toMatch(/HS/);
  });
});
