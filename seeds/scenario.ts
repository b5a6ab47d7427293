/**
 * A year of Vietnam's processing trade, generated step by step: norms registered, materials imported
 * through the border gates (some on to inland depots under customs seal, with their e-seal tracks) and
 * bonded warehouses into production, products exported, quarterly balance reports, and eight planted
 * anomalies (on the base enterprises). Deterministic by seed; streaming (only the goods in flight are
 * held). A bigger year has more enterprises (`enterprises` copies of the cast, cast.ts), each about as
 * busy as at demo scale, and room for as many more steps in a slot: memory follows the goods in flight
 * of its cast, never the events already generated.
 *
 *   const scenario = generateScenario({ seed: 1, events: 10_000 });
 *   for await (const step of scenario.steps) ...;   // then scenario.anomalies is complete
 */
import type { LedgerTime, Period } from "../domain/index.js";
import { longDwellAtGate, type Anomaly } from "./anomalies.js";
import { castOf } from "./cast.js";
import type { EnterpriseProfile, Route } from "./catalog.js";
import { corridor } from "./corridors.js";
import { ScenarioContext } from "./context.js";
import { Engine, type Flow } from "./engine.js";
import { importFlow, planConsignment, SLOW_GATE, TRANSIT_PLANTS, type Plant } from "./flows/imports.js";
import { productionFlow } from "./flows/production.js";
import { balanceReports, normOf, registerNorm } from "./flows/reports.js";
import { Random } from "./random.js";
import type { Member, ScenarioFacility, ScenarioOrganisation } from "./registry.js";
import type { Step } from "./step.js";
import { WorkingSet } from "./working-set.js";

/** 2027-01-01T00:00:00Z. */
export const DEFAULT_START: LedgerTime = 1_798_761_600n;
/** The demo scale. */
export const DEMO_EVENTS = 10_000;
/** Ten minutes: the ledger time of every step is a slot's start, one block per slot on a chain. */
export const SLOT_SECONDS = 600n;
/** Per copy of the cast: enough for a slot's actions to fit a block with room to spare (each has a 1,000,000 gas limit). */
export const MAX_STEPS_PER_SLOT = 40;
/** Events a copy of the enterprise cast makes in a year by default: more events, more enterprises. */
export const EVENTS_PER_COPY = 100_000;
const DAY = 86_400n;
const YEAR = 365n * DAY;
/** Measured: events per import consignment, its production and exports included. */
const EVENTS_PER_IMPORT = 14.1;
/** Quarter ends within a year from 1 January (a common year). */
const QUARTER_END_DAYS = [90, 181, 273];
/** When the planted anomalies happen, in days from the start. */
const PLANTED = { overConsumption: 100, releasedNeverReceived: 140, coRevoked: 180, hold: 290, routeDeviation: 60, transitOverdue: 120, sealBroken: 230 };
const LAST_IMPORT_DAY = 345;

export interface ScenarioOptions {
  seed?: number;
  /** About how many events (steps) to generate; default DEMO_EVENTS. */
  events?: number;
  /** Ledger time of the first step; default DEFAULT_START. It must be after the chain's head. */
  start?: LedgerTime;
  /**
   * Copies of the enterprise cast (cast.ts), each importing, producing and reporting as the base six
   * do; default one per EVENTS_PER_COPY events (at least one), so a country-scale year is many
   * enterprises of demo-like size, not six giants.
   */
  enterprises?: number;
}

export interface Scenario {
  seed: number;
  /** The events asked for; the year yields about as many. */
  events: number;
  /** The scenario's year, [from, to). */
  period: Period;
  organisations: readonly ScenarioOrganisation[];
  facilities: readonly ScenarioFacility[];
  members: readonly Member[];
  /** The steps in ledger-time order; iterate once. */
  steps: AsyncIterable<Step>;
  /** Complete once `steps` has been iterated to the end. */
  anomalies: Anomaly[];
  /** Lots and documents the generator holds now. */
  workingSet(): { lots: number; documents: number };
}

