/**
 * Who sees what: every root field asked by every kind of caller (customs auditor, the enterprise, a
 * second enterprise, the warehouse, the C/O issuer, and nobody), then attempts to reach other
 * organisations' data through nested fields, and tokens the API must not believe.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, type LedgerEvent } from "../../domain/index.js";
import { devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { at, BALANCE_REPORT_TEXT, iso } from "./scenario.js";
import { appendBlock } from "./scenario-store.js";
import { startScenarioApi, type Caller, type ScenarioApi } from "./scenario-api.js";
import { subscribe } from "./sse.js";

let api: ScenarioApi;
beforeAll(async () => {
  api = await startScenarioApi();
});
afterAll(() => api?.close());

type Who = Caller | "anonymous";
const WHO: Who[] = ["auditor", "enterprise", "otherEnterprise", "warehouse", "issuer", "anonymous"];
const UNAUTHENTICATED = { error: "UNAUTHENTICATED" };
const FORBIDDEN = { error: "FORBIDDEN" };
const PERIOD = { from: iso(at(0, 0)), to: iso(at(5, 0)) };

const ids = (connection: any, key = "id") => connection.edges.map((edge: any) => edge.node[key]).sort();

/** One root field: a query, what to keep of its answer, and the answer each caller must get. */
interface Row {
  field: string;
  query: string;
  variables?: () => Record<string, unknown>;
  pick(data: any): unknown;
  expected: Record<Who, unknown>;
}

const ALL_LOTS = ["LOT-F1", "LOT-P1", "LOT-P2", "LOT-P3", "LOT-T1", "LOT-T1A", "LOT-T1B", "LOT-X1"];
const ENT1_DOCUMENTS = ["BR-2027-01", "DECL-LOT-F1", "DECL-LOT-P1", "DECL-LOT-T1", "NORM-PROD-1"];

