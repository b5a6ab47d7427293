/**
 * GET /documents/<hash>/content: a document decrypted on the node for the token's organisation, only
 * when the node holds that organisation's key, only for a caller who may see the document, and only
 * if the bytes are the anchored ones. Every refusal is typed and carries no plaintext.
 */
import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_AUDIENCE, DEV_TOKEN_ISSUER } from "../../api/auth/dev-tokens.js";
import { loadDocumentKeys } from "../../api/document-keys.js";
import { startApiServer, type ApiServer } from "../../api/server.js";
import { startScenarioApi, type Caller, type ScenarioApi } from "./scenario-api.js";
import { scenarioDocuments, SPECIAL, SUBSTITUTED_TEXT, type ScenarioDocuments } from "./scenario-documents.js";

let api: ScenarioApi;
let documents: ScenarioDocuments;
/** The same API over the same store, holding customs' document key only. */
let customsNode: ApiServer;

beforeAll(async () => {
  api = await startScenarioApi();
  documents = await scenarioDocuments(api.scenario);
  await api.server.close();
  const options = { store: api.store, documents: documents.store, tokens: { keys: api.issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE } };
  api.server = await startApiServer({ ...options, documentKeys: await loadDocumentKeys(documents.keysDir, "all") });
  customsNode = await startApiServer({ ...options, documentKeys: await loadDocumentKeys(documents.keysDir, ["CUSTOMS"]) });
}, 120_000);
afterAll(async () => {
  await customsNode?.close();
  await api?.close();
  await documents?.close();
});

const hashOf = (id: string) => api.scenario.documents.get(id)!;

async function get(caller: Caller | null, path: string, init: RequestInit = {}, base = api.server.url) {
  const headers: Record<string, string> = caller === null ? {} : { authorization: `Bearer ${api.tokens[caller]}` };
  const response = await fetch(`${base}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = Buffer.from(bytes).toString("utf8");
  const error =
    response.headers.get("content-type") === "application/json" && bytes.length > 0
      ? (JSON.parse(text) as { error: { code: string; message: string } }).error
      : undefined;
  return { status: response.status, headers: response.headers, bytes, text, error };
}

/** A request whose path is sent exactly as written (fetch would normalise dot segments and escapes). */
function raw(path: string, method = "GET"): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(api.server.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, method, headers: { authorization: `Bearer ${api.tokens.enterprise}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: Buffer.concat(chunks).toString("utf8") }));
    });
    request.on("error", reject);
    request.end();
  });
}

const content = (id: string) => `/documents/${hashOf(id)}/content`;