export function generateScenario(options: ScenarioOptions = {}): Scenario {
  const seed = options.seed ?? 1;
  const events = options.events ?? DEMO_EVENTS;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a whole number, not ${seed}`);
  if (!Number.isSafeInteger(events) || events < 1) throw new RangeError(`events must be a positive whole number, not ${events}`);
  const copies = options.enterprises ?? Math.max(1, Math.floor(events / EVENTS_PER_COPY));
  const cast = castOf(copies);
  const start = options.start ?? DEFAULT_START;
  const period = { from: start, to: start + YEAR };
  const state = new WorkingSet(cast.organisations, cast.facilities);
  const engine = new Engine(state, { start, end: period.to, slotSeconds: SLOT_SECONDS, maxStepsPerSlot: MAX_STEPS_PER_SLOT * copies });
  const year = new Date(Number(start) * 1000).getUTCFullYear();
  const ctx = new ScenarioContext(engine, cast, new Random(seed), year, events / DEMO_EVENTS / copies);
  const day = (days: number) => days * engine.slotsPerDay;
  const quarterEnds = QUARTER_END_DAYS.map(day);
  engine.onSlot = (slot) => {
    const quarter = quarterEnds.indexOf(slot);
    if (quarter >= 0) ctx.closePeriod(quarter);
  };
  engine.onEvent = (event) => ctx.follow(event);

  for (const profile of cast.enterprises) {
    const norm = normOf(profile, "0x");
    engine.spawn(registerNorm(ctx, profile), 0);
    engine.spawn(productionFlow(ctx, profile, norm, profile.id === "THANH-DAT-FOOTWEAR" ? start + BigInt(PLANTED.overConsumption) * DAY : undefined), day(7));
    engine.spawn(balanceReports(ctx, profile, quarterEnds), 0);
  }
  engine.spawn(imports(ctx, Math.max(60, Math.round(events / EVENTS_PER_IMPORT)), day(1), day(LAST_IMPORT_DAY)), 0);
  const plant = (plant: Plant, profile: EnterpriseProfile, days: number, route?: Route) => engine.spawn(plantedImport(ctx, profile, plant, route), day(days));
  plant("RELEASED_NEVER_RECEIVED", cast.enterprise("HOANG-LONG-GARMENT"), PLANTED.releasedNeverReceived);
  plant(
    "CO_REVOKED_AFTER_CLEARANCE",
    cast.enterprise("MINH-KHANG-ELEC"),
    PLANTED.coRevoked,
    cast.enterprise("MINH-KHANG-ELEC").routes.find((route) => route.co?.form === "D"),
  );
  plant("HOLD", cast.enterprise("PHU-THINH-ELEC"), PLANTED.hold, { origin: "CN", gate: "VNMOC-MONGCAI", warehouse: null, co: null, weight: 1 });
  const huuNghi = { origin: "CN", gate: "VNHNG-HUUNGHI", warehouse: null, co: { issuer: "CN-CCPIT", form: "E" }, weight: 1 } as const;
  plant("ROUTE_DEVIATION", cast.enterprise("MINH-KHANG-ELEC"), PLANTED.routeDeviation, huuNghi);
  plant("TRANSIT_OVERDUE", cast.enterprise("HOANG-LONG-GARMENT"), PLANTED.transitOverdue, huuNghi);
  plant("SEAL_BROKEN", cast.enterprise("THANH-DAT-FOOTWEAR"), PLANTED.sealBroken, cast.enterprise("THANH-DAT-FOOTWEAR").routes[0]);

  const anomalies: Anomaly[] = ctx.anomalies;
  async function* steps(): AsyncGenerator<Step> {
    yield* engine.run();
    const stays = ctx.arrivedStays.get(SLOW_GATE) ?? 0;
    if (stays >= 3) anomalies.push(longDwellAtGate({ gate: SLOW_GATE, stays, year: period }));
  }
  return {
    seed,
    events,
    period,
    organisations: cast.organisations,
    facilities: cast.facilities,
    members: cast.members,
    steps: steps(),
    anomalies,
    workingSet: () => state.size,
  };
}

/** Starts `count` import consignments evenly between slots `first` and `last`. */
function* imports(ctx: ScenarioContext, count: number, first: number, last: number): Flow {
  for (let index = 0; index < count; index++) {
    const due = first + Math.floor((index * (last - first)) / count);
    if (due > ctx.engine.slot) yield { wait: due - ctx.engine.slot };
    const profile = ctx.random.pick(ctx.cast.enterprises);
    const norm = ctx.engine.state.currentNorm(profile.id, profile.product.id) ?? normOf(profile, "0x");
    ctx.engine.spawn(importFlow(ctx, planConsignment(ctx, profile, norm)), ctx.engine.slot);
  }
}

/** A consignment that plants an anomaly; a transit one travels its enterprise's corridor from the route's gate. */
function* plantedImport(ctx: ScenarioContext, profile: EnterpriseProfile, plant: Plant, route?: Route): Flow {
  const consignment = planConsignment(ctx, profile, normOf(profile, "0x"), route);
  const transit = plant in TRANSIT_PLANTS ? corridor(profile.transit[consignment.route.gate]!) : consignment.transit;
  yield* importFlow(ctx, { ...consignment, preferenceClaimed: route?.co != null, permitRequired: false, transit }, plant);
}
