/**
 * A scenario with several copies of the enterprise cast: every copy imports, produces and reports
 * under its own ids and names, every step is one the domain's reference ledger accepts with the very
 * event the step carries, ids stay unique, and slots hold as many more steps as there are copies.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InMemoryLedger, type Id, type LedgerEvent } from "../../domain/index.js";
import { castOf } from "../../seeds/cast.js";
import { ENTERPRISES } from "../../seeds/catalog.js";
import { generateScenario, MAX_STEPS_PER_SLOT, type Scenario } from "../../seeds/scenario.js";
import type { Step } from "../../seeds/step.js";

const COPIES = 3;
const cast = castOf(COPIES);

/** Every organisation and facility an event names. */
function namedBy(event: LedgerEvent): { organisations: Id[]; facilities: Id[] } {
  switch (event.type) {
    case "custody": {
      const lots = event.transitions.map(({ lot }) => lot);
      return {
        organisations: [event.actor, ...lots.flatMap(({ owner, custodian }) => [owner, custodian])],
        facilities: [event.facility, ...lots.flatMap(({ location, destination }) => [location, destination])].filter((id) => id !== ""),
      };
    }
    case "documentAnchored":
      return { organisations: [event.document.issuer], facilities: [] };
    case "batchAnchored":
      return { organisations: [event.batch.issuer], facilities: [] };
    case "normRegistered":
      return { organisations: [event.norm.owner], facilities: [] };
    default:
      return { organisations: [event.issuer], facilities: [] };
  }
}

describe(`a scenario of ${COPIES} copies of the enterprise cast`, () => {
  let scenario: Scenario;
  const steps: Step[] = [];
  const decided: LedgerEvent[] = [];

  beforeAll(async () => {
    scenario = generateScenario({ seed: 3, events: 30_000, enterprises: COPIES });
    const ledger = new InMemoryLedger();
    for (const organisation of scenario.organisations) ledger.registerOrganisation(organisation);
    for (const facility of scenario.facilities) ledger.registerFacility(facility);
    for await (const step of scenario.steps) {
      steps.push(step);
      decided.push(await ledger.submit(step.actor, step.action, step.time));
    }
  });

  it("lists the scaled cast, and carries on each step the event the reference ledger decides for it", () => {
    expect(scenario.organisations).toEqual(cast.organisations);
    expect(scenario.facilities).toEqual(cast.facilities);
    expect(scenario.members).toEqual(cast.members);
    expect(steps.length).toBeGreaterThan(27_000);
    expect(steps.map((step) => step.event)).toEqual(decided);
  });

  it("has every copy of every enterprise import, produce in its own factory, export and report each quarter", () => {
    const tally = new Map(cast.enterprises.map(({ id }) => [id, { imports: 0, received: 0, transforms: 0, exports: 0, reports: 0 }]));
    for (const { actor, action, event } of steps) {
      const count = tally.get(actor.org);
      if (count === undefined) continue;
      if (action.type === "declare") count[action.direction === "IMPORT" ? "imports" : "exports"]++;
      if (action.type === "transform") count.transforms++;
      if (action.type === "anchor" && action.kind === "BALANCE_REPORT") count.reports++;
      if (event.type === "custody" && event.action === "receive") {
        expect(event.facility).toBe(cast.enterprise(actor.org).factory);
        count.received++;
      }
    }
    for (const [enterprise, count] of tally) {
      expect(count.reports, `${enterprise} reports`).toBe(3);
      for (const activity of ["imports", "received", "transforms", "exports"] as const)
        expect(count[activity], `${enterprise} ${activity}`).toBeGreaterThan(10);
    }
  });

  it("writes each copy's name and tax code into its documents", () => {
    const declarants = new Map<Id, { name: string; taxCode: string }>();
    for (const { action, document } of steps)
      if (action.type === "anchor" && document?.kind === "DECLARATION") {
        const { declarant } = JSON.parse(new TextDecoder().decode(document.bytes)) as { declarant: { id: Id; name: string; taxCode: string } };
        declarants.set(declarant.id, { name: declarant.name, taxCode: declarant.taxCode });
      }
    expect(declarants.size).toBe(cast.enterprises.length);
    for (const [id, party] of declarants) expect(party).toEqual({ name: cast.organisation(id).name, taxCode: cast.organisation(id).taxCode });
  });

  it("gives every lot, and every document of an issuer, an id of its own", () => {
    const lots = decided.flatMap((event) => (event.type === "custody" ? event.transitions.filter(({ from }) => from === "NONE").map(({ lot }) => lot.id) : []));
    // A document id is its issuer's (two chambers may both number a FORMD-VN-000001).
    const documents = steps.flatMap(({ actor, action }) => (action.type === "anchor" ? [`${actor.org}/${action.id}`] : []));
    expect(new Set(lots).size).toBe(lots.length);
    expect(new Set(documents).size).toBe(documents.length);
    // Each copy's imports carry its own code (the year is 2027).
    for (const { code } of cast.enterprises)
      expect(
        lots.some((lot) => lot.startsWith(`${code}27I`)),
        code,
      ).toBe(true);
  });

  it("names in its events only organisations and facilities it lists", () => {
    const organisations = new Set(scenario.organisations.map(({ id }) => id));
    const facilities = new Set(scenario.facilities.map(({ id }) => id));
    const named = decided.map(namedBy);
    expect(named.flatMap((ids) => ids.organisations).filter((id) => !organisations.has(id))).toEqual([]);
    expect(named.flatMap((ids) => ids.facilities).filter((id) => !facilities.has(id))).toEqual([]);
  });

  it("holds at most MAX_STEPS_PER_SLOT steps per copy in a slot", () => {
    const perSlot = new Map<bigint, number>();
    for (const { time } of steps) perSlot.set(time, (perSlot.get(time) ?? 0) + 1);
    expect(Math.max(...perSlot.values())).toBeLessThanOrEqual(MAX_STEPS_PER_SLOT * COPIES);
  });

  it("plants the anomalies on the base enterprises", () => {
    const base = new Set(ENTERPRISES.map(({ id }) => id));
    const planted = scenario.anomalies.flatMap(({ enterprise }) => (enterprise === undefined ? [] : [enterprise]));
    expect(planted.length).toBeGreaterThanOrEqual(7);
    for (const enterprise of planted) expect(base.has(enterprise), enterprise).toBe(true);
  });
});
