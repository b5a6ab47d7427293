/**
 * The whole schema, as every kind of caller: each root field (and the subscription) asked with every
 * field reachable from it and a spread of arguments (every lot, every document hash, every lot as an
 * event filter …), and the response searched, JSON scalars included, for anything of a lot the caller
 * may not see (test/api/forbidden-values.ts works that out from the store, not through the API); and
 * the caller's lots list holds every lot that model says it may see.
 * Run on both engines: leak-walk.test.ts (SQLite), leak-walk-postgres.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, ROLES_BY_ORG_KIND, type LedgerEvent, type OrgKind, type Role } from "../../domain/index.js";
import { schema } from "../../api/schema/index.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { forbiddenFor, leaksIn, lotRecordsIn, quantitiesIn, type Forbidden } from "./forbidden-values.js";
import { at, BALANCE_REPORT_TEXT, BATCH_CONTENTS, iso } from "./scenario.js";
import { appendBlock } from "./scenario-store.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";
import { addTrips, TRIP } from "./scenario-trip.js";
import type { Engine } from "./scenario-store.js";
import { rootQueries, type ArgumentValues } from "./schema-walk.js";
import { subscribe } from "./sse.js";

/** Under the API's 64 KiB limit on a JSON body (with room for the JSON around the query): the lot walk's ids fill several. */
const MAX_QUERY_BYTES = 60 * 1024;

/** One organisation of each kind with every role its kind can hold, plus a second and a third enterprise. */
export const ORGANISATIONS: Array<[string, OrgKind]> = [
  ["CUSTOMS", "CUSTOMS"],
  ["TERMINAL", "WAREHOUSE"],
  ["VCCI", "ISSUER"],
  ["ENT-1", "ENTERPRISE"],
  ["ENT-2", "ENTERPRISE"],
  ["ENT-3", "ENTERPRISE"],
];
export const CALLERS = ORGANISATIONS.flatMap(([org, kind]) =>
  ROLES_BY_ORG_KIND[kind].map((role) => ({ org, kind, role: role as Role, name: `${org}/${role}` })),
);

/**
 * A second warehouse, registered only for this walk (with a facility of its own): LOT-X3 comes under
 * seal to TERMINAL's WH-1, so TERMINAL must see it and DEPOT nothing of it.
 */
const DEPOT_CALLERS = ROLES_BY_ORG_KIND.WAREHOUSE.map((role) => ({ org: "DEPOT", kind: "WAREHOUSE" as OrgKind, role: role as Role, name: `DEPOT/${role}` }));

const literal = (value: unknown) => JSON.stringify(value);
const PERIOD = `{ from: ${literal(iso(at(0, 0)))}, to: ${literal(iso(at(7, 0)))} }`;

