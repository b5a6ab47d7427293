/**
 * `findings` and its roll-ups through the API, on the findings scenario (test/indexer/findings-scenario.ts):
 * what each kind of caller sees, the filters, paging with counts, and bad input refused with a clear error.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_AUDIENCE, DEV_TOKEN_ISSUER, devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { startApiServer, type ApiServer } from "../../api/server.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import type { Role } from "../../domain/index.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch } from "../../indexer/store/commit.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { findingsScenario, SCENARIO_SETTINGS } from "../indexer/findings-scenario.js";

interface Node {
  id: string;
  kind: string;
  severity: number;
  enterprise: string | null;
  lot: string | null;
  facility: string | null;
  time: string;
}

let store: Store;
let server: ApiServer;
let directory: string;
let mint: (org: string, role: Role) => Promise<string>;

beforeAll(async () => {
  const { organisations, facilities, events } = await findingsScenario();
  directory = await mkdtemp(join(tmpdir(), "tracegate-findings-roles-"));
  store = await openStore(join(directory, "index.sqlite"), { findings: SCENARIO_SETTINGS });
  const time = events[0]!.time - 1n;
  const registry = [
    ...organisations.map(({ id, kind }) => ({ type: "organisationRegistered" as const, id, kind, time })),
    ...facilities.map(({ id, kind, operator }) => ({ type: "facilityRegistered" as const, id, kind, operator, time })),
  ];
  const chain = [...registry, ...events].map((event, i) => ({ block: BigInt(i), index: 0, tx: `0x${i.toString(16).padStart(64, "0")}`, event }));
  const last = BigInt(chain.length - 1);
  await commitBatch(store, await openCheckpoint(store.db, "roles"), { events: chain, to: { number: last, hash: "0xlast" }, headers: [], finalUpTo: last });
  const issuer = await devTokenIssuer();
  server = await startApiServer({ store, tokens: { keys: issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE } });
  mint = (org, role) => issuer.mint(org, role);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await store?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

async function ask(org: string, role: Role, query: string): Promise<{ data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await mint(org, role)}`, [CSRF_HEADER]: "1" },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as never;
}

const FIELDS = "id kind severity enterprise lot facility time";
async function findings(org: string, role: Role, filter = "{}", first = 100): Promise<{ totalCount: number; nodes: Node[] }> {
  const { data, errors } = await ask(org, role, `{ findings(filter: ${filter}, first: ${first}) { totalCount edges { node { ${FIELDS} } } } }`);
  expect(errors).toBeUndefined();
  return { totalCount: data.findings.totalCount, nodes: data.findings.edges.map(({ node }: { node: Node }) => node) };
}

describe("who sees which findings", () => {
  it("a customs auditor sees every finding, most severe first", async () => {
    const { totalCount, nodes } = await findings("CUSTOMS", "AUDITOR");
    expect(totalCount).toBe(11);
    expect(nodes.map(({ severity }) => severity)).toEqual([...nodes.map(({ severity }) => severity)].sort((a, b) => b - a));
  });

  it("an enterprise sees those about its own goods and declarations, never a facility's comparison", async () => {
    const all = (await findings("CUSTOMS", "AUDITOR")).nodes;
    const own = await findings("GARMENT", "OPERATOR");
    expect(own.nodes.map(({ id }) => id).sort()).toEqual(
      all
        .filter(({ enterprise }) => enterprise === "GARMENT")
        .map(({ id }) => id)
        .sort(),
    );
    expect(own.nodes.some(({ kind }) => kind === "SLOW_FACILITY")).toBe(false);
    expect(own.totalCount).toBe(own.nodes.length);
    expect((await findings("ELECTRO", "OPERATOR")).totalCount).toBe(0);
    // Another enterprise's findings stay out of reach by filter too.
    expect((await findings("ELECTRO", "OPERATOR", '{ enterprise: "GARMENT" }')).nodes).toEqual([]);
  });

  it("a warehouse sees the holds and long stays at its facilities of lots in its custody, nothing else", async () => {
    const seen = await findings("TERMINAL", "OPERATOR");
    expect(seen.nodes.length).toBeGreaterThan(0);
    const custody = new Map((await store.db.selectFrom("lots").select(["id", "custodian"]).execute()).map((lot) => [lot.id, lot.custodian]));
    for (const node of seen.nodes) {
      expect(["HOLD", "LONG_STAY"]).toContain(node.kind);
      expect(["GATE-CATLAI", "BONDED-WH"]).toContain(node.facility);
      expect(custody.get(node.lot!)).toBe("TERMINAL");
    }
    expect(seen.nodes.map(({ lot }) => lot)).toContain("HELD-OPEN");
    // Held there once, since released and received by its owner: no longer the warehouse's.
    expect(seen.nodes.map(({ lot }) => lot)).not.toContain("HELD-UNHOLD");
  });

  it("issuers, and customs members who sign rather than audit, see none", async () => {
    for (const [org, role] of [
      ["VCCI", "SIGNER"],
      ["CUSTOMS", "SIGNER"],
    ] as const) {
      expect((await findings(org, role)).totalCount).toBe(0);
      const { data } = await ask(org, role, "{ findingsByEnterprise { key } findingsByDeclaration { key } }");
      expect(data).toEqual({ findingsByEnterprise: [], findingsByDeclaration: [] });
    }
  });
});

describe("filters, pages and roll-ups", () => {
  it("filters by kind, severity, enterprise, lot and ledger time", async () => {
    const all = (await findings("CUSTOMS", "AUDITOR")).nodes;
    expect((await findings("CUSTOMS", "AUDITOR", "{ kinds: [HOLD, SLOW_FACILITY] }")).nodes).toEqual(
      all.filter(({ kind }) => kind === "HOLD" || kind === "SLOW_FACILITY"),
    );
    expect((await findings("CUSTOMS", "AUDITOR", "{ minSeverity: 70 }")).nodes).toEqual(all.filter(({ severity }) => severity >= 70));
    expect((await findings("CUSTOMS", "AUDITOR", "{ minLabel: CRITICAL }")).nodes).toEqual(all.filter(({ severity }) => severity >= 90));
    expect((await findings("CUSTOMS", "AUDITOR", '{ lot: "NEVER" }')).nodes.map(({ kind }) => kind)).toEqual(["RELEASED_NOT_RECEIVED"]);
    const times = all.map(({ time }) => time).sort();
    const middle = times[Math.floor(times.length / 2)]!;
    const from = await findings("CUSTOMS", "AUDITOR", `{ from: "${middle}" }`);
    const to = await findings("CUSTOMS", "AUDITOR", `{ to: "${middle}" }`);
    expect(from.totalCount + to.totalCount).toBe(all.length);
    expect(from.nodes.every(({ time }) => time >= middle) && to.nodes.every(({ time }) => time < middle)).toBe(true);
  });

  it("pages in rank order, each page with the whole count", async () => {
    const all = (await findings("CUSTOMS", "AUDITOR")).nodes;
    const pages: Node[] = [];
    let after: string | null = null;
    for (;;) {
      const { data } = await ask(
        "CUSTOMS",
        "AUDITOR",
        `{ findings(first: 4${after === null ? "" : `, after: ${JSON.stringify(after)}`}) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${FIELDS} } } } }`,
      );
      expect(data.findings.totalCount).toBe(all.length);
      pages.push(...data.findings.edges.map(({ node }: { node: Node }) => node));
      if (!data.findings.pageInfo.hasNextPage) break;
      after = data.findings.pageInfo.endCursor;
    }
    expect(pages).toEqual(all);
  });

  it("rolls up per enterprise and per declaration, most severe first", async () => {
    const { data } = await ask(
      "CUSTOMS",
      "AUDITOR",
      "{ findingsByEnterprise { key count highest highestLabel bySeverity { label count } } findingsByDeclaration { key count highest } }",
    );
    expect(data.findingsByEnterprise).toEqual([{ key: "GARMENT", count: 10, highest: 95, highestLabel: "CRITICAL", bySeverity: expect.any(Array) }]);
    expect(data.findingsByEnterprise[0].bySeverity.reduce((sum: number, { count }: { count: number }) => sum + count, 0)).toBe(10);
    const highest = data.findingsByDeclaration.map(({ highest }: { highest: number }) => highest);
    expect(highest).toEqual([...highest].sort((a, b) => b - a));
    expect(data.findingsByDeclaration.length).toBeGreaterThanOrEqual(2);
  });

  it("refuses a bad filter with a clear error and no data", async () => {
    for (const [filter, message] of [
      ["{ minSeverity: 101 }", "minSeverity must be from 0 to 100, not 101"],
      ['{ from: "2030-01-01T00:00:00Z", to: "2029-01-01T00:00:00Z" }', "from must be before to"],
    ]) {
      const { data, errors } = await ask("CUSTOMS", "AUDITOR", `{ findings(filter: ${filter}, first: 5) { totalCount } }`);
      expect(data?.findings ?? null).toBeNull();
      expect(errors?.[0]).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT" } });
    }
  });
});
