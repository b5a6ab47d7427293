/**
 * Findings on the demo's seeded year, through the API as a customs auditor: every planted anomaly is
 * among the ten most severe findings, found by kind and subject in the ranked list (no query names
 * its ids), and no enterprise without a planted anomaly has a HIGH or CRITICAL finding.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { CSRF_HEADER } from "../../api/yoga.js";
import type { Anomaly } from "../../seeds/anomalies.js";
import { ENTERPRISES } from "../../seeds/catalog.js";
import { seededYear, startSeededYearApi, type SeededYear, type SeededYearApi } from "./seeded-year.js";

interface FindingNode {
  kind: string;
  severity: number;
  severityLabel: string;
  subject: string;
  enterprise: string | null;
  lot: string | null;
  facility: string | null;
  document: string | null;
  explanation: string;
  evidence: { events: string[]; documents: string[]; figures: Array<{ name: string; value: string }> };
}

let year: SeededYear;
let api: SeededYearApi;

beforeAll(async () => {
  year = await seededYear();
  api = await startSeededYearApi(year);
}, 300_000);

afterAll(async () => api?.close());

async function ask(query: string): Promise<any> {
  const response = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${api.token}`, [CSRF_HEADER]: "1" },
    body: JSON.stringify({ query }),
  });
  const { data, errors } = (await response.json()) as { data: any; errors?: unknown };
  expect(errors).toBeUndefined();
  return data;
}

/** Whether a finding is the one an anomaly's kind and subject call for. */
function shows(anomaly: Anomaly, finding: FindingNode): boolean {
  switch (anomaly.kind) {
    case "OVER_CONSUMPTION":
      return finding.kind === "CONSUMPTION_OVER_NORM" && finding.enterprise === anomaly.enterprise && finding.lot === anomaly.lot;
    case "RELEASED_NEVER_RECEIVED":
      return finding.kind === "RELEASED_NOT_RECEIVED" && finding.lot === anomaly.lot;
    case "CO_REVOKED_AFTER_CLEARANCE":
      return finding.kind === "DOCUMENT_WITHDRAWN_AFTER_CLEARANCE" && finding.lot === anomaly.lot && finding.document === anomaly.document;
    case "LONG_DWELL_AT_GATE":
      return finding.kind === "SLOW_FACILITY" && finding.facility === anomaly.facility;
    case "HOLD":
      return finding.kind === "HOLD" && finding.lot === anomaly.lot && finding.explanation.includes("still held");
    case "TRANSIT_OVERDUE":
      return finding.kind === "TRANSIT_OVERDUE" && finding.lot === anomaly.lot && finding.facility === anomaly.facility;
    case "SEAL_BROKEN":
      return finding.kind === "SEAL_BROKEN" && finding.lot === anomaly.lot && finding.facility === anomaly.facility;
    case "ROUTE_DEVIATION":
      return finding.kind === "SEAL_ALERT" && finding.lot === anomaly.lot && figureOf(finding, "routeDeviation") !== undefined;
  }
}

const figureOf = (finding: FindingNode, name: string) => finding.evidence.figures.find((entry) => entry.name === name)?.value;

/** Alerts on the way are MEDIUM unless the seal was opened: a route deviation is found, not ranked with the worst. */
const RANKED_BELOW_HIGH: ReadonlyArray<Anomaly["kind"]> = ["ROUTE_DEVIATION"];