export function describeLeakWalk(engine: Engine): void {
  let api: ScenarioApi;
  let lotIds: string[];
  let hashes: string[];
  const materialsSeen = new Map<string, string[]>();

  beforeAll(async () => {
    // The walk asks far more than any page would: the limits are not what is tested here.
    api = await startScenarioApi({ limits: { maxDepth: 100, maxCost: 1e9, maxAliases: 1_000, maxTokens: 1e6 } }, engine);
    // ENT-2's trips under seal, one with its e-seal track: Lot.trips and its track are walked too.
    await addTrips(api);
    const time = at(5, 18);
    await appendBlock(api.store, [
      { type: "organisationRegistered", id: "DEPOT", kind: "WAREHOUSE", time },
      { type: "facilityRegistered", id: "WH-2", kind: "WAREHOUSE", operator: "DEPOT", time },
    ]);
    lotIds = (await api.store.db.selectFrom("lots").select("id").orderBy("id").execute()).map((row) => row.id);
    hashes = [
      ...(await api.store.db.selectFrom("documents").select("hash").orderBy("hash").execute()).map((row) => row.hash),
      ...BATCH_CONTENTS.map((content) => documentHash(content)),
    ];
  }, 120_000);
  afterAll(() => api?.close());

  /** Sensible arguments for `caller`: every lot and document, its own enterprise's materials, each lot as an event filter. */
  function argumentsFor(caller: (typeof CALLERS)[number]): ArgumentValues {
    return (field, parent) => {
      const first: Record<string, string> = field.args.some((arg) => arg.name === "first") ? { first: "100" } : {};
      if (parent.name !== "Query") return [first];
      switch (field.name) {
        case "lot":
          return [...lotIds, "NO-SUCH-LOT"].map((id) => ({ id: literal(id) }));
        case "verifyDocument":
        case "document":
          return [...hashes, `0x${"ab".repeat(32)}`].map((hash) => ({ hash: literal(hash) }));
        case "verifyFile":
          return [{ file: "$file" }];
        case "materialBalance":
          return ["ENT-1", "ENT-2"].flatMap((enterprise) =>
            [...(materialsSeen.get(caller.name) ?? []), "NO-SUCH-MATERIAL"].map((material) => ({
              enterprise: literal(enterprise),
              material: literal(material),
              period: PERIOD,
            })),
          );
        case "reconciliation":
          return ["ENT-1", "ENT-2"].map((enterprise) => ({ enterprise: literal(enterprise), period: PERIOD, report: literal(BALANCE_REPORT_TEXT) }));
        case "dwellTimes":
          return [{}];
        case "findings":
        case "findingsByEnterprise":
        case "findingsByDeclaration":
          // Findings name lots, enterprises, facilities and documents in their text: every filter that could reach another's.
          return [
            "{}",
            "{ minSeverity: 0 }",
            ...["ENT-1", "ENT-2", "ENT-3"].map((enterprise) => `{ enterprise: ${literal(enterprise)} }`),
            ...lotIds.map((id) => `{ lot: ${literal(id)} }`),
          ].map((filter) => ({ ...first, filter }));
        case "auditTrail":
        case "epcisEvents":
          return ["{}", "{ flagged: true }", ...lotIds.map((id) => `{ lot: ${literal(id)} }`)].map((filter) => ({ ...first, filter }));
        default:
          return [first];
      }
    };
  }

  /** A query's response as text, sent as JSON, or as a multipart request when it uploads a file. */
  async function ask(token: string, query: string): Promise<string> {
    const headers: Record<string, string> = { [CSRF_HEADER]: "1", authorization: `Bearer ${token}` };
    if (!query.includes("$file")) {
      return (
        await fetch(`${api.server.url}/graphql`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ query }),
        })
      ).text();
    }
    const form = new FormData();
    form.set("operations", JSON.stringify({ query, variables: { file: null } }));
    form.set("map", JSON.stringify({ 0: ["variables.file"] }));
    form.set("0", new Blob(["scenario document DECL-LOT-X1"]), "declaration.pdf");
    return (await fetch(`${api.server.url}/graphql`, { method: "POST", headers, body: form })).text();
  }

  /** What is wrong with one response: leaked values, lot records of hidden lots, errors other than refusals. */
  function problemsOf(text: string, forbidden: Forbidden): string[] {
    const body = JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    const unexpected = (body.errors ?? [])
      .filter((error) => !["FORBIDDEN", "BAD_USER_INPUT"].includes(error.extensions?.code ?? ""))
      .map((error) => `error ${error.extensions?.code}: ${error.message}`);
    const records = lotRecordsIn(body.data, forbidden.visible).map((where) => `lot record at ${where}`);
    return [...new Set([...unexpected, ...leaksIn(text, forbidden), ...quantitiesIn(body.data, forbidden), ...records])];
  }

  describe.each([...CALLERS, ...DEPOT_CALLERS])("$name", (caller) => {
    it("sees nothing of lots it may not see, through any field", async () => {
      const forbidden = await forbiddenFor(api.store.db, caller.org, caller.kind, caller.role);
      const materials = await api.store.db
        .selectFrom("lots")
        .select("material")
        .distinct()
        .where("id", "in", [...forbidden.visible, ""])
        .execute();
      materialsSeen.set(
        caller.name,
        materials.map((row) => row.material),
      );
      const token = await api.issuer.mint(caller.org, caller.role);
      const found: string[] = [];
      // A hash (or file) the caller presents for verification is its own to see again: the verdict names it.
      const presented: Forbidden = { ...forbidden, tokens: new Set([...forbidden.tokens].filter((token) => !hashes.includes(token))) };
      for (const { root, query } of rootQueries(schema, "query", argumentsFor(caller), { file: "File!" }, MAX_QUERY_BYTES)) {
        for (const problem of problemsOf(await ask(token, query), root.startsWith("verify") ? presented : forbidden)) found.push(`${root}: ${problem}`);
      }
      expect(found).toEqual([]);
      // Nothing hidden is not enough: the lots list holds every lot the model says it may see.
      const listed = JSON.parse(await ask(token, "{ lots(first: 100) { pageInfo { hasNextPage } edges { node { id } } } }")) as {
        data: { lots: { pageInfo: { hasNextPage: boolean }; edges: Array<{ node: { id: string } }> } };
      };
      expect(listed.data.lots.pageInfo.hasNextPage).toBe(false);
      expect(listed.data.lots.edges.map(({ node }) => node.id).sort()).toEqual([...forbidden.visible].sort());
    }, 60_000);
  });

  it("has a lot under seal for TERMINAL's warehouse that only TERMINAL of the warehouses sees", async () => {
    for (const [org, sees] of [
      ["TERMINAL", true],
      ["DEPOT", false],
    ] as const) {
      expect((await forbiddenFor(api.store.db, org, "WAREHOUSE", "OPERATOR")).visible.has(TRIP.onTheWay.lot)).toBe(sees);
    }
  });

  // Last: it adds events to the store.
  describe("eventAdded", () => {
    it("delivers every caller's events with nothing of lots it may not see, judged as custody is at delivery", async () => {
      const { query } = rootQueries(schema, "subscription", () => [])[0]!;
      const open = await Promise.all(
        CALLERS.map(async (caller) => ({ caller, subscription: await subscribe(api.server.url, await api.issuer.mint(caller.org, caller.role), query) })),
      );
      const { ledger } = api.scenario;
      const submit = (org: string, role: Role, action: Parameters<typeof ledger.submit>[1], minute: number): Promise<LedgerEvent> =>
        ledger.submit({ org, role }, action, at(6, 9, minute));
      // The warehouse splits ENT-1's thread; one part is cleared, released and taken into ENT-1's factory
      // before the feed hands the split out, so the warehouse must see only the part it still holds.
      const permit = api.scenario.documents.get("PERMIT-T1")!;
      await appendBlock(api.store, [
        await submit(
          "TERMINAL",
          "OPERATOR",
          {
            type: "split",
            lot: "LOT-T1B",
            parts: [
              { lot: "LOT-T1C", quantity: 37n },
              { lot: "LOT-T1D", quantity: 63n },
            ],
          },
          0,
        ),
        await submit("CUSTOMS", "OFFICER", { type: "clear", lot: "LOT-T1C", co: null, permit }, 1),
        await submit("CUSTOMS", "OFFICER", { type: "release", lot: "LOT-T1C" }, 2),
        await submit("ENT-1", "OPERATOR", { type: "receive", lot: "LOT-T1C", facility: "FACTORY-ENT-1" }, 3),
      ]);
      // Then each organisation anchors a document of its own: the last event each subscriber waits for (customs last).
      const organisations = ORGANISATIONS.map(([org]) => org)
        .filter((org) => org !== "CUSTOMS")
        .concat("CUSTOMS");
      await appendBlock(
        api.store,
        await Promise.all(
          organisations.map((org, index) => {
            const kind = org === "VCCI" ? "CO" : org === "TERMINAL" ? "MANIFEST" : org === "CUSTOMS" ? "INSPECTION" : "DECLARATION";
            return submit(
              org,
              "SIGNER",
              { type: "anchor", hash: documentHash(`last ${org}`), id: `LAST-${org}`, kind, cid: `bafy-last-${org.toLowerCase()}`, subjects: [] },
              10 + index,
            );
          }),
        ),
      );
      const found: string[] = [];
      try {
        for (const { caller, subscription } of open) {
          const forbidden = await forbiddenFor(api.store.db, caller.org, caller.kind, caller.role);
          for (;;) {
            const message = await subscription.next();
            for (const problem of problemsOf(JSON.stringify(message), forbidden)) found.push(`${caller.name}: ${problem}`);
            const event = message.data?.v0;
            if (event?.kind === "documentAnchored" && event.actor === caller.org) break;
          }
        }
      } finally {
        for (const { subscription } of open) subscription.close();
      }
      expect(found).toEqual([]);
    }, 60_000);
  });
}
