/**
 * The API's protections: query depth, cost, alias and token limits, stable codes on refused queries,
 * masked internal errors, the execution deadline, body size limits, CSRF prevention, CORS, and
 * GraphiQL in development only.
 */
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "graphql";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useExecutionDeadline } from "../../api/hardening.js";
import { startApiServer } from "../../api/server.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { openStore } from "../../indexer/store/open.js";
import { LINGER_MS } from "../../sdk/lingering-close.js";
import { sendLarge } from "../support/large-body.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";

let api: ScenarioApi;
beforeAll(async () => {
  api = await startScenarioApi();
});
afterAll(() => api?.close());

const code = async (query: string) => (await api.query("auditor", query)).errors?.[0]?.extensions?.code;

describe("query limits", () => {
  it("refuses a query nested too deep", async () => {
    let selection = "id";
    for (let level = 0; level < 4; level++) selection = `lineage { nodes { lot { ${selection} } } }`;
    expect(await code(`{ lot(id: "LOT-P1") { ${selection} } }`)).toBe("QUERY_TOO_DEEP");
  });

  it("refuses too many aliases", async () => {
    expect(await code(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: viewer { org }`).join(" ")} }`)).toBe("TOO_MANY_ALIASES");
  });

  it("refuses too many tokens before parsing them all", async () => {
    expect(await code(`{ viewer { ${"org ".repeat(3000)} } }`)).toBe("TOO_MANY_TOKENS");
  });

  it("refuses a query that costs too much", async () => {
    const fields = "kind time block tx actor facility reason flagged payload";
    const events = `edges { node { ${fields} transitions { lotId from to quantity owner custodian location } documents { ${"hash id kind cid issuer version status ".repeat(3)} verdict { verdict hash checks { name outcome reason } } } } }`;
    expect(
      await code(`{ lots(first: 100) { edges { node { history(first: 100) { ${events} } documents { hash verdict { verdict checks { reason } } } } } } }`),
    ).toBe("QUERY_TOO_COSTLY");
  });

  it("gives unknown fields and syntax errors a stable code, and no field suggestions", async () => {
    const { errors } = await api.query("auditor", '{ lot(id: "LOT-P1") { ownr } }');
    expect(errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(errors?.[0]?.message).not.toContain("Did you mean");
    expect(await code("{ lot(id: ")).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("answers TIMEOUT when execution outlives the deadline", async () => {
    let replaced: ((args: unknown) => Promise<unknown>) | undefined;
    useExecutionDeadline(20).onExecute!({ executeFn: () => new Promise(() => {}), setExecuteFn: (fn: any) => (replaced = fn) } as any);
    const result = (await replaced!({ document: parse("{ viewer { org } }") })) as { errors: Array<{ extensions: { code: string } }> };
    expect(result.errors[0]!.extensions.code).toBe("TIMEOUT");
  });
});

describe("errors", () => {
  it("masks internal errors: a stable code, no detail for the client, the detail for the log", async () => {
    const directory = await mkdtemp(join(tmpdir(), "tracegate-broken-"));
    try {
      // A copy of the store that has lost a table: the lineage query fails inside the API.
      await copyFile(await storePath(), join(directory, "broken.sqlite"));
      const store = await openStore(join(directory, "broken.sqlite"));
      await store.db.schema.dropTable("lineage").execute();
      const logged: unknown[] = [];
      const server = await startApiServer({
        store,
        tokens: { keys: api.issuer.jwks, issuer: "tracegate-dev", audience: "tracegate-api" },
        logError: (error) => logged.push(error),
      });
      try {
        const response = await fetch(`${server.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${api.tokens.auditor}` },
          body: JSON.stringify({ query: '{ lot(id: "LOT-P1") { id lineage { withheld } } }' }),
        });
        const body = (await response.json()) as any;
        expect(body.errors).toEqual([
          { message: "internal error", locations: [{ line: 1, column: 26 }], path: ["lot", "lineage"], extensions: { code: "INTERNAL" } },
        ]);
        expect(JSON.stringify(body)).not.toContain("no such table");
        expect(String(logged[0])).toContain("no such table: lineage");
      } finally {
        await server.close();
        await store.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

/** The scenario store's file, with its write-ahead log folded in so that a copy is complete. */
async function storePath(): Promise<string> {
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(api.store.db);
  const [row] = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(api.store.db)).rows;
  return row!.file;
}

describe("HTTP", () => {
  const post = (body: BodyInit, headers: Record<string, string>) =>
    fetch(`${api.server.url}/graphql`, { method: "POST", body, headers: { authorization: `Bearer ${api.tokens.auditor}`, ...headers } });

  it("refuses requests a cross-site page could send without the CSRF header", async () => {
    const form = new FormData();
    form.set("operations", JSON.stringify({ query: "{ viewer { org } }" }));
    form.set("map", "{}");
    const refused = await post(form, {});
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).errors[0].extensions.code).toBe("CSRF_HEADER_MISSING");
    expect((await post(JSON.stringify({ query: "{ viewer { org } }" }), { "content-type": "text/plain" })).status).toBe(403);
    const get = (headers: Record<string, string>) =>
      fetch(`${api.server.url}/graphql?query=${encodeURIComponent("{ viewer { org } }")}`, {
        headers: { authorization: `Bearer ${api.tokens.auditor}`, accept: "application/json", ...headers },
      });
    expect((await get({})).status).toBe(403);
    expect((await get({ [CSRF_HEADER]: "1" })).status).toBe(200);
  });

  it("lets a client still sending a refused body read the refusal: the connection ends, it is not reset", async () => {
    const headers = { authorization: `Bearer ${api.tokens.auditor}` };
    for (const [chunked, status] of [
      [false, 413],
      [true, 411],
    ] as const) {
      const { head, sent, after } = await sendLarge(api.server.url, 150 * 1024 * 1024, { chunked, path: "/graphql", headers, sendOnMs: LINGER_MS / 5 });
      expect(head, `chunked: ${chunked}`).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(sent, `chunked: ${chunked}`).toBeLessThan(32 * 1024 * 1024);
      expect(after, `chunked: ${chunked}`).toBe("ended");
    }
  });

  it("refuses bodies over the limit before reading them, and bodies of unknown length", async () => {
    const big = await post(JSON.stringify({ query: `{ viewer { org } } # ${"x".repeat(70_000)}` }), { "content-type": "application/json" });
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
    const form = new FormData();
    form.set("operations", JSON.stringify({ query: "query ($file: File!) { verifyFile(file: $file) { verdict } }", variables: { file: null } }));
    form.set("map", JSON.stringify({ 0: ["variables.file"] }));
    form.set("0", new Blob([new Uint8Array(11 * 1024 * 1024)]), "large.pdf");
    expect((await post(form, { [CSRF_HEADER]: "1" })).status).toBe(413);
    const chunked = await fetch(`${api.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${api.tokens.auditor}` },
      body: new Blob([JSON.stringify({ query: "{ viewer { org } }" })]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  it("allows cross-origin calls only from the configured origins", async () => {
    const preflight = (url: string, origin: string) =>
      fetch(`${url}/graphql`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
    expect((await preflight(api.server.url, "https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    const portal = await startApiServer({
      store: api.store,
      tokens: { keys: api.issuer.jwks, issuer: "tracegate-dev", audience: "tracegate-api" },
      corsOrigins: ["https://portal.example"],
    });
    try {
      expect((await preflight(portal.url, "https://portal.example")).headers.get("access-control-allow-origin")).toBe("https://portal.example");
      expect((await preflight(portal.url, "https://evil.example")).headers.get("access-control-allow-origin")).not.toBe("https://evil.example");
    } finally {
      await portal.close();
    }
  });

  it("serves GraphiQL in development only", async () => {
    const page = (url: string) => fetch(`${url}/graphql`, { headers: { accept: "text/html" } });
    expect(await (await page(api.server.url)).text()).not.toContain("GraphiQL");
    const development = await startApiServer({
      store: api.store,
      tokens: { keys: api.issuer.jwks, issuer: "tracegate-dev", audience: "tracegate-api" },
      development: true,
    });
    try {
      expect(await (await page(development.url)).text()).toContain("GraphiQL");
    } finally {
      await development.close();
    }
  });

  it("serves the pages with a strict Content-Security-Policy", async () => {
    const response = await fetch(`${api.server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'; script-src 'self'");
    expect((await fetch(`${api.server.url}/../package.json`)).status).toBe(404);
    expect((await fetch(`${api.server.url}/%2e%2e/package.json`)).status).toBe(404);
  });
});
