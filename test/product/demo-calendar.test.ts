/**
 * Where the demo's year goes on a chain: ending by today on a new chain, refused when it would end after
 * now, resumed when a load of it stopped part-way, shown again when it is loaded, and never a second year.
 */
import { describe, expect, it } from "vitest";
import { DemoPlanError, demoStart, planDemo, requireEndsByNow } from "../../product/demo-calendar.js";
import type { DemoRecord } from "../../product/demo-record.js";
import { generateScenario } from "../../seeds/scenario.js";

const DAY = 86_400n;
const now = new Date("2026-12-03T09:00:00Z");
const nowSeconds = BigInt(now.getTime() / 1000);
const defaults = { seed: 1, events: 10_000 };
const home = "/srv/.tracegate";
const record = (complete: boolean): DemoRecord => ({
  seed: 1,
  events: 10_000,
  start: String(nowSeconds - 365n * DAY),
  genesis: "0xg",
  registry: "0xr",
  complete,
});
const ask = (request: Partial<Parameters<typeof planDemo>[0]>) =>
  planDemo({ seed: undefined, events: undefined, defaults, record: undefined, head: nowSeconds - 400n * DAY, now, home, ...request });

describe("the demo's calendar", () => {
  it("lays a new chain's year so that its last step is no later than now", () => {
    const plan = ask({});
    expect(plan).toEqual({ kind: "load", seed: 1, events: 10_000, start: demoStart(nowSeconds - 400n * DAY, now), resume: false });
    const { period } = generateScenario({ ...defaults, start: plan.start });
    expect(period.to).toBeLessThanOrEqual(nowSeconds);
    expect(() => requireEndsByNow(period, nowSeconds - 400n * DAY, now, home)).not.toThrow();
  });

  it("refuses a year that would end after now, on a chain whose clock is too recent", () => {
    const head = nowSeconds - 100n * DAY; // a demo loaded before, without a record
    const { period } = generateScenario({ ...defaults, start: ask({ head }).start as bigint });
    expect(period.to).toBeGreaterThan(nowSeconds);
    expect(() => requireEndsByNow(period, head, now, home)).toThrow(DemoPlanError);
    expect(() => requireEndsByNow(period, head, now, home)).toThrow(
      /ahead of today, and ledger time cannot go back. Load the demo onto a new chain: stop TraceGate, move \/srv\/.tracegate aside/,
    );
  });

  it("resumes an interrupted load of the recorded year, whatever the head", () => {
    const start = BigInt(record(false).start);
    expect(ask({ record: record(false), head: start + 100n * DAY })).toEqual({ kind: "load", seed: 1, events: 10_000, start, resume: true });
    expect(ask({ record: record(false), seed: 1, events: 10_000 })).toMatchObject({ kind: "load", resume: true });
  });

  it("shows a loaded year again rather than laying another", () => {
    expect(ask({ record: record(true) })).toEqual({ kind: "loaded", seed: 1, events: 10_000, start: BigInt(record(true).start) });
  });

  it("refuses another seed or size on a chain that has a demo year, saying what to do", () => {
    expect(() => ask({ record: record(true), seed: 2 })).toThrow(
      /^This chain holds the demo year of seed 1 and 10,000 events from \d{4}-\d\d-\d\d already. `npm run demo` shows its anomalies again. A second year/,
    );
    expect(() => ask({ record: record(false), events: 500 })).toThrow(
      /^A load of the demo year of seed 1 and 10,000 events from .* stopped part-way on this chain .*: `npm run demo` finishes it/,
    );
  });
});
