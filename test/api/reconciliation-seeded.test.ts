/**
 * The reconciliation on the demo's seeded year (seeds/, seed 1, about 10,000 events): the domain
 * ledger decides every step, the events are indexed into a fresh SQLite store, and the API reconciles
 * every enterprise for every quarter, with the balance report the enterprise anchored for it (none for
 * the fourth, filed after the year). Clean enterprises show no discrepancy in any quarter; the planted
 * over-consumption shows in its enterprise, material and quarter, with the planted figures, and
 * nothing else is flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBalanceReport } from "../../sdk/balance-report.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import type { CustodyEvent, LedgerEvent, LedgerTime, Period } from "../../domain/index.js";
import { ENTERPRISES } from "../../seeds/catalog.js";
import type { Scenario } from "../../seeds/scenario.js";
import { seededYear, startSeededYearApi, type SeededYearApi } from "./seeded-year.js";

const DAY = 86_400n;
/** The seeds' quarters: their balance reports cover days 0-90, 90-181 and 181-273 of the year. */
const QUARTER_STARTS = [0n, 90n, 181n, 273n, 365n];

interface Flag {
  enterprise: string;
  quarter: number;
  material: string;
  kind: string;
  amount: string;
  consumed: string;
  allowed: string;
}

let scenario: Scenario;
let api: SeededYearApi;
const events: LedgerEvent[] = [];
/** Each enterprise's anchored balance reports, by the start of the period they cover. */
const reports = new Map<string, Map<LedgerTime, string>>();

beforeAll(async () => {
  const year = await seededYear((step) => {
    if (step.document?.kind !== "BALANCE_REPORT") return;
    const text = new TextDecoder().decode(step.document.bytes);
    const report = parseBalanceReport(text);
    if (!reports.has(report.enterprise)) reports.set(report.enterprise, new Map());
    reports.get(report.enterprise)!.set(report.period.from, text);
  });
  ({ scenario } = year);
  events.push(...year.events);
  api = await startSeededYearApi(year);
}, 300_000);

afterAll(async () => api?.close());

const RECONCILE = `query ($enterprise: String!, $period: PeriodInput!, $report: String) {
  reconciliation(enterprise: $enterprise, period: $period, report: $report) {
    report { accepted problem }
    rows { material book declared consumed expected overNormConsumed overNormAllowed stockDifference
      discrepancies { kind amount events(first: 10) { edges { node { kind time transitions { lotId } } } } } } } }`;

async function reconcile(enterprise: string, period: Period, report: string | undefined) {
  const iso = (time: LedgerTime) => new Date(Number(time) * 1000).toISOString();
  const response = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${api.token}`, [CSRF_HEADER]: "1" },
    body: JSON.stringify({ query: RECONCILE, variables: { enterprise, period: { from: iso(period.from), to: iso(period.to) }, report: report ?? null } }),
  });
  const { data, errors } = (await response.json()) as { data: any; errors?: unknown };
  expect(errors).toBeUndefined();
  return data.reconciliation;
}

const quarter = (index: number): Period => ({
  from: scenario.period.from + QUARTER_STARTS[index]! * DAY,
  to: scenario.period.from + QUARTER_STARTS[index + 1]! * DAY,
});

describe("reconciliation of the seeded year", () => {
  let flags: Flag[];
  const results = new Map<string, any>();

  beforeAll(async () => {
    flags = [];
    for (const { id: enterprise } of ENTERPRISES) {
      for (let index = 0; index < 4; index++) {
        const period = quarter(index);
        const result = await reconcile(enterprise, period, reports.get(enterprise)?.get(period.from));
        results.set(`${enterprise} Q${index + 1}`, result);
        for (const row of result.rows) {
          for (const { kind, amount } of row.discrepancies) {
            flags.push({ enterprise, quarter: index + 1, material: row.material, kind, amount, consumed: row.overNormConsumed, allowed: row.overNormAllowed });
          }
        }
      }
    }
  }, 120_000);

  it("takes each enterprise's balance report for the first three quarters as declared, and finds it agrees with the books", () => {
    for (const { id: enterprise, product } of ENTERPRISES) {
      for (let index = 0; index < 3; index++) {
        const result = results.get(`${enterprise} Q${index + 1}`);
        expect(result.report, `${enterprise} Q${index + 1}`).toEqual({ accepted: true, problem: null });
        expect(result.rows.map((row: any) => row.material).sort()).toEqual(product.inputs.map((input) => input.material).sort());
        for (const row of result.rows) expect(row.stockDifference, `${enterprise} Q${index + 1} ${row.material}`).toBe("0");
      }
      expect(results.get(`${enterprise} Q4`).report).toBeNull();
    }
  });

  it("produced something in every quarter, so the clean quarters are clean for a reason", () => {
    for (const key of results.keys())
      expect(
        results.get(key).rows.some((row: any) => BigInt(row.expected) > 0n),
        key,
      ).toBe(true);
  });

  it("flags only the planted over-consumption, in its enterprise, material and quarter, with its figures", () => {
    const planted = scenario.anomalies.filter((anomaly) => anomaly.kind === "OVER_CONSUMPTION");
    expect(planted).toHaveLength(1);
    const [{ enterprise, lot, description }] = planted as [(typeof planted)[number]];
    const transform = events.find(
      (event): event is CustodyEvent =>
        event.type === "custody" && event.action === "transform" && event.transitions.some(({ from, lot: made }) => from === "NONE" && made.id === lot),
    )!;
    const over = transform.deviations.filter((row) => row.consumed > row.expected);
    expect(over).toHaveLength(1);
    const [{ material, consumed, expected }] = over as [(typeof over)[number]];
    expect(description).toContain(`consumed ${consumed} ${material} where the registered norm allows ${expected}`);
    const plantedQuarter = QUARTER_STARTS.findIndex((start) => transform.time < scenario.period.from + start * DAY);

    expect(flags).toEqual([
      {
        enterprise,
        quarter: plantedQuarter,
        material,
        kind: "CONSUMED_OVER_NORM",
        amount: String(consumed - expected),
        consumed: String(consumed),
        allowed: String(expected),
      },
    ]);
    const row = results.get(`${enterprise} Q${plantedQuarter}`).rows.find((candidate: any) => candidate.material === material);
    expect(row.discrepancies[0].events.edges.map(({ node }: any) => [node.kind, node.transitions.some((t: any) => t.lotId === lot)])).toEqual([
      ["transform", true],
    ]);
    // The excess stands although the quarter's other batches of that material used less than allowed.
    expect(BigInt(row.consumed) < BigInt(row.expected)).toBe(true);
  });
});