describe("decrypted on the node that holds the organisation's key", () => {
  it("answers the plaintext as a private attachment that no browser will run", async () => {
    const answer = await get("enterprise", content("CO-F1"));
    expect(answer.status).toBe(200);
    expect(Buffer.from(answer.bytes).equals(Buffer.from(documents.contents.get("CO-F1")!))).toBe(true);
    expect(
      Object.fromEntries(
        ["content-type", "x-content-type-options", "content-disposition", "cache-control", "content-length"].map((name) => [name, answer.headers.get(name)]),
      ),
    ).toEqual({
      "content-type": "application/octet-stream",
      "x-content-type-options": "nosniff",
      "content-disposition": 'attachment; filename="CO-F1"',
      "cache-control": "private, no-store",
      "content-length": String(answer.bytes.length),
    });
    expect(answer.headers.get("content-security-policy")).toContain("sandbox");
  });

  it("accepts the hash in capitals and answers HEAD with the headers alone", async () => {
    const upper = `/documents/0x${hashOf("CO-F1").slice(2).toUpperCase()}/content`;
    expect((await get("enterprise", upper)).status).toBe(200);
    const head = await get("enterprise", content("CO-F1"), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(head.headers.get("content-length")).toBe(String(documents.contents.get("CO-F1")!.length));
  });

  it("decrypts for customs only with customs' key, on a node that holds only that one", async () => {
    const answer = await get("auditor", content("DECL-LOT-F1"), {}, customsNode.url);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("scenario document DECL-LOT-F1");
  });
});

describe("refusals", () => {
  it("tells an organisation whose key the node does not hold to open it in its browser", async () => {
    const answer = await get("enterprise", content("CO-F1"), {}, customsNode.url);
    expect([answer.status, answer.error?.code]).toEqual([403, "KEY_NOT_ON_NODE"]);
    expect(answer.error?.message).toContain("ENT-1.private.pem");
  });

  it("answers 403 NOT_A_RECIPIENT to a caller who may see the document but was not sealed for", async () => {
    const answer = await get("auditor", content(SPECIAL.notForCustoms));
    expect([answer.status, answer.error?.code]).toEqual([403, "NOT_A_RECIPIENT"]);
    expect(answer.error?.message).toBe("VCCI did not share CO-F1 with CUSTOMS: ask VCCI to share it");
  });

  it("answers another organisation's document exactly as one that does not exist", async () => {
    const hidden = await get("otherEnterprise", content("CO-F1"));
    const unknown = await get("otherEnterprise", `/documents/0x${"ab".repeat(32)}/content`);
    expect([hidden.status, hidden.error?.code]).toEqual([404, "NOT_FOUND"]);
    expect(hidden.error?.message.replace(hashOf("CO-F1"), "H")).toBe(unknown.error?.message.replace(`0x${"ab".repeat(32)}`, "H"));
    expect(hidden.text).not.toContain("CO-F1");
    // A warehouse never held LOT-F1's certificate: the same.
    expect((await get("warehouse", content("CO-F1"))).status).toBe(404);
  });

  it("answers 401 without a token or with one it cannot verify", async () => {
    const none = await get(null, content("CO-F1"));
    expect([none.status, none.error?.code, none.headers.get("www-authenticate")]).toEqual([401, "UNAUTHENTICATED", "Bearer"]);
    const forged = await get(null, content("CO-F1"), { headers: { authorization: `Bearer ${api.tokens.enterprise.slice(0, -4)}AAAA` } });
    expect([forged.status, forged.error?.code]).toEqual([401, "UNAUTHENTICATED"]);
    expect((await get(null, content("CO-F1"), { headers: { authorization: "Basic ZW50OjE=" } })).status).toBe(401);
  });

  it("refuses a malformed hash with 400, and any other path under /documents/ with 404", async () => {
    for (const reference of ["0x123", "CO-F1", `0x${"g".repeat(64)}`, `${hashOf("CO-F1")}00`, "%00", "a".repeat(5_000)]) {
      const answer = await get("enterprise", `/documents/${reference}/content`);
      expect([reference.slice(0, 20), answer.status, answer.error?.code]).toEqual([reference.slice(0, 20), 400, "BAD_REQUEST"]);
      expect(answer.text).not.toContain(reference.slice(0, 64));
    }
    for (const path of ["/documents/", `/documents/${hashOf("CO-F1")}`, `/documents/${hashOf("CO-F1")}/content/`, `/documents/${hashOf("CO-F1")}/plaintext`]) {
      expect([path, (await get("enterprise", path)).status]).toEqual([path, 404]);
    }
  });

  it("gives nothing for path tricks, sent unnormalised", async () => {
    const hash = hashOf("CO-F1");
    const plaintext = "scenario document CO-F1";
    for (const path of [
      `/documents/${hash}%2fcontent`,
      `/documents/..%2f..%2fipfs%2fbafy-co-f1/content`,
      `/documents/%2e%2e/content`,
      `/documents/${hash}/content%00`,
      `/documents//${hash}/content`,
    ]) {
      const answer = await raw(path);
      expect([path, answer.status < 500, answer.body.includes(plaintext)]).toEqual([path, true, false]);
    }
    // A dot segment resolves like any URL: to the same document, under the same checks.
    expect((await raw(`/documents/x/../${hash}/content`)).status).toBe(200);
    // An address longer than the server reads is refused before any of this runs.
    expect((await raw(`/documents/${"a".repeat(20_000)}/content`)).status).toBe(431);
  });

  it("answers 405 to anything but GET and HEAD", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const answer = await get("enterprise", content("CO-F1"), { method });
      expect([method, answer.status, answer.headers.get("allow")]).toEqual([method, 405, "GET, HEAD"]);
      expect(answer.text).not.toContain("scenario document");
    }
  });

  it("never answers bytes that are not the anchored document", async () => {
    const tampered = await get("enterprise", content(SPECIAL.tampered));
    expect([tampered.status, tampered.error?.code]).toEqual([502, "DECRYPTION_FAILED"]);
    const substituted = await get("enterprise", content(SPECIAL.substituted));
    expect([substituted.status, substituted.error?.code]).toEqual([502, "INTEGRITY"]);
    expect(substituted.text).not.toContain(SUBSTITUTED_TEXT);
    const missing = await get("enterprise", content(SPECIAL.missing));
    expect([missing.status, missing.error?.code]).toEqual([404, "NOT_STORED"]);
  });
});

describe("the node's key set", () => {
  it("holds every ORG.private.pem of the directory, or exactly those listed", async () => {
    expect((await loadDocumentKeys(documents.keysDir, "all")).orgs).toEqual(["CUSTOMS", "ENT-1", "ENT-2", "TERMINAL", "VCCI"]);
    const some = await loadDocumentKeys(documents.keysDir, ["VCCI", "CUSTOMS"]);
    expect([some.orgs, some.privateKey("ENT-1")]).toEqual([["CUSTOMS", "VCCI"], undefined]);
    expect((await loadDocumentKeys(join(documents.keysDir, "absent"), "all")).orgs).toEqual([]);
  });

  it("refuses to start on a listed organisation without a key, or a file that is no X25519 key", async () => {
    await expect(loadDocumentKeys(documents.keysDir, ["NOBODY"])).rejects.toThrow(/no private document key for NOBODY: .*NOBODY\.private\.pem/);
    await writeFile(join(documents.keysDir, "EDWARDS.private.pem"), generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }));
    await expect(loadDocumentKeys(documents.keysDir, ["EDWARDS"])).rejects.toThrow(/EDWARDS\.private\.pem is not an X25519 private key/);
  });
});