const MATRIX: Row[] = [
  {
    field: "viewer",
    query: "{ viewer { org audience } }",
    pick: (data) => data.viewer.audience,
    expected: {
      auditor: "auditor",
      enterprise: "enterprise",
      otherEnterprise: "enterprise",
      warehouse: "warehouse",
      issuer: "issuer",
      anonymous: UNAUTHENTICATED,
    },
  },
  {
    field: "lot",
    query: `{ lot(id: "LOT-F1") { id owner } }`,
    pick: (data) => data.lot.id,
    expected: { auditor: "LOT-F1", enterprise: "LOT-F1", otherEnterprise: FORBIDDEN, warehouse: FORBIDDEN, issuer: FORBIDDEN, anonymous: UNAUTHENTICATED },
  },
  {
    field: "lots",
    query: "{ lots(first: 50) { edges { node { id } } } }",
    pick: (data) => ids(data.lots),
    expected: {
      auditor: ALL_LOTS,
      enterprise: ALL_LOTS.filter((id) => id !== "LOT-X1"),
      otherEnterprise: ["LOT-X1"],
      warehouse: ["LOT-T1", "LOT-T1B", "LOT-X1"],
      issuer: [],
      anonymous: UNAUTHENTICATED,
    },
  },
  {
    field: "documents",
    query: "{ documents(first: 50) { edges { node { id } } } }",
    pick: (data) => [...new Set(ids(data.documents))],
    expected: {
      auditor: ["BR-2027-01", "CO-F1", "DECL-LOT-F1", "DECL-LOT-P1", "DECL-LOT-T1", "DECL-LOT-X1", "INSP-F1", "MAN-1", "NORM-PROD-1", "PERMIT-T1"],
      enterprise: ENT1_DOCUMENTS,
      otherEnterprise: ["DECL-LOT-X1"],
      warehouse: ["MAN-1"],
      issuer: ["CO-F1", "PERMIT-T1"],
      anonymous: UNAUTHENTICATED,
    },
  },
  {
    field: "verifyDocument",
    query: "query ($hash: String) { verifyDocument(hash: $hash) { verdict anchor { issuer } } }",
    variables: () => ({ hash: api.scenario.documents.get("DECL-LOT-F1") }),
    pick: (data) => data.verifyDocument.verdict,
    expected: { auditor: "VALID", enterprise: "VALID", otherEnterprise: "VALID", warehouse: "VALID", issuer: "VALID", anonymous: UNAUTHENTICATED },
  },
  {
    field: "materialBalance",
    query: `query ($period: PeriodInput!) { materialBalance(enterprise: "ENT-1", material: "FABRIC", period: $period) { closing } }`,
    variables: () => ({ period: PERIOD }),
    pick: (data) => data.materialBalance.closing,
    expected: { auditor: "0", enterprise: "0", otherEnterprise: FORBIDDEN, warehouse: FORBIDDEN, issuer: FORBIDDEN, anonymous: UNAUTHENTICATED },
  },
  {
    field: "reconciliation",
    query: `query ($period: PeriodInput!, $report: String) { reconciliation(enterprise: "ENT-1", period: $period, report: $report) { report { accepted } rows { material } } }`,
    variables: () => ({ period: PERIOD, report: BALANCE_REPORT_TEXT }),
    pick: (data) => data.reconciliation.rows.map((row: any) => row.material),
    expected: {
      auditor: ["FABRIC", "THREAD"],
      enterprise: ["FABRIC", "THREAD"],
      otherEnterprise: FORBIDDEN,
      warehouse: FORBIDDEN,
      issuer: FORBIDDEN,
      anonymous: UNAUTHENTICATED,
    },
  },
  {
    field: "dwellTimes",
    query: "{ dwellTimes { facility } }",
    pick: (data) => [...new Set(data.dwellTimes.map((row: any) => row.facility))].sort(),
    expected: {
      auditor: ["FACTORY-ENT-1", "GATE-1", "GATE-2", "WH-1", null],
      enterprise: ["FACTORY-ENT-1"],
      otherEnterprise: [],
      warehouse: ["GATE-2", "WH-1"],
      issuer: FORBIDDEN,
      anonymous: UNAUTHENTICATED,
    },
  },
  {
    field: "auditTrail",
    query: `{ auditTrail(filter: { lot: "LOT-F1" }, first: 50) { edges { node { kind } } } }`,
    pick: (data) => data.auditTrail.edges.length,
    // The warehouse stored LOT-F1, which has left its custody: like lot(id), filtering by it finds nothing.
    expected: { auditor: 11, enterprise: 11, otherEnterprise: 0, warehouse: 0, issuer: 0, anonymous: UNAUTHENTICATED },
  },
  {
    field: "epcisEvents",
    query: `{ epcisEvents(filter: { lot: "LOT-F1" }, first: 50) { edges { node { json } } } }`,
    pick: (data) => data.epcisEvents.edges.map((edge: any) => edge.node.json.bizStep).length,
    expected: { auditor: 11, enterprise: 11, otherEnterprise: 0, warehouse: 0, issuer: 0, anonymous: UNAUTHENTICATED },
  },
];

async function outcome(who: Who, query: string, variables?: Record<string, unknown>, pick: (data: any) => unknown = (data) => data): Promise<unknown> {
  const { data, errors } = await api.query(who === "anonymous" ? null : who, query, variables);
  if (errors !== undefined) return { error: errors[0]?.extensions?.code };
  return pick(data);
}

describe.each(MATRIX)("$field", (row) => {
  it.each(WHO)("as %s", async (who) => {
    expect(await outcome(who, row.query, row.variables?.(), row.pick)).toEqual(row.expected[who]);
  });
});

