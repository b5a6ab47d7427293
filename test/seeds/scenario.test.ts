/**
 * The scenario generator: deterministic by seed, every step accepted by the domain's reference ledger
 * (and carrying the state its custody call reads), each planted anomaly present in the final state,
 * and the transit legs under e-seal with tracks a truck could have driven.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { documentHash, InMemoryLedger, type Action, type CustodyEvent, type LedgerEvent } from "../../domain/index.js";
import { readSegmentFile, segmentBatch, type TrackSegment } from "../../domain/seal-track.js";
import type { Anomaly } from "../../seeds/anomalies.js";
import { CORRIDORS, type Corridor } from "../../seeds/corridors.js";
import { READING_SECONDS } from "../../seeds/trips.js";
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

/**
 * SHA-256 of the demo year's steps (seed 1, 10,000 events; `json` of each step's time, actor, action,
 * document and reads, in order) and of its registry (`json` of [organisations, facilities, members]),
 * computed with the generator of commit 97264f0, before the enterprise cast could scale: one copy of
 * the cast must give the demo year it always did.
 */
const DEMO_YEAR = {
  steps: 10_094,
  stepsSha256: "9c6779f96b4f72dbfc5debc20fc749440e2d2a14ef1d6d7002f1624242e2fb09",
  registrySha256: "af7857957d4e30d1482de4eb11d7bc8c6295110ad6001ee0a069c97bc61b2d79",
};

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
      "ROUTE_DEVIATION",
      "SEAL_BROKEN",
      "TRANSIT_OVERDUE",
    ]);
  });

  it("is the year it was before the cast could scale: the same steps and registry, each step carrying the event the rules decided", () => {
    const stepsHash = createHash("sha256");
    for (const { time, actor, action, document, reads } of steps) stepsHash.update(json({ time, actor, action, document, reads }));
    const registry = createHash("sha256").update(json([scenario.organisations, scenario.facilities, scenario.members]));
    expect({ steps: steps.length, stepsSha256: stepsHash.digest("hex"), registrySha256: registry.digest("hex") }).toEqual(DEMO_YEAR);
    expect(steps.map((step) => step.event)).toEqual(events);
  });

  it("anchors documents the API can read: declarations, certificates, permits, norms, balance reports, transit declarations, seal tracks", () => {
    const kinds = new Set(steps.flatMap((step) => (step.document === undefined ? [] : [step.document.kind])));
    expect([...kinds].sort()).toEqual(["BALANCE_REPORT", "CO", "DECLARATION", "INSPECTION", "NORM", "PERMIT", "SEAL_TRACK", "TRANSIT"]);
    const report = steps.find((step) => step.document?.kind === "BALANCE_REPORT")!;
    expect(JSON.parse(new TextDecoder().decode(report.document!.bytes)).format).toBe("tracegate-balance-report");
  });

  it("plants an over-consumption: the transform that made the lot is flagged", () => {
    const { lot, enterprise } = anomaly("OVER_CONSUMPTION");
    const [transform] = custody("transform", lot!);
    expect(transform?.flagged).toBe(true);
    expect(transform?.actor).toBe(enterprise);
    expect(events.filter((event) => event.type === "custody" && event.action === "transform" && event.flagged)).toHaveLength(1);
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

  describe("transit legs under e-seal", () => {
    interface Leg {
      seal: Step & { action: Extract<Action, { type: "seal" }> };
      sealed: CustodyEvent;
      unseal?: CustodyEvent;
      alerts: CustodyEvent[];
      track?: { step: Step; segment: TrackSegment };
      lot: string;
    }
    let legs: Leg[];
    const planted = (kind: Anomaly["kind"]) => legs.find((leg) => leg.lot === anomaly(kind).lot)!;
    const routine = () =>
      legs.filter((leg) => !scenario.anomalies.some((a) => a.lot === leg.lot && ["TRANSIT_OVERDUE", "SEAL_BROKEN", "ROUTE_DEVIATION"].includes(a.kind)));

    beforeAll(() => {
      const bySeal = new Map<string, Leg>();
      steps.forEach((step, index) => {
        const event = events[index]!;
        const { action } = step;
        if (action.type === "seal") {
          bySeal.set(action.seal, { seal: step as Leg["seal"], sealed: event as CustodyEvent, alerts: [], lot: action.lot });
        } else if (action.type === "alert") bySeal.get(action.seal)!.alerts.push(event as CustodyEvent);
        else if (action.type === "unseal")
          [...bySeal.values()].find((leg) => leg.lot === action.lot && leg.unseal === undefined)!.unseal = event as CustodyEvent;
        else if (action.type === "anchorBatch" && action.kind === "SEAL_TRACK") {
          const segment = readSegmentFile(new TextDecoder().decode(step.document!.bytes));
          bySeal.get(segment.seal)!.track = { step, segment };
        }
      });
      legs = [...bySeal.values()];
    });

    it("takes 15–25% of the imports from Hữu Nghị and Cát Lái to an inland depot, declared by the importer, sealed by customs", async () => {
      const imports = steps.filter(({ action }) => action.type === "declare" && action.direction === "IMPORT").length;
      expect(legs.length / imports).toBeGreaterThan(0.15);
      expect(legs.length / imports).toBeLessThan(0.25);
      for (const { seal, sealed, lot } of legs) {
        const at = seal.reads.lots[0]!;
        const corridor = CORRIDORS.find((candidate) => candidate.gate === at.location && candidate.destination === seal.action.facility)!;
        expect(corridor, `${lot} sealed at ${at.location} for ${seal.action.facility}`).toBeDefined();
        expect(seal.actor).toEqual({ org: "VNCUSTOMS", role: "OFFICER" });
        expect(scenario.facilities.find(({ id }) => id === seal.action.facility)?.kind).toBe("WAREHOUSE");
        const hours = (seal.action.deadline - sealed.time) / 3_600n;
        expect(hours >= 23n && hours <= 48n, `${hours} h`).toBe(true);
        const declaration = steps.find(({ action }) => action.type === "anchor" && action.hash === seal.action.transit)!;
        expect(declaration.actor.org).toBe(at.owner);
        const content = JSON.parse(new TextDecoder().decode(declaration.document!.bytes));
        expect(content).toMatchObject({ type: "transit-declaration", lot, seal: { id: seal.action.seal }, route: { corridor: corridor.id } });
        expect(content.conveyance.plate).toMatch(/^\d\d[A-Z]-\d{3}\.\d\d$/);
      }
    });

    it("anchors each trip's track as one SEAL_TRACK segment by customs, from the sealing to the unseal", () => {
      for (const { seal, sealed, unseal, track, lot } of legs) {
        expect(track, `${lot}'s track`).toBeDefined();
        const { step, segment } = track!;
        expect(step.actor).toEqual({ org: "VNCUSTOMS", role: "SIGNER" });
        expect(step.time).toBeGreaterThan(unseal!.time);
        expect(step.action).toEqual({ type: "anchorBatch", kind: "SEAL_TRACK", root: segmentBatch(segment).root, count: segment.messages.length });
        expect(step.document!.readers).toEqual([seal.reads.lots[0]!.owner]);
        expect(segment.lots).toEqual([lot]);
        expect(segment.messages[0]!.time).toBe(sealed.time);
        expect(unseal!.time - segment.messages.at(-1)!.time).toBeLessThan(READING_SECONDS);
      }
    });

    it("draws tracks a truck could drive: a reading every five minutes, on the corridor, at road speeds, from gate to depot", () => {
      for (const { seal, track, lot } of legs) {
        const corridor = CORRIDORS.find((candidate) => candidate.destination === seal.action.facility && candidate.gate === seal.reads.lots[0]!.location)!;
        const { messages } = track!.segment;
        const [gate, depot] = [corridor.waypoints[0]!, corridor.waypoints.at(-1)!];
        expect(km(messages[0]!, gate)).toBeLessThan(0.1);
        expect(km(messages.at(-1)!, depot)).toBeLessThan(0.1);
        for (let index = 1; index < messages.length; index++) {
          const [before, after] = [messages[index - 1]!, messages[index]!];
          expect(after.time - before.time).toBe(READING_SECONDS);
          expect(km(before, after) * 12, `${lot} at ${after.time}`).toBeLessThan(80);
        }
        if (lot === anomaly("ROUTE_DEVIATION").lot) continue;
        for (const message of messages) expect(offCorridor(message, corridor), `${lot} at ${message.time}`).toBeLessThan(0.05);
      }
    });

    it("lets drivers rest on the long Hữu Nghị corridor, and routine trips arrive on time with the seal intact and no alert", () => {
      for (const { seal, sealed, unseal, alerts, track, lot } of routine()) {
        expect(alerts, lot).toEqual([]);
        expect(unseal!.time).toBeLessThanOrEqual(seal.action.deadline);
        expect(unseal!.transitions[0]!.lot).toMatchObject({ state: "ARRIVED", location: seal.action.facility, seal: "" });
        expect(unseal!.flagged).toBe(false);
        expect(track!.segment.messages.every((message) => message.sealClosed && message.alerts.length === 0)).toBe(true);
        if (seal.reads.lots[0]!.location !== "VNHNG-HUUNGHI") continue;
        // Three readings in a row at one place, on the way (not at either end): a rest of 10 minutes or more.
        const { messages } = track!.segment;
        const [gate, depot] = [messages[0]!, messages.at(-1)!];
        const rests = messages.filter(
          (message, index) =>
            index >= 2 && km(message, messages[index - 2]!) < 0.05 && km(message, gate) > 5 && km(message, depot) > 5 && message.time > sealed.time,
        );
        expect(rests.length, `${lot} rests`).toBeGreaterThan(0);
      }
    });

    it("plants an overdue arrival: unsealed after the deadline, held OVERDUE, then inspected and let go", async () => {
      const { seal, unseal, lot } = planted("TRANSIT_OVERDUE");
      expect(unseal!.time).toBeGreaterThan(seal.action.deadline);
      expect(unseal!.flagged).toBe(true);
      expect(unseal!.reason).toMatch(/^OVERDUE/);
      expect(unseal!.transitions[0]!.lot).toMatchObject({ state: "HELD", priorState: "ARRIVED" });
      expect(custody("unhold", lot)).toHaveLength(1);
      expect(custody("store", lot)[0]?.facility).toBe(seal.action.facility);
    });

    it("plants a broken seal: the e-seal reports it opened, customs records the alert, the seal check holds the lot to the end", async () => {
      const { alerts, unseal, track, lot } = planted("SEAL_BROKEN");
      const opened = track!.segment.messages.findIndex((message) => message.alerts.includes("OPENED"));
      expect(opened).toBeGreaterThan(0);
      expect(track!.segment.messages.map((message) => message.sealClosed)).toEqual(track!.segment.messages.map((_, index) => index < opened));
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ actor: "VNCUSTOMS", flagged: true, reason: expect.stringMatching(/^OPENED: /) });
      expect(alerts[0]!.time).toBeGreaterThanOrEqual(track!.segment.messages[opened]!.time);
      expect(unseal!.reason).toMatch(/^SEAL_BROKEN: /);
      expect((await ledger.lot(lot))?.state).toBe("HELD");
    });

    it("plants a detour: the e-seal reports a route deviation kilometres off the corridor, customs records it, the lot arrives on time", () => {
      const { seal, alerts, unseal, track } = planted("ROUTE_DEVIATION");
      const corridor = CORRIDORS.find((candidate) => candidate.destination === seal.action.facility)!;
      const reported = track!.segment.messages.find((message) => message.alerts.includes("ROUTE_DEVIATION"))!;
      expect(offCorridor(reported, corridor)).toBeGreaterThan(1);
      expect(Math.max(...track!.segment.messages.map((message) => offCorridor(message, corridor)))).toBeGreaterThan(2.5);
      expect(alerts.map((alert) => alert.reason.split(":")[0])).toEqual(["ROUTE_DEVIATION", "LONG_STOP"]);
      expect(alerts[0]!.time).toBeGreaterThanOrEqual(reported.time);
      expect(unseal!.time).toBeLessThanOrEqual(seal.action.deadline);
      expect(unseal!.transitions[0]!.lot.state).toBe("ARRIVED");
    });
  });
});

type Point = { latitude: bigint; longitude: bigint };

/** Kilometres between two positions, on a plane tangent at the first (good to a few metres here). */
function km(a: Point, b: Point): number {
  const [x, y] = planar(a, b);
  return Math.hypot(x, y);
}

function planar(origin: Point, point: Point): [number, number] {
  const latitude = Number(origin.latitude) / 1e6;
  return [
    (Number(point.longitude - origin.longitude) / 1e6) * 111.32 * Math.cos((latitude * Math.PI) / 180),
    (Number(point.latitude - origin.latitude) / 1e6) * 110.57,
  ];
}

/** Kilometres from a position to the nearest point of the corridor's road (its waypoints joined). */
function offCorridor(point: Point, corridor: Corridor): number {
  let nearest = Number.POSITIVE_INFINITY;
  for (let index = 1; index < corridor.waypoints.length; index++) {
    const [ax, ay] = planar(point, corridor.waypoints[index - 1]!);
    const [bx, by] = planar(point, corridor.waypoints[index]!);
    const [dx, dy] = [bx - ax, by - ay];
    const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy || 1)));
    nearest = Math.min(nearest, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return nearest;
}