it("ranks every planted anomaly among the ten most severe findings, each with its explanation and evidence", async () => {
  const { findings } = await ask(`{ findings(first: 10) { totalCount edges { node {
    kind severity severityLabel subject enterprise lot facility document explanation evidence { events documents figures { name value } } } } } }`);
  const top: FindingNode[] = findings.edges.map(({ node }: { node: FindingNode }) => node);
  console.log(
    `findings of the seeded year: ${findings.totalCount}; the ten most severe:\n${top.map((node, rank) => `${rank + 1}. [${node.severity} ${node.severityLabel}] ${node.kind}: ${node.explanation}`).join("\n")}`,
  );
  expect(year.scenario.anomalies.map(({ kind }) => kind).sort()).toEqual([
    "CO_REVOKED_AFTER_CLEARANCE",
    "HOLD",
    "LONG_DWELL_AT_GATE",
    "OVER_CONSUMPTION",
    "RELEASED_NEVER_RECEIVED",
    "ROUTE_DEVIATION",
    "SEAL_BROKEN",
    "TRANSIT_OVERDUE",
  ]);
  for (const anomaly of year.scenario.anomalies.filter(({ kind }) => !RANKED_BELOW_HIGH.includes(kind))) {
    const finding = top.find((node) => shows(anomaly, node));
    expect(finding, `${anomaly.kind}: ${anomaly.title}`).toBeDefined();
    expect(finding!.severityLabel === "HIGH" || finding!.severityLabel === "CRITICAL", anomaly.kind).toBe(true);
    expect(finding!.evidence.events.length).toBeGreaterThan(0);
  }
  // The over-consumption's figures are the ledger's own, as the anomaly describes them.
  const over = top.find((node) => node.kind === "CONSUMPTION_OVER_NORM")!;
  const figure = (name: string) => figureOf(over, name)!;
  const planted = year.scenario.anomalies.find(({ kind }) => kind === "OVER_CONSUMPTION")!;
  expect(planted.description).toContain(`consumed ${figure("consumed")} `);
  expect(planted.description).toContain(`allows ${figure("allowed")} `);
});

it("finds the planted route deviation as its trip's alerts, MEDIUM, with the transit declaration", async () => {
  const deviation = year.scenario.anomalies.find(({ kind }) => kind === "ROUTE_DEVIATION")!;
  const { findings } = await ask(`{ findings(first: 10, filter: { kinds: [SEAL_ALERT], lot: ${JSON.stringify(deviation.lot)} }) { edges { node {
    kind severity severityLabel subject enterprise lot facility document explanation evidence { events documents figures { name value } } } } } }`);
  const nodes: FindingNode[] = findings.edges.map(({ node }: { node: FindingNode }) => node);
  const finding = nodes.find((node) => shows(deviation, node));
  expect(finding, deviation.title).toBeDefined();
  expect(finding!.severityLabel).toBe("MEDIUM");
  expect(finding!.explanation).toContain("ROUTE_DEVIATION");
  expect(finding!.evidence.documents).toEqual([finding!.document]);
});

it("words the overdue trip's long stay in transit as a trip from where it was sealed", async () => {
  const overdue = year.scenario.anomalies.find(({ kind }) => kind === "TRANSIT_OVERDUE")!;
  const { findings } = await ask(
    `{ findings(first: 10, filter: { kinds: [LONG_STAY], lot: ${JSON.stringify(overdue.lot)} }) { edges { node { explanation } } } }`,
  );
  expect(findings.edges.map(({ node }: { node: { explanation: string } }) => node.explanation)).toEqual([
    expect.stringMatching(
      new RegExp(`^${overdue.lot} \\(${overdue.enterprise}\\) spent \\d+\\.\\d hours in transit under seal from [A-Z-]+, sealed \\d{4}-\\d\\d-\\d\\d: `),
    ),
  ]);
});

it("finds nothing HIGH or CRITICAL for an enterprise without a planted anomaly", async () => {
  const planted = new Set(year.scenario.anomalies.flatMap(({ enterprise }) => (enterprise === undefined ? [] : [enterprise])));
  const clean = ENTERPRISES.map(({ id }) => id).filter((id) => !planted.has(id));
  expect(clean.length).toBeGreaterThan(0);
  const { findingsByEnterprise } = await ask(`{ findingsByEnterprise { key count highest highestLabel } }`);
  console.log(`findings per enterprise: ${JSON.stringify(findingsByEnterprise)}`);
  for (const enterprise of clean) {
    const rollup = findingsByEnterprise.find((row: { key: string }) => row.key === enterprise);
    expect(rollup?.highest ?? 0, enterprise).toBeLessThan(70);
  }
  for (const enterprise of planted)
    expect(findingsByEnterprise.find((row: { key: string }) => row.key === enterprise)?.highest, enterprise).toBeGreaterThanOrEqual(70);
});
