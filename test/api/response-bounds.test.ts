/**
 * What one response may carry: page sizes count in the query's cost however they are written (in the
 * query or as variables), and no answer is larger than the response limit, whatever the store holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../api/hardening.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";

/** Every list the schema has, at its largest page, nested as far as the cost lets a literal query go. */
const EVENT =
  "kind time block tx actor facility reason flagged payload transitions { lotId from to quantity owner custodian location } documents { hash id kind cid issuer version status verdict { verdict hash checks { name outcome reason } } }";
const MAXIMAL = `query ($n: Int) {
  lots(first: $n) { edges { node { id owner state history(first: $n) { edges { node { ${EVENT} } } } documents { hash verdict { verdict checks { reason } } } } } }
}`;

let api: ScenarioApi;
beforeAll(async () => {
  api = await startScenarioApi();
});
afterAll(() => api?.close());

async function post(target: ScenarioApi, query: string, variables: Record<string, unknown>): Promise<{ bytes: number; body: any }> {
  const response = await fetch(`${target.server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", [CSRF_HEADER]: "1", authorization: `Bearer ${target.tokens.auditor}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { bytes: Buffer.byteLength(text), body: JSON.parse(text) };
}

describe("page sizes", () => {
  it("count in the cost when they are variables, as when they are written in the query", async () => {
    const written = await api.query("auditor", MAXIMAL.replace("query ($n: Int)", "query").replaceAll("$n", "100"));
    expect(written.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COSTLY");
    const variable = await api.query("auditor", MAXIMAL, { n: 100 });
    expect(variable.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COSTLY");
    expect(variable.errors?.[0]?.message).toMatch(/costs more than 50000 with its page sizes \(\$n = 100\)/);
    expect(variable.data ?? null).toBeNull();
    // Small pages are within the cost, written or as variables, and a default page size too.
    const small = await api.query("auditor", MAXIMAL, { n: 2 });
    expect(small.errors).toBeUndefined();
    expect((small.data as any).lots.edges).toHaveLength(2);
    expect((await api.query("auditor", MAXIMAL, {})).errors).toBeUndefined();
  });
});

describe("the response limit", () => {
  it("is documented and holds by default for the largest query the cost allows", async () => {
    expect(DEFAULT_LIMITS.maxResponseBytes).toBe(4 * 1024 * 1024);
    let answered = 0;
    for (let n = 1; n <= 10; n++) {
      const { bytes, body } = await post(api, MAXIMAL, { n });
      if (body.errors?.[0]?.extensions?.code === "QUERY_TOO_COSTLY") continue;
      expect(body.errors).toBeUndefined();
      expect(bytes).toBeLessThanOrEqual(DEFAULT_LIMITS.maxResponseBytes);
      answered += 1;
    }
    expect(answered).toBeGreaterThan(3);
  });

  it("refuses an answer larger than the limit with RESPONSE_TOO_LARGE and sends none of it", async () => {
    const small = await startScenarioApi({ limits: { maxResponseBytes: 4_000 } });
    try {
      const { bytes, body } = await post(small, MAXIMAL, { n: 5 });
      expect(body).toEqual({
        data: null,
        errors: [
          {
            message: expect.stringMatching(/^the answer is \d+ bytes, more than the 4000 one response may carry: ask for less/),
            extensions: { code: "RESPONSE_TOO_LARGE" },
          },
        ],
      });
      expect(bytes).toBeLessThan(4_000);
      // An answer within the limit is sent whole.
      const { body: viewer } = await post(small, "{ viewer { org role } }", {});
      expect(viewer).toEqual({ data: { viewer: { org: "CUSTOMS", role: "AUDITOR" } } });
    } finally {
      await small.close();
    }
  });
});
