/**
 * The demo's queries on the demo's year: each planted anomaly's GraphQL query (seeds/anomalies.ts), run
 * as a customs auditor against the API over the indexed year, answers without errors and shows it.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { CSRF_HEADER } from "../../api/yoga.js";
import { seededYear, startSeededYearApi, type SeededYear, type SeededYearApi } from "../api/seeded-year.js";

let year: SeededYear;
let api: SeededYearApi;

beforeAll(async () => {
  year = await seededYear();
  api = await startSeededYearApi(year);
}, 300_000);

afterAll(async () => api?.close());

it("finds every planted anomaly, the transit ones included, with the query the demo prints", async () => {
  expect(year.scenario.anomalies.map(({ kind }) => kind)).toEqual(expect.arrayContaining(["TRANSIT_OVERDUE", "SEAL_BROKEN", "ROUTE_DEVIATION"]));
  for (const anomaly of year.scenario.anomalies) {
    const response = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${api.token}`, [CSRF_HEADER]: "1" },
      body: JSON.stringify({ query: anomaly.query, variables: anomaly.variables }),
    });
    const { data, errors } = (await response.json()) as { data: unknown; errors?: unknown };
    expect(errors, anomaly.kind).toBeUndefined();
    expect(anomaly.found(data), `${anomaly.kind}: ${JSON.stringify(data).slice(0, 500)}`).toBe(true);
  }
});

it("tells a transit anomaly's answer from another's: the overdue arrival is not the broken seal", async () => {
  const [overdue, broken] = ["TRANSIT_OVERDUE", "SEAL_BROKEN"].map((kind) => year.scenario.anomalies.find((anomaly) => anomaly.kind === kind)!);
  const held = (lot: string, reason: string) => ({
    auditTrail: { edges: [{ node: { kind: "unseal", reason, transitions: [{ lotId: lot, from: "IN_TRANSIT", to: "HELD" }] } }] },
  });
  expect(overdue!.found(held(overdue!.lot!, "OVERDUE"))).toBe(true);
  expect(overdue!.found(held(overdue!.lot!, "SEAL_BROKEN: cut"))).toBe(false);
  expect(overdue!.found(held(broken!.lot!, "OVERDUE"))).toBe(false);
  expect(broken!.found(held(broken!.lot!, "SEAL_BROKEN: cut"))).toBe(true);
  expect(broken!.found({ auditTrail: { edges: [] } })).toBe(false);
});
