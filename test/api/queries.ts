/**
 * Every query of the audit API on the seeded scenario (test/api/scenario.ts: domain → EVM contracts →
 * indexer → store), answered as customs sees it, on either engine (queries-*.test.ts). The expected
 * figures are worked out by hand in the scenario's comments; balances are also checked against the
 * domain's reference fold.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, materialBalance, type CustodyEvent, type LedgerEvent } from "../../domain/index.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { PROOF_FILE_FORMAT, PROOF_FILE_VERSION, serializeProofFile, type BatchProofFile } from "../../sdk/anchoring/proof-file.js";
import { at, BALANCE_REPORT_TEXT, BATCH_CONTENTS, iso } from "./scenario.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";
import { appendBlock, type Engine } from "./scenario-store.js";
import { subscribe } from "./sse.js";

let api: ScenarioApi;

export function describeQueries(engine: Engine): void {
  beforeAll(async () => {
    api = await startScenarioApi({}, engine);
  });
  afterAll(() => api?.close());

  /** Runs a query as customs and returns its data, failing on any error. */
  async function audit<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const { data, errors } = await api.query<T>("auditor", query, variables);
    expect(errors).toBeUndefined();
    return data!;
  }

  const hashOf = (id: string) => api.scenario.documents.get(id)!;
  const period = (fromDay: number, toDay: number) => ({ from: iso(at(fromDay, 0)), to: iso(at(toDay, 0)) });
  const HOUR = 3600;

  describe("lot", () => {
    it("answers a lot's state, owner, custodian, location and quantity", async () => {
      const { lot } = await audit(`{ lot(id: "LOT-P1") { id material hsCode unit quantity owner custodian location state direction stageSince } }`);
      expect(lot).toEqual({
        id: "LOT-P1",
        material: "PROD-1",
        hsCode: "62052000",
        unit: "PCE",
        quantity: "400",
        owner: "ENT-1",
        custodian: "CUSTOMS",
        location: "GATE-1",
        state: "EXPORTED",
        direction: "EXPORT",
        stageSince: iso(at(3, 14)),
      });
    });

    it("lists the lot's documents with their verification verdicts", async () => {
      const { lot } = await audit(`{ lot(id: "LOT-F1") { documents { id kind issuer status verdict { verdict checks { name outcome reason } } } } }`);
      const byId = Object.fromEntries(lot.documents.map((document: any) => [document.id, document]));
      expect(Object.keys(byId).sort()).toEqual(["CO-F1", "DECL-LOT-F1", "INSP-F1", "NORM-PROD-1"]);
      expect(byId["CO-F1"]).toMatchObject({ kind: "CO", issuer: "VCCI", status: "VALID", verdict: { verdict: "VALID" } });
      expect(byId["INSP-F1"]).toMatchObject({ kind: "INSPECTION", status: "REVOKED", verdict: { verdict: "INVALID" } });
      const status = byId["INSP-F1"].verdict.checks.find((check: any) => check.name === "STATUS");
      expect(status.outcome).toBe("FAILED");
      expect(status.reason).toContain("recorded against the wrong container");
    });

    it("gives every event of the lot's history in ledger order, with actor, facility, documents and transaction", async () => {
      const query = `query ($after: String) { lot(id: "LOT-F1") { history(first: 6, after: $after) {
        edges { cursor node { kind time actor facility tx block reason flagged documents { id } transitions { lotId from to quantity } } }
        pageInfo { hasNextPage endCursor } totalCount } } }`;
      const first = (await audit(query)).lot.history;
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = (await audit(query, { after: first.pageInfo.endCursor })).lot.history;
      expect(second.pageInfo.hasNextPage).toBe(false);
      const events = [...first.edges, ...second.edges].map((edge: any) => edge.node);
      // The whole history's length, the same on every page.
      expect([first.totalCount, second.totalCount]).toEqual([events.length, events.length]);
      expect(events.map((event: any) => [event.kind, event.actor, event.facility])).toEqual([
        ["declare", "ENT-1", null],
        ["arrive", "CUSTOMS", "GATE-1"],
        ["store", "TERMINAL", "WH-1"],
        ["hold", "CUSTOMS", "WH-1"],
        ["unhold", "CUSTOMS", "WH-1"],
        ["clear", "CUSTOMS", "WH-1"],
        ["release", "CUSTOMS", "WH-1"],
        ["receive", "ENT-1", "FACTORY-ENT-1"],
        ["transform", "ENT-1", "FACTORY-ENT-1"],
        ["transform", "ENT-1", "FACTORY-ENT-1"],
        ["destroy", "CUSTOMS", "FACTORY-ENT-1"],
      ]);
      expect(events.map((event: any) => event.time)).toEqual([...events.map((event: any) => event.time)].sort());
      for (const event of events) expect(event.tx).toMatch(/^0x[0-9a-f]{64}$/);
      expect(events[0].time).toBe(iso(at(0, 8, 3)));
      expect(events[3].reason).toBe("inspection");
      expect(events[5].documents.map((document: any) => document.id)).toEqual(["DECL-LOT-F1", "CO-F1"]);
      expect(events[9].flagged).toBe(true);
      expect(events[10].transitions).toEqual([{ lotId: "LOT-F1", from: "IN_PRODUCTION", to: "DESTROYED", quantity: "100" }]);
    });

    it("pages a lot's history backwards as forwards, each event with its own documents, whichever page read them", async () => {
      const fields = `edges { node { kind tx documents { id status } } } pageInfo { hasPreviousPage startCursor }`;
      const forward = (await audit(`{ lot(id: "LOT-F1") { history(first: 50) { edges { node { kind tx documents { id status } } } } } }`)).lot.history.edges;
      const backward: any[] = [];
      for (let before: string | null = null; ; ) {
        const page: any = (await audit(`query ($before: String) { lot(id: "LOT-F1") { history(last: 4, before: $before) { ${fields} } } }`, { before })).lot
          .history;
        backward.unshift(...page.edges);
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(backward).toEqual(forward);
      expect(forward).toHaveLength(11);
      // The same documents whether read with a history page or by hash alone.
      const alone = await audit(`{ lot(id: "LOT-F1") { documents { id status } } }`);
      const statusOf = Object.fromEntries(alone.lot.documents.map((document: any) => [document.id, document.status]));
      for (const { node } of forward) for (const document of node.documents) expect(document.status).toBe(statusOf[document.id]);
    });

    it("traces lineage up through a transformation and a split back to the border arrivals", async () => {
      const { lot } = await audit(`{ lot(id: "LOT-P1") { lineage(direction: UP) {
        nodes { depth lot { id arrival { kind facility time } } } edges { parent child kind quantity event { kind } } withheld } } }`);
      const nodes = Object.fromEntries(lot.lineage.nodes.map((node: any) => [node.lot.id, node]));
      expect(Object.fromEntries(Object.entries(nodes).map(([id, node]: [string, any]) => [id, node.depth]))).toEqual({
        "LOT-P1": 0,
        "LOT-F1": -1,
        "LOT-T1A": -1,
        "LOT-T1": -2,
      });
      expect(nodes["LOT-F1"].lot.arrival).toEqual({ kind: "arrive", facility: "GATE-1", time: iso(at(0, 10)) });
      expect(nodes["LOT-T1"].lot.arrival).toEqual({ kind: "arrive", facility: "GATE-2", time: iso(at(0, 10, 30)) });
      expect(nodes["LOT-T1A"].lot.arrival).toBeNull();
      expect(lot.lineage.edges).toEqual(
        expect.arrayContaining([
          { parent: "LOT-F1", child: "LOT-P1", kind: "TRANSFORM", quantity: "600", event: { kind: "transform" } },
          { parent: "LOT-T1A", child: "LOT-P1", kind: "TRANSFORM", quantity: "150", event: { kind: "transform" } },
          { parent: "LOT-T1", child: "LOT-T1A", kind: "SPLIT", quantity: "200", event: { kind: "split" } },
        ]),
      );
      expect(lot.lineage.edges).toHaveLength(3);
      expect(lot.lineage.withheld).toBe(0);
    });

    it("follows lineage down to the given depth", async () => {
      const depths = async (depth: number) => {
        const { lot } = await audit(`{ lot(id: "LOT-T1") { lineage(direction: DOWN, depth: ${depth}) { nodes { depth lot { id } } } } }`);
        return Object.fromEntries(lot.lineage.nodes.map((node: any) => [node.lot.id, node.depth]));
      };
      expect(await depths(1)).toEqual({ "LOT-T1": 0, "LOT-T1A": 1, "LOT-T1B": 1 });
      expect(await depths(10)).toEqual({ "LOT-T1": 0, "LOT-T1A": 1, "LOT-T1B": 1, "LOT-P1": 2, "LOT-P2": 2 });
    });
  });

  describe("lots", () => {
    const ids = async (filter: Record<string, unknown>) =>
      (await audit(`query ($filter: LotFilter) { lots(filter: $filter, first: 50) { edges { node { id } } } }`, { filter })).lots.edges.map(
        (edge: any) => edge.node.id,
      );

    it("filters by owner, state, facility, HS code and period", async () => {
      expect(await ids({ owner: "ENT-1" })).toEqual(["LOT-F1", "LOT-P1", "LOT-P2", "LOT-P3", "LOT-T1", "LOT-T1A", "LOT-T1B"]);
      expect(await ids({ state: "IN_WAREHOUSE" })).toEqual(["LOT-T1B", "LOT-X1"]);
      expect(await ids({ facility: "WH-1" })).toEqual(["LOT-T1", "LOT-T1B", "LOT-X1"]);
      expect(await ids({ hsCode: "62052000" })).toEqual(["LOT-P1", "LOT-P2", "LOT-P3"]);
      expect(await ids({ owner: "ENT-1", state: "PRODUCED" })).toEqual(["LOT-P2", "LOT-P3"]);
      expect(await ids({ period: period(3, 4) })).toEqual(["LOT-P1"]);
      expect(await ids({ period: period(2, 3) })).toEqual(["LOT-F1", "LOT-P1", "LOT-P2", "LOT-P3", "LOT-T1A"]);
    });

    it("pages forwards and backwards", async () => {
      const page = async (args: string) => (await audit(`{ lots(${args}) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`)).lots;
      const first = await page("first: 3");
      expect(first.edges.map((edge: any) => edge.node.id)).toEqual(["LOT-F1", "LOT-P1", "LOT-P2"]);
      const next = await page(`first: 3, after: "${first.pageInfo.endCursor}"`);
      expect(next.edges.map((edge: any) => edge.node.id)).toEqual(["LOT-P3", "LOT-T1", "LOT-T1A"]);
      const last = await page("last: 2");
      expect(last.edges.map((edge: any) => edge.node.id)).toEqual(["LOT-T1B", "LOT-X1"]);
    });
  });

  describe("document verification", () => {
    const VERIFY = `query ($hash: String, $proof: String) { verifyDocument(hash: $hash, proof: $proof) {
      verdict hash checks { name outcome reason } anchor { id kind issuer status version current subjects batchRoot batchCount anchoredAt tx } } }`;
    const verify = async (variables: Record<string, unknown>) => (await audit(VERIFY, variables)).verifyDocument;
    const outcomes = (verdict: any) => verdict.checks.map((check: any) => `${check.name} ${check.outcome}`);

    it("verifies an anchored document by its hash", async () => {
      const verdict = await verify({ hash: hashOf("CO-F1") });
      expect(verdict.verdict).toBe("VALID");
      expect(outcomes(verdict)).toEqual(["INTEGRITY PASSED", "STATUS PASSED", "ISSUER PASSED"]);
      expect(verdict.anchor).toMatchObject({
        id: "CO-F1",
        kind: "CO",
        issuer: "VCCI",
        status: "VALID",
        version: 1,
        subjects: ["LOT-F1"],
        anchoredAt: iso(at(1, 8)),
      });
    });

    it("says when a document was revoked, amended, or never anchored", async () => {
      const revoked = await verify({ hash: hashOf("INSP-F1") });
      expect(outcomes(revoked)).toEqual(["INTEGRITY PASSED", "STATUS FAILED", "ISSUER PASSED"]);
      const amended = await verify({ hash: hashOf("MAN-1") });
      expect(amended).toMatchObject({ verdict: "INVALID", anchor: { status: "SUPERSEDED", current: hashOf("MAN-1 v2") } });
      const current = await verify({ hash: hashOf("MAN-1 v2") });
      expect(current).toMatchObject({ verdict: "VALID", anchor: { version: 2 } });
      const unknown = await verify({ hash: documentHash("never anchored") });
      expect(outcomes(unknown)).toEqual(["INTEGRITY FAILED", "STATUS SKIPPED", "ISSUER SKIPPED"]);
      expect(unknown.anchor).toBeNull();
    });

    it("verifies batch members by their proof files, revoked members and altered files included", async () => {
      const { root, hashes, proofs } = api.scenario.batch;
      const proofFile = (member: number): string => {
        const proof: BatchProofFile = {
          format: PROOF_FILE_FORMAT,
          version: PROOF_FILE_VERSION,
          document: { hash: hashes[member]!, kind: "CO", issuer: "VCCI" },
          batch: { root, count: hashes.length, tx: "0x00", block: "0" },
          proof: proofs[member]!,
        };
        return serializeProofFile(proof);
      };
      const valid = await verify({ proof: proofFile(0), hash: documentHash(BATCH_CONTENTS[0]!) });
      expect(valid).toMatchObject({ verdict: "VALID", anchor: { kind: "CO", issuer: "VCCI", batchRoot: root, batchCount: 3 } });
      const revoked = await verify({ proof: proofFile(2) });
      expect(outcomes(revoked)).toEqual(["INTEGRITY PASSED", "STATUS FAILED", "ISSUER PASSED"]);
      expect(revoked.checks[1].reason).toContain("issued in error");
      const altered = await verify({ proof: proofFile(1), hash: documentHash("an altered certificate") });
      expect(outcomes(altered)).toEqual(["INTEGRITY FAILED", "STATUS SKIPPED", "ISSUER SKIPPED"]);
    });

    it("verifies an uploaded file (GraphQL multipart request)", async () => {
      const form = new FormData();
      form.set(
        "operations",
        JSON.stringify({
          query: "query ($file: File!) { verifyFile(file: $file) { verdict checks { name reason } anchor { kind id issuer } } }",
          variables: { file: null },
        }),
      );
      form.set("map", JSON.stringify({ 0: ["variables.file"] }));
      form.set("0", new Blob([BALANCE_REPORT_TEXT]), "balance-report.json");
      const response = await fetch(`${api.server.url}/graphql`, {
        method: "POST",
        headers: { authorization: `Bearer ${api.tokens.auditor}`, [CSRF_HEADER]: "1" },
        body: form,
      });
      const { data, errors } = (await response.json()) as any;
      expect(errors).toBeUndefined();
      expect(data.verifyFile).toMatchObject({ verdict: "VALID", anchor: { kind: "BALANCE_REPORT", id: "BR-2027-01", issuer: "ENT-1" } });
      expect(data.verifyFile.checks[0].reason).toContain("the file's SHA-256 matches");
    });

    it("refuses a malformed hash or proof file", async () => {
      const { errors } = await api.query("auditor", VERIFY, { hash: "0x1234" });
      expect(errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const proof = await api.query("auditor", VERIFY, { proof: `{"format":"${PROOF_FILE_FORMAT}","version":99}` });
      expect(proof.errors?.[0]?.message).toContain("version 99 is not supported");
    });
  });

  describe("material balance and reconciliation", () => {
    const BALANCE = `query ($enterprise: String!, $material: String!, $period: PeriodInput!) {
      materialBalance(enterprise: $enterprise, material: $material, period: $period) { opening received consumed destroyed closing } }`;
    const balance = async (material: string, from: bigint, to: bigint) =>
      (await audit(BALANCE, { enterprise: "ENT-1", material, period: { from: iso(from), to: iso(to) } })).materialBalance;

    it("folds the enterprise's production stock over a period", async () => {
      expect(await balance("FABRIC", at(0, 0), at(5, 0))).toEqual({ opening: "0", received: "1000", consumed: "900", destroyed: "100", closing: "0" });
      expect(await balance("FABRIC", at(2, 0), at(5, 0))).toEqual({ opening: "1000", received: "0", consumed: "900", destroyed: "100", closing: "0" });
      expect(await balance("THREAD", at(0, 0), at(5, 0))).toEqual({ opening: "0", received: "200", consumed: "150", destroyed: "0", closing: "50" });
    });

    it("gives the domain's reference figures for periods that start and end inside a day", async () => {
      const events = api.scenario.steps.map((step) => step.event) as LedgerEvent[];
      for (const [from, to] of [
        [at(1, 12), at(2, 12)],
        [at(1, 14, 15), at(2, 15, 30)],
        [at(2, 10), at(2, 16)],
        [at(0, 5), at(3, 23, 59)],
      ] as const) {
        for (const material of ["FABRIC", "THREAD"]) {
          const expected = materialBalance(events, "ENT-1", material, { from, to });
          expect(await balance(material, from, to), `${material} ${iso(from)}..${iso(to)}`).toEqual({
            opening: expected.opening.toString(),
            received: expected.received.toString(),
            consumed: expected.consumed.toString(),
            destroyed: expected.destroyed.toString(),
            closing: expected.closing.toString(),
          });
        }
      }
    });

    const RECONCILE = `query ($period: PeriodInput!, $report: String) { reconciliation(enterprise: "ENT-1", period: $period, report: $report) {
      enterprise report { accepted problem hash verdict { verdict } }
      rows { material book expected declared consumed consumptionDifference overNormConsumed overNormAllowed stockDifference
        discrepancies { kind amount explanation events(first: 20) { edges { node { kind time } } } } } } }`;

    it("sets book against the norms for what was produced and the declared closing stock of the anchored report, with the events behind each discrepancy", async () => {
      const { reconciliation } = await audit(RECONCILE, { period: period(0, 5), report: BALANCE_REPORT_TEXT });
      expect(reconciliation.report).toEqual({ accepted: true, problem: null, hash: hashOf("BR-2027-01"), verdict: { verdict: "VALID" } });
      const [fabric, thread] = reconciliation.rows;
      const kinds = (discrepancy: any) => discrepancy.events.edges.map((edge: any) => edge.node.kind);
      // 500 shirts allow 630 FABRIC (600 used), 200 allow 252 (300 used): 48 over, which the 30 saved do not offset.
      expect(fabric).toMatchObject({
        material: "FABRIC",
        book: "0",
        declared: "0",
        consumed: "900",
        expected: "882",
        consumptionDifference: "18",
        overNormConsumed: "300",
        overNormAllowed: "252",
        stockDifference: "0",
      });
      expect(fabric.discrepancies.map((d: any) => [d.kind, d.amount, kinds(d)])).toEqual([["CONSUMED_OVER_NORM", "48", ["transform"]]]);
      expect(fabric.discrepancies[0].explanation).toBe(
        "transforms over their norm consumed 300 FABRIC where the norm allows 252 for what they produced (waste included); over the period, 900 consumed against 882 allowed for the products made",
      );
      // The 700 shirts allow 210 THREAD, 150 used (the second batch none: under the norm is no discrepancy);
      // the report declares 10 fewer than the books.
      expect(thread).toMatchObject({
        material: "THREAD",
        book: "50",
        declared: "40",
        consumed: "150",
        expected: "210",
        consumptionDifference: "-60",
        overNormConsumed: "0",
        overNormAllowed: "0",
        stockDifference: "-10",
      });
      expect(thread.discrepancies.map((d: any) => [d.kind, d.amount, kinds(d)])).toEqual([["STOCK_MISMATCH", "-10", ["receive", "transform"]]]);
      expect(thread.discrepancies[0].explanation).toBe("the balance report declares a closing stock of 40 THREAD; the books close at 50");
    });

    it("judges each period by what it produced: a period without the flagged transform shows none, wherever the products were exported", async () => {
      const morning = (await audit(RECONCILE, { period: { from: iso(at(2, 0)), to: iso(at(2, 12)) } })).reconciliation;
      expect(morning.rows.map((row: any) => [row.material, row.consumed, row.expected, row.discrepancies.length])).toEqual([
        ["FABRIC", "600", "630", 0],
        ["THREAD", "150", "150", 0],
      ]);
      const export_ = (await audit(RECONCILE, { period: period(3, 5) })).reconciliation;
      expect(export_.rows.map((row: any) => [row.material, row.consumed, row.expected, row.discrepancies.length])).toEqual([
        ["FABRIC", "0", "0", 0],
        ["THREAD", "0", "0", 0],
      ]);
    });

    it("declares nothing without a report, and refuses a report that is not the anchored one", async () => {
      const without = (await audit(RECONCILE, { period: period(0, 5) })).reconciliation;
      expect(without.report).toBeNull();
      expect(without.rows.map((row: any) => [row.material, row.declared, row.stockDifference])).toEqual([
        ["FABRIC", null, null],
        ["THREAD", null, null],
      ]);
      const tampered = (await audit(RECONCILE, { period: period(0, 5), report: BALANCE_REPORT_TEXT.replace('"40"', '"50"') })).reconciliation;
      expect(tampered.report).toMatchObject({ accepted: false, verdict: { verdict: "INVALID" } });
      expect(tampered.rows[1].declared).toBeNull();
      const otherPeriod = (await audit(RECONCILE, { period: period(0, 4), report: BALANCE_REPORT_TEXT })).reconciliation;
      expect(otherPeriod.report).toMatchObject({ accepted: false, problem: "the report covers another period" });
    });
  });

  describe("dwell times", () => {
    const DWELL = `query ($stage: LotState, $facility: String, $period: PeriodInput) {
      dwellTimes(stage: $stage, facility: $facility, period: $period) { stage facility stays p50 p90 max } }`;

    it("gives p50, p90 and max per stage and facility, slowest first", async () => {
      const { dwellTimes } = await audit(DWELL);
      expect(dwellTimes.slice(0, 3)).toEqual([
        { stage: "IN_PRODUCTION", facility: "FACTORY-ENT-1", stays: 1, p50: 26 * HOUR, p90: 26 * HOUR, max: 26 * HOUR },
        { stage: "PRODUCED", facility: "FACTORY-ENT-1", stays: 1, p50: 23 * HOUR + 60, p90: 23 * HOUR + 60, max: 23 * HOUR + 60 },
        { stage: "IN_WAREHOUSE", facility: "WH-1", stays: 4, p50: 4 * HOUR, p90: 22 * HOUR, max: 22 * HOUR },
      ]);
      const p90s = dwellTimes.map((row: any) => row.p90);
      expect(p90s).toEqual([...p90s].sort((a, b) => b - a));
    });

    it("filters by stage, facility and the period the stays ended in", async () => {
      expect((await audit(DWELL, { stage: "ARRIVED", facility: "GATE-1" })).dwellTimes).toEqual([
        { stage: "ARRIVED", facility: "GATE-1", stays: 3, p50: 3 * HOUR, p90: 4 * HOUR, max: 4 * HOUR },
      ]);
      expect((await audit(DWELL, { stage: "ARRIVED", period: period(0, 1) })).dwellTimes).toEqual([
        { stage: "ARRIVED", facility: "GATE-1", stays: 2, p50: 2 * HOUR, p90: 4 * HOUR, max: 4 * HOUR },
        { stage: "ARRIVED", facility: "GATE-2", stays: 1, p50: HOUR, p90: HOUR, max: HOUR },
      ]);
    });
  });

  describe("audit trail and EPCIS", () => {
    const TRAIL = `query ($filter: EventFilter, $first: Int) { auditTrail(filter: $filter, first: $first) { edges { node { kind actor time } } } }`;
    const trail = async (filter: Record<string, unknown>) => (await audit(TRAIL, { filter, first: 100 })).auditTrail.edges.map((edge: any) => edge.node);

    it("filters the event log by kind, lot, actor, facility and period", async () => {
      expect((await trail({ kinds: ["hold", "unhold"] })).map((event: any) => event.kind)).toEqual(["hold", "unhold"]);
      expect((await trail({ lot: "LOT-X1" })).map((event: any) => event.kind)).toEqual(["declare", "arrive", "store"]);
      expect((await trail({ actor: "VCCI", kinds: ["documentAnchored", "batchAnchored", "batchMemberRevoked"] })).map((event: any) => event.kind)).toEqual([
        "documentAnchored",
        "documentAnchored",
        "batchAnchored",
        "batchMemberRevoked",
      ]);
      expect((await trail({ facility: "GATE-2" })).map((event: any) => event.kind)).toEqual(["facilityRegistered", "arrive"]);
      expect(await trail({ period: period(4, 5) })).toEqual([{ kind: "documentAnchored", actor: "ENT-1", time: iso(at(4, 9)) }]);
    });

    it("finds the transforms the ledger flagged over a period, without knowing their day", async () => {
      expect(await trail({ flagged: true })).toEqual([{ kind: "transform", actor: "ENT-1", time: iso(at(2, 15)) }]);
      expect(await trail({ flagged: true, period: period(0, 2) })).toEqual([]);
      expect((await trail({ flagged: false, kinds: ["transform"] })).map((event: any) => event.time)).toEqual([iso(at(2, 9))]);
      expect((await trail({ flagged: false })).length).toBe((await trail({})).length - 1);
    });

    it("exports custody events as EPCIS 2.0 JSON-LD with the project's own context", async () => {
      const { epcisEvents } = await audit(`{ epcisEvents(filter: { lot: "LOT-F1" }, first: 20) { edges { node { eventId json } } document } }`);
      const events = epcisEvents.edges.map((edge: any) => edge.node.json);
      expect(events.map((event: any) => [event.type, event.bizStep])).toEqual([
        ["ObjectEvent", "tg:declaring"],
        ["ObjectEvent", "arriving"],
        ["ObjectEvent", "storing"],
        ["ObjectEvent", "holding"],
        ["ObjectEvent", "tg:releasing_hold"],
        ["ObjectEvent", "tg:clearing"],
        ["ObjectEvent", "tg:releasing"],
        ["ObjectEvent", "receiving"],
        ["TransformationEvent", "tg:processing"],
        ["TransformationEvent", "tg:processing"],
        ["ObjectEvent", "destroying"],
      ]);
      const [declare, arrive, , , , clear] = events;
      expect(declare).toMatchObject({
        action: "ADD",
        disposition: "tg:declared",
        quantityList: [{ epcClass: "urn:tracegate:lot:LOT-F1", quantity: 1000, uom: "KGM" }],
      });
      // On the facility's clock (Vietnam, +07:00), the same instant as the ledger's.
      expect(arrive).toMatchObject({
        action: "OBSERVE",
        eventTimeZoneOffset: "+07:00",
        readPoint: { id: "urn:tracegate:facility:GATE-1" },
        "tg:actor": "CUSTOMS",
      });
      expect(arrive.eventTime).toMatch(/\+07:00$/);
      expect(new Date(arrive.eventTime).toISOString()).toBe(iso(at(0, 10)));
      expect(arrive.eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      expect(clear.bizTransactionList).toEqual([
        { type: "tg:declaration", bizTransaction: `urn:tracegate:document:${hashOf("DECL-LOT-F1")}` },
        { type: "cert", bizTransaction: `urn:tracegate:document:${hashOf("CO-F1")}` },
      ]);
      expect(events[8]).toMatchObject({
        inputQuantityList: [
          { epcClass: "urn:tracegate:lot:LOT-F1", quantity: 600, uom: "KGM" },
          { epcClass: "urn:tracegate:lot:LOT-T1A", quantity: 150, uom: "KGM" },
        ],
        outputQuantityList: [
          { epcClass: "urn:tracegate:lot:LOT-P1", quantity: 400, uom: "PCE" },
          { epcClass: "urn:tracegate:lot:LOT-P2", quantity: 100, uom: "PCE" },
        ],
      });
      expect(events[10]).toMatchObject({ action: "DELETE", disposition: "destroyed", "tg:reason": "offcuts" });
      const { document } = epcisEvents;
      expect(document).toMatchObject({ type: "EPCISDocument", schemaVersion: "2.0", epcisBody: { eventList: events } });
      expect(document["@context"][0]).toBe("https://ref.gs1.org/standards/epcis/epcis-context.jsonld");
      for (const term of ["tg:declaring", "tg:clearing", "tg:releasing_hold", "tg:declaration", "tg:actor"])
        expect(document["@context"][1]).toHaveProperty([term]);
      const served = (await (await fetch(`${api.server.url}/epcis/context.jsonld`)).json()) as any;
      expect(served["@context"]).toEqual(document["@context"][1]);
    });
  });

  describe("eventAdded", () => {
    it("streams each new event to the callers who may see it, as the indexer stores it", async () => {
      const query = `subscription { eventAdded { kind actor transitions { lotId to } } }`;
      const otherEnterprise = await subscribe(api.server.url, api.tokens.otherEnterprise, query);
      const warehouse = await subscribe(api.server.url, api.tokens.warehouse, query);
      const enterprise = await subscribe(
        api.server.url,
        api.tokens.enterprise,
        `subscription { eventAdded(filter: { kinds: ["declare"] }) { kind transitions { lotId } } }`,
      );
      const flagged = await subscribe(
        api.server.url,
        api.tokens.auditor,
        `subscription { eventAdded(filter: { flagged: true }) { kind flagged transitions { lotId } } }`,
      );
      // Each stream has every event stored once it listens: wait until all four do.
      for (const deadline = Date.now() + 30_000; api.server.subscribers() < 4; ) {
        if (Date.now() > deadline) throw new Error(`${api.server.subscribers()} of 4 subscriptions listen after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const { ledger } = api.scenario;
      const hold = (await ledger.submit({ org: "CUSTOMS", role: "OFFICER" }, { type: "hold", lot: "LOT-X1", reason: "x-ray" }, at(5, 9))) as CustodyEvent;
      await appendBlock(api.store, [hold]);
      const p3 = (await ledger.submit(
        { org: "ENT-1", role: "OPERATOR" },
        {
          type: "split",
          lot: "LOT-P3",
          parts: [
            { lot: "LOT-P3A", quantity: 150n },
            { lot: "LOT-P3B", quantity: 50n },
          ],
        },
        at(5, 10),
      )) as CustodyEvent;
      await appendBlock(api.store, [p3]);
      const declaration = documentHash("scenario document DECL-LOT-P3A");
      const anchored = await ledger.submit(
        { org: "ENT-1", role: "SIGNER" },
        { type: "anchor", hash: declaration, id: "DECL-LOT-P3A", kind: "DECLARATION", cid: "bafy-p3a", subjects: [] },
        at(5, 11),
      );
      const declared = await ledger.submit(
        { org: "ENT-1", role: "OPERATOR" },
        {
          type: "declare",
          lot: "LOT-P3A",
          goods: { material: "PROD-1", hsCode: "62052000", unit: "PCE", quantity: 150n },
          direction: "EXPORT",
          preferenceClaimed: false,
          permitRequired: false,
          declaration,
        },
        at(5, 12),
      );
      await appendBlock(api.store, [anchored, declared]);
      try {
        // ENT-2 owns LOT-X1 and the warehouse holds it: both see the hold; ENT-2 sees nothing of ENT-1's split.
        expect((await otherEnterprise.next()).data.eventAdded).toEqual({ kind: "hold", actor: "CUSTOMS", transitions: [{ lotId: "LOT-X1", to: "HELD" }] });
        expect((await warehouse.next()).data.eventAdded.kind).toBe("hold");
        // ENT-1 asked for declarations only.
        expect((await enterprise.next()).data.eventAdded).toEqual({ kind: "declare", transitions: [{ lotId: "LOT-P3A" }] });
        // Nothing else reached ENT-2: the next event it gets is a later one of its own.
        const release = await ledger.submit({ org: "CUSTOMS", role: "OFFICER" }, { type: "unhold", lot: "LOT-X1" }, at(5, 13));
        await appendBlock(api.store, [release]);
        expect((await otherEnterprise.next()).data.eventAdded.kind).toBe("unhold");
        // The auditor watching flagged events got none of the above; 10 shirts from the 50 THREAD left deviate from the norm.
        const overConsumed = await ledger.submit(
          { org: "ENT-1", role: "OPERATOR" },
          { type: "transform", product: "PROD-1", inputs: [{ lot: "LOT-T1A", quantity: 50n }], outputs: [{ lot: "LOT-P9", quantity: 10n }] },
          at(5, 14),
        );
        await appendBlock(api.store, [overConsumed]);
        expect((await flagged.next()).data.eventAdded).toEqual({ kind: "transform", flagged: true, transitions: [{ lotId: "LOT-P9" }, { lotId: "LOT-T1A" }] });
      } finally {
        for (const subscription of [otherEnterprise, warehouse, enterprise, flagged]) subscription.close();
      }
    });
  });
}
