/**
 * What the API discloses beyond the per-lot rule: a verdict on another organisation's document, the
 * schema to an anonymous client in production, and internal failures (never their detail).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_AUDIENCE, DEV_TOKEN_ISSUER } from "../../api/auth/dev-tokens.js";
import { startApiServer } from "../../api/server.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { startScenarioApi, type Caller, type ScenarioApi } from "./scenario-api.js";

const logged: unknown[] = [];
let api: ScenarioApi;
beforeAll(async () => {
  api = await startScenarioApi({ logError: (error) => logged.push(error) });
}, 120_000);
afterAll(() => api?.close());

const VERDICT = `query ($hash: String) { verifyDocument(hash: $hash) { verdict checks { name outcome reason } anchor { id kind issuer status cid subjects anchoredAt tx } } }`;

describe("verifyDocument on a hash", () => {
  const verify = async (caller: Caller, id: string) => (await api.query(caller, VERDICT, { hash: api.scenario.documents.get(id) })).data!.verifyDocument;

  it("tells a caller who may not see the document the verdict, kind, issuer and anchoring, not its id, CID or lots", async () => {
    const verdict = await verify("enterprise", "DECL-LOT-X1");
    expect(verdict).toMatchObject({ verdict: "VALID", anchor: { id: null, cid: null, subjects: [], kind: "DECLARATION", issuer: "ENT-2", status: "VALID" } });
    expect(verdict.anchor.anchoredAt).toMatch(/^2027-01-15T08:06:00/);
    expect(verdict.checks.map((check: any) => [check.name, check.outcome])).toEqual([
      ["INTEGRITY", "PASSED"],
      ["STATUS", "PASSED"],
      ["ISSUER", "PASSED"],
    ]);
    expect(JSON.stringify(verdict)).not.toMatch(/LOT-X1|bafy/i);
    expect(verdict.checks[0].reason).toBe("version 1 of the document is anchored with this SHA-256");
    expect((await verify("issuer", "CO-F1")).anchor).toMatchObject({ id: "CO-F1", subjects: ["LOT-F1"] }); // its own
  });

  it("tells its owner, its issuer and customs everything", async () => {
    for (const caller of ["otherEnterprise", "auditor"] as const) {
      const verdict = await verify(caller, "DECL-LOT-X1");
      expect(verdict.anchor).toMatchObject({ id: "DECL-LOT-X1", cid: "bafy-decl-lot-x1" });
      expect(verdict.checks[0].reason).toContain("DECL-LOT-X1");
    }
    expect((await verify("enterprise", "CO-F1")).anchor).toMatchObject({ id: "CO-F1", subjects: ["LOT-F1"] });
  });

  it("keeps a revocation's reason and names the successor of an amended document", async () => {
    const revoked = await verify("otherEnterprise", "INSP-F1");
    expect(revoked.checks[1]).toMatchObject({ name: "STATUS", outcome: "FAILED" });
    expect(revoked.checks[1].reason).toContain("recorded against the wrong container");
    const amended = await verify("otherEnterprise", "MAN-1");
    expect(amended.checks[1].reason).toContain(api.scenario.documents.get("MAN-1 v2"));
    expect(amended.anchor.id).toBeNull();
  });
});

describe("introspection", () => {
  const INTROSPECT = "{ __schema { queryType { name } } }";

  it("needs a token in production", async () => {
    const anonymous = await api.query(null, INTROSPECT);
    expect(anonymous.errors?.map((error) => error.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(anonymous.data ?? null).toBeNull();
    expect((await api.query(null, `{ __type(name: "Lot") { name } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await api.query("issuer", INTROSPECT)).data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("is open in development", async () => {
    const development = await startApiServer({
      store: api.store,
      tokens: { keys: api.issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE },
      development: true,
    });
    try {
      const response = await fetch(`${development.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", [CSRF_HEADER]: "1" },
        body: JSON.stringify({ query: INTROSPECT }),
      });
      expect(await response.json()).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
    } finally {
      await development.close();
    }
  });
});

// Last: it breaks the store.
describe("an internal failure", () => {
  it("reaches the client as INTERNAL with no detail (SQL, table, path, stack), and the log gets the cause", async () => {
    const ask = async () =>
      (
        await fetch(`${api.server.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", [CSRF_HEADER]: "1", authorization: `Bearer ${api.tokens.auditor}` },
          body: JSON.stringify({ query: `{ lots(first: 1) { edges { node { id } } } }` }),
        })
      ).text();
    // First the query fails (its table is gone), then verifying the token does (the registry is gone).
    await api.store.db.schema.alterTable("lots").renameTo("lots_moved").execute();
    const bodies = [await ask()];
    await api.store.db.schema.alterTable("organisations").renameTo("organisations_moved").execute();
    bodies.push(await ask());
    for (const body of bodies) {
      expect(JSON.parse(body).errors).toEqual([expect.objectContaining({ message: "internal error", extensions: { code: "INTERNAL" } })]);
      expect(body).not.toMatch(/_moved|select|from|sqlite|no such table|\/work|\.ts\b|\bat /i);
    }
    expect(logged.map(String).join("\n")).toMatch(/no such table/);
  });
});