describe("verifyFile", () => {
  it.each(WHO)("as %s", async (who) => {
    const form = new FormData();
    form.set("operations", JSON.stringify({ query: "query ($file: File!) { verifyFile(file: $file) { verdict } }", variables: { file: null } }));
    form.set("map", JSON.stringify({ 0: ["variables.file"] }));
    form.set("0", new Blob([BALANCE_REPORT_TEXT]), "report.json");
    const token = who === "anonymous" ? undefined : api.tokens[who];
    const response = await fetch(`${api.server.url}/graphql`, {
      method: "POST",
      headers: { [CSRF_HEADER]: "1", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: form,
    });
    const { data, errors } = (await response.json()) as any;
    expect(errors ? { error: errors[0].extensions.code } : data.verifyFile.verdict).toEqual(who === "anonymous" ? UNAUTHENTICATED : "VALID");
  });
});

describe("nested fields never reach another organisation's data", () => {
  const errorsAt = (errors: any[] | undefined) => (errors ?? []).map((error) => [error.path.join("."), error.extensions.code]);

  it("lineage stops at lots the caller may not see, and says how many it withheld", async () => {
    const query = `{ lot(id: "LOT-T1") { lineage(direction: DOWN) { nodes { lot { id } } edges { child } withheld } } }`;
    const { data, errors } = await api.query("warehouse", query);
    expect(errors).toBeUndefined();
    expect(data!.lot.lineage).toEqual({ nodes: [{ lot: { id: "LOT-T1" } }, { lot: { id: "LOT-T1B" } }], edges: [{ child: "LOT-T1B" }], withheld: 1 });
    expect((await api.query("auditor", query)).data!.lot.lineage.withheld).toBe(0);
  });

  it("an event of a visible lot shows only the lots the caller may see, in its fields, payload and EPCIS", async () => {
    // The warehouse split LOT-T1; LOT-T1A has since been released to ENT-1's factory, LOT-T1B is still held.
    const { data, errors } = await api.query(
      "warehouse",
      `{ lot(id: "LOT-T1") { history(first: 10) { edges { node { kind transitions { lotId lot { id owner } } payload } } } } }`,
    );
    expect(errors).toBeUndefined();
    const split = data!.lot.history.edges.map((edge: any) => edge.node).find((event: any) => event.kind === "split");
    expect(split.transitions).toEqual([
      { lotId: "LOT-T1", lot: { id: "LOT-T1", owner: "ENT-1" } },
      { lotId: "LOT-T1B", lot: { id: "LOT-T1B", owner: "ENT-1" } },
    ]);
    expect(split.payload.transitions.map((transition: any) => transition.lot.id)).toEqual(["LOT-T1", "LOT-T1B"]);
    const epcis = await api.query("warehouse", `{ epcisEvents(filter: { kinds: ["split"] }) { edges { node { json } } } }`);
    expect(epcis.data!.epcisEvents.edges.map((edge: any) => edge.node.json.outputQuantityList.map((part: any) => part.epcClass))).toEqual([
      ["urn:tracegate:lot:LOT-T1B"],
    ]);
  });

  it("a warehouse keeps the events it performed, without the lots that left its custody", async () => {
    const query = `{ auditTrail(filter: { actor: "TERMINAL", kinds: ["store"] }) { edges { node { facility transitions { lotId } payload } } } epcisEvents(filter: { actor: "TERMINAL", kinds: ["store"] }) { edges { node { json } } } }`;
    const { data, errors } = await api.query("warehouse", query);
    expect(errors).toBeUndefined();
    // Stored in this order: LOT-T1 (split since, still its own), LOT-F1 (gone to ENT-1's factory), LOT-X1 (still held).
    expect(data!.auditTrail.edges.map((edge: any) => edge.node.transitions.map((transition: any) => transition.lotId))).toEqual([["LOT-T1"], [], ["LOT-X1"]]);
    expect(data!.auditTrail.edges[1].node).toMatchObject({ facility: "WH-1", payload: { action: "store", transitions: [], documents: [] } });
    expect(data!.epcisEvents.edges.map((edge: any) => edge.node.json.quantityList.length)).toEqual([1, 0, 1]);
    expect(JSON.stringify(data)).not.toContain("LOT-F1");
  });

  it("an issuer sees the documents it issued, not the lots they name", async () => {
    const { data, errors } = await api.query(
      "issuer",
      `{ documents(first: 10, filter: { kind: CO }) { edges { node { id subjects lots { id } verdict { verdict } } } } }`,
    );
    expect(data!.documents.edges.map((edge: any) => edge.node)).toEqual([{ id: "CO-F1", subjects: ["LOT-F1"], lots: [null], verdict: { verdict: "VALID" } }]);
    expect(errorsAt(errors)).toEqual([["documents.edges.0.node.lots.0", "FORBIDDEN"]]);
  });

  it("an enterprise sees other issuers' documents about its own lots, never another enterprise's", async () => {
    const own = await api.query("enterprise", `{ lot(id: "LOT-F1") { documents { id issuer } } }`);
    expect(own.data!.lot.documents.map((document: any) => document.issuer).sort()).toEqual(["CUSTOMS", "ENT-1", "ENT-1", "VCCI"]);
    const other = await api.query("otherEnterprise", `{ lot(id: "LOT-F1") { documents { id } } }`);
    expect(other.data!.lot).toBeNull();
    expect(errorsAt(other.errors)).toEqual([["lot", "FORBIDDEN"]]);
    for (const filter of ['{ issuer: "ENT-1" }', '{ id: "CO-F1" }']) {
      expect((await api.query("otherEnterprise", `{ documents(filter: ${filter}) { edges { node { id } } } }`)).data!.documents.edges).toEqual([]);
    }
    for (const filter of ['{ actor: "ENT-1" }', '{ lot: "LOT-P1" }', '{ facility: "FACTORY-ENT-1" }', "{ flagged: true }"]) {
      expect((await api.query("otherEnterprise", `{ auditTrail(filter: ${filter}) { edges { node { kind } } } }`)).data!.auditTrail.edges).toEqual([]);
    }
  });

  it("counts the audit trail each caller may see: totalCount is what its pages hold, filtered or not", async () => {
    const TRAIL = `query ($filter: EventFilter, $after: String) { auditTrail(filter: $filter, first: 100, after: $after) {
      totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const counts: Record<string, number[]> = {};
    for (const who of ["auditor", "enterprise", "otherEnterprise", "warehouse", "issuer"] as const) {
      for (const filter of [null, { lot: "LOT-F1" }, { kinds: ["store"] }]) {
        let [after, seen, total] = [null as string | null, 0, -1];
        do {
          const { data } = await api.query<any>(who, TRAIL, { filter, after });
          const trail = data!.auditTrail;
          if (total !== -1) expect(trail.totalCount).toBe(total);
          total = trail.totalCount;
          seen += trail.edges.length;
          after = trail.pageInfo.hasNextPage ? trail.pageInfo.endCursor : null;
        } while (after !== null);
        expect(total, `${who} ${JSON.stringify(filter)}`).toBe(seen);
        (counts[who] ??= []).push(total);
      }
    }
    // Customs counts every event; the others fewer, and nothing of a lot they may not see.
    for (const who of ["enterprise", "otherEnterprise", "warehouse", "issuer"]) expect(counts[who]![0]).toBeLessThan(counts.auditor![0]!);
    expect([counts.auditor![1], counts.enterprise![1], counts.otherEnterprise![1], counts.warehouse![1]]).toEqual([11, 11, 0, 0]);
  });

  it("a warehouse's view of a lot it holds includes the owner's declaration, not the owner's other lots", async () => {
    const { data, errors } = await api.query(
      "warehouse",
      `{ lot(id: "LOT-X1") { declaration { id issuer } documents { id } } lots(filter: { owner: "ENT-1", state: PRODUCED }) { edges { node { id } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.lot.declaration).toEqual({ id: "DECL-LOT-X1", issuer: "ENT-2" });
    expect(data!.lots.edges).toEqual([]);
  });

  it("a lot that does not exist looks like one the caller may not see (no existence oracle)", async () => {
    expect(await outcome("otherEnterprise", `{ lot(id: "NO-SUCH-LOT") { id } }`)).toEqual(FORBIDDEN);
    expect(await outcome("auditor", `{ lot(id: "NO-SUCH-LOT") { id } }`)).toEqual({ lot: null });
  });
});

describe("tokens the API does not believe", () => {
  it.each([
    ["signed by a key it does not trust", async () => (await devTokenIssuer()).mint("CUSTOMS", "AUDITOR")],
    ["for an organisation that is not registered", () => api.issuer.mint("SMUGGLERS", "OPERATOR")],
    ["with a role its organisation's kind cannot hold", () => api.issuer.mint("ENT-1", "AUDITOR")],
    ["expired", () => api.issuer.mint("CUSTOMS", "AUDITOR", { lifetimeSeconds: -60 })],
    ["for another audience", () => api.issuer.mint("CUSTOMS", "AUDITOR", { audience: "another-api" })],
    ["from another issuer", () => api.issuer.mint("CUSTOMS", "AUDITOR", { issuer: "someone-else" })],
  ])("refuses a token %s", async (_case, mint) => {
    const { errors, data } = await api.query({ token: await mint() }, "{ viewer { org } }");
    expect(errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(data ?? null).toBeNull();
  });

  it("refuses a malformed Authorization header", async () => {
    const response = await fetch(`${api.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", [CSRF_HEADER]: "1", authorization: "Basic dXNlcjpwYXNz" },
      body: JSON.stringify({ query: "{ viewer { org } }" }),
    });
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });
});

// Last: it adds events to the store.
describe("eventAdded", () => {
  it("delivers each new event only to the callers who may see it, and refuses anonymous subscribers", async () => {
    const query = "subscription { eventAdded { kind actor } }";
    const anonymous = await subscribe(api.server.url, undefined, query);
    expect((await anonymous.next()).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    anonymous.close();
    const callers: Caller[] = ["auditor", "enterprise", "otherEnterprise", "warehouse", "issuer"];
    // Each stream listens once it is open (its response has started).
    const subscriptions = await Promise.all(callers.map((caller) => subscribe(api.server.url, api.tokens[caller], query)));
    const { ledger } = api.scenario;
    const submit = (org: string, role: "OFFICER" | "SIGNER", action: Parameters<typeof ledger.submit>[1], time: bigint): Promise<LedgerEvent> =>
      ledger.submit({ org, role }, action, time);
    // A hold on ENT-1's lot in the warehouse, then a certificate by VCCI, then a declaration by ENT-2.
    await appendBlock(api.store, [await submit("CUSTOMS", "OFFICER", { type: "hold", lot: "LOT-T1B", reason: "sampling" }, at(6, 9))]);
    await appendBlock(api.store, [
      await submit(
        "VCCI",
        "SIGNER",
        { type: "anchor", hash: documentHash("CO-X1"), id: "CO-X1", kind: "CO", cid: "bafy-co-x1", subjects: ["LOT-X1"] },
        at(6, 10),
      ),
    ]);
    await appendBlock(api.store, [
      await submit(
        "ENT-2",
        "SIGNER",
        { type: "anchor", hash: documentHash("DECL-X2"), id: "DECL-X2", kind: "DECLARATION", cid: "bafy-x2", subjects: [] },
        at(6, 11),
      ),
    ]);
    try {
      const first = await Promise.all(subscriptions.map(async (subscription) => (await subscription.next()).data.eventAdded));
      expect(Object.fromEntries(callers.map((caller, index) => [caller, first[index]]))).toEqual({
        auditor: { kind: "hold", actor: "CUSTOMS" },
        enterprise: { kind: "hold", actor: "CUSTOMS" },
        otherEnterprise: { kind: "documentAnchored", actor: "ENT-2" },
        warehouse: { kind: "hold", actor: "CUSTOMS" },
        issuer: { kind: "documentAnchored", actor: "VCCI" },
      });
    } finally {
      for (const subscription of subscriptions) subscription.close();
    }
    const unhold = await submit("CUSTOMS", "OFFICER", { type: "unhold", lot: "LOT-T1B" }, at(6, 12));
    await appendBlock(api.store, [unhold]);
  });
});
