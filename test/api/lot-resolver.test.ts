/**
 * The lot resolver (/lot/<id>, GS1 Digital Link conventions): the linkset per role, the redirect a
 * browser gets, and, for each setting of TRACEGATE_RESOLVER_PUBLIC, that no answer to an anonymous
 * scanner carries what the setting withholds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_AUDIENCE, DEV_TOKEN_ISSUER } from "../../api/auth/dev-tokens.js";
import type { PublicLotPart } from "../../api/lot-resolver.js";
import { startApiServer, type ApiServer } from "../../api/server.js";
import { readApiSettings } from "../../api/settings.js";
import { SettingsReader } from "../../sdk/settings/reader.js";
import { launchChromium, openSignedIn, screenshot, type Browser } from "./chromium.js";
import { startScenarioApi, type Caller, type ScenarioApi } from "./scenario-api.js";

const GS1 = "https://gs1.org/voc/";
const LINKSET = "application/linkset+json";
const ALL_LOTS = ["LOT-F1", "LOT-P1", "LOT-P2", "LOT-P3", "LOT-T1", "LOT-T1A", "LOT-T1B", "LOT-X1"];

let api: ScenarioApi;
let servers: Record<PublicLotPart, ApiServer>;
let browser: Browser;

beforeAll(async () => {
  api = await startScenarioApi();
  const start = (publicLotPart: PublicLotPart) =>
    startApiServer({ store: api.store, tokens: { keys: api.issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE }, publicLotPart });
  servers = { none: api.server, exists: await start("exists"), state: await start("state") };
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await servers?.exists.close();
  await servers?.state.close();
  await api?.close();
});

async function resolve(path: string, options: { as?: Caller | null; part?: PublicLotPart; accept?: string } = {}) {
  const token = options.as ? api.tokens[options.as] : undefined;
  const response = await fetch(`${servers[options.part ?? "none"].url}${path}`, {
    redirect: "manual",
    headers: { accept: options.accept ?? LINKSET, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await response.text();
  return { status: response.status, text, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}

/** The linkset's one context object (RFC 9264: {"linkset": [{anchor, <relation>: [links]}]}). */
const links = (body: any) => body.linkset[0] as Record<string, any>;

/** What a lot's auditor view knows, to look for in answers that must not carry it. */
async function secretsOf(lot: string): Promise<string[]> {
  const { data } = await api.query("auditor", `query ($id: String!) { lot(id: $id) { owner quantity documents { hash id } } }`, { id: lot });
  const found = data!.lot;
  return [
    found.owner,
    `"${found.quantity}"`,
    ...found.documents.flatMap((document: { hash: string; id: string }) => [document.hash, document.id]),
    "/epcis/",
    "/verify.html",
    "quantity",
  ];
}

describe("the lot resolver per role", () => {
  it("gives whoever may see the lot its trace page, EPCIS events and documents' verdicts", async () => {
    const { status, headers, body } = await resolve("/lot/LOT-F1", { as: "auditor" });
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe(LINKSET);
    expect(headers.get("vary")).toBe("Accept, Authorization");
    const set = links(body);
    expect(set.anchor).toBe("/lot/LOT-F1");
    expect(set[`${GS1}defaultLink`]).toEqual([{ href: "/lot.html?id=LOT-F1", title: "Trace of lot LOT-F1", type: "text/html" }]);
    expect(set[`${GS1}epcis`][0].href).toBe(`/epcis/events?MATCH_anyEPCClass=${encodeURIComponent("urn:tracegate:lot:LOT-F1")}`);
    const verdicts = set[`${GS1}certificationInfo`].map((link: { title: string }) => link.title);
    expect(verdicts).toEqual(expect.arrayContaining(["CO CO-F1: VALID", "INSPECTION INSP-F1: REVOKED"]));
    for (const link of set[`${GS1}certificationInfo`]) expect(link.href).toMatch(/^\/verify\.html\?hash=0x[0-9a-f]{64}$/);

    const owner = links((await resolve("/lot/LOT-F1", { as: "enterprise" })).body);
    expect(owner[`${GS1}traceability`]).toHaveLength(2);
    // The events query answers the same caller with the lot's events.
    const events = await fetch(`${api.server.url}${owner[`${GS1}epcis`][0].href}`, { headers: { authorization: `Bearer ${api.tokens.enterprise}` } });
    expect(((await events.json()) as any).epcisBody.queryResults.resultsBody.eventList.length).toBeGreaterThan(0);
  });

  it("gives a signed-in caller who may not see the lot only the public part, like an anonymous scanner", async () => {
    for (const caller of ["otherEnterprise", "issuer", "warehouse"] as const) {
      const answer = await resolve("/lot/LOT-F1", { as: caller });
      expect(links(answer.body), caller).toEqual({
        anchor: "/lot/LOT-F1",
        [`${GS1}defaultLink`]: [{ href: "/lot-scan.html?id=LOT-F1", title: "Lot LOT-F1", type: "text/html" }],
      });
      for (const secret of await secretsOf("LOT-F1")) expect(answer.text, `${caller}: ${secret}`).not.toContain(secret);
    }
  });

  it("redirects a browser to the page the caller may see, with the linkset named in a Link header", async () => {
    const seen = await resolve("/lot/LOT-F1", { as: "enterprise", accept: "text/html" });
    expect(seen.status).toBe(307);
    expect(seen.headers.get("location")).toBe("/lot.html?id=LOT-F1");
    expect(seen.headers.get("link")).toBe(`</lot/LOT-F1?linkType=all>; rel="linkset"; type="${LINKSET}"`);
    expect((await resolve("/lot/LOT-F1", { accept: "text/html" })).headers.get("location")).toBe("/lot-scan.html?id=LOT-F1");
    expect((await resolve("/lot/LOT-F1?linkType=gs1:epcis", { as: "auditor", accept: "text/html" })).headers.get("location")).toMatch(/^\/epcis\/events\?/);
    expect((await resolve("/lot/LOT-F1?linkType=gs1:epcis", { accept: "text/html" })).status).toBe(404);
    expect(links((await resolve("/lot/LOT-F1?linkType=all", { as: "auditor", accept: "text/html" })).body)[`${GS1}epcis`]).toHaveLength(1);
  });
});

describe("what an anonymous scanner learns, per TRACEGATE_RESOLVER_PUBLIC", () => {
  it("none (the default): every id answers alike, existing or not, and nothing about the lot", async () => {
    const unknown = await resolve("/lot/NO-SUCH-LOT");
    expect(unknown.status).toBe(200);
    for (const lot of ALL_LOTS) {
      const answer = await resolve(`/lot/${lot}`);
      expect(answer.text.replaceAll(lot, "ID")).toBe(unknown.text.replaceAll("NO-SUCH-LOT", "ID"));
      for (const secret of [...(await secretsOf(lot)), "tracegate-", "IN_WAREHOUSE", "RELEASED"]) expect(answer.text).not.toContain(secret);
    }
  });

  it("exists: that the lot exists (404 for an unknown one), not its state, custodian, quantities or documents", async () => {
    expect((await resolve("/lot/NO-SUCH-LOT", { part: "exists" })).status).toBe(404);
    for (const lot of ALL_LOTS) {
      const answer = await resolve(`/lot/${lot}`, { part: "exists" });
      expect(links(answer.body)[`${GS1}defaultLink`]).toEqual([
        { href: `/lot-scan.html?id=${lot}`, title: `Lot ${lot}`, type: "text/html", "tracegate-exists": ["true"] },
      ]);
      for (const secret of [...(await secretsOf(lot)), "tracegate-state", "tracegate-custodian"]) expect(answer.text).not.toContain(secret);
    }
  });

  it("state: also its state now and its custodian organisation, and still no quantities, owner or documents", async () => {
    for (const lot of ALL_LOTS) {
      const { data } = await api.query("auditor", `query ($id: String!) { lot(id: $id) { state custodian owner } }`, { id: lot });
      const answer = await resolve(`/lot/${lot}`, { part: "state" });
      const [link] = links(answer.body)[`${GS1}defaultLink`];
      expect(link).toEqual({
        href: `/lot-scan.html?id=${lot}`,
        title: `Lot ${lot}`,
        type: "text/html",
        "tracegate-exists": ["true"],
        "tracegate-state": [data!.lot.state],
        "tracegate-custodian": [data!.lot.custodian],
      });
      const secrets = (await secretsOf(lot)).filter((secret) => secret !== data!.lot.custodian);
      for (const secret of secrets) expect(answer.text, `${lot}: ${secret}`).not.toContain(secret);
    }
  });

  it("is read by npm start and npm run api alike; a value that is none of these is a problem that stops them", () => {
    const read = (env: Record<string, string>, command: "start" | "api" = "api") => {
      const reader = new SettingsReader(command, env);
      return { part: readApiSettings(reader, "/tmp/home", "/tmp").publicLotPart, problems: reader.problems };
    };
    expect(read({})).toEqual({ part: "none", problems: [] });
    expect(read({ TRACEGATE_RESOLVER_PUBLIC: "state" }, "start")).toEqual({ part: "state", problems: [] });
    expect(read({ TRACEGATE_RESOLVER_PUBLIC: "everything" }).problems).toEqual(['TRACEGATE_RESOLVER_PUBLIC must be none, exists, state, not "everything"']);
  });
});

describe("the resolver refuses what is not a lot's path, with a typed error", () => {
  it("malformed ids, other methods, tokens that do not verify", async () => {
    const code = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${api.server.url}${path}`, { ...init, redirect: "manual" });
      return `${response.status} ${((await response.json()) as { error: { code: string } }).error.code}`;
    };
    expect(await code("/lot/")).toBe("400 BAD_REQUEST");
    expect(await code("/lot/%E0%A4%A")).toBe("400 BAD_REQUEST");
    expect(await code(`/lot/${"L".repeat(32)}`)).toBe("400 BAD_REQUEST");
    expect(await code("/lot/a%20b")).toBe("400 BAD_REQUEST");
    // A path trick is only an id no lot has: nothing is read from disk, and it goes back out encoded.
    const trick = await fetch(`${api.server.url}/lot/..%2F..%2Fetc%2Fpasswd`, { redirect: "manual" });
    expect([trick.status, trick.headers.get("location")]).toEqual([307, "/lot-scan.html?id=..%2F..%2Fetc%2Fpasswd"]);
    expect(await code("/lot/LOT-F1", { method: "POST" })).toBe("405 METHOD_NOT_ALLOWED");
    expect(await code("/lot/LOT-F1", { headers: { authorization: "Bearer forged" } })).toBe("401 UNAUTHENTICATED");
  });
});

describe("a scanned lot label in Chromium", () => {
  it("shows an anonymous scanner the public part, and takes a signed-in owner to the lot's trace", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${servers.state.url}/lot/LOT-F1`);
    await page.waitForSelector("#verdict");
    expect(page.url()).toBe(`${servers.state.url}/lot-scan.html?id=LOT-F1`);
    const { data } = await api.query("auditor", `{ lot(id: "LOT-F1") { state custodian } }`);
    expect(await page.textContent("#state")).toBe(data!.lot.state);
    expect(await page.textContent("#custodian")).toBe(data!.lot.custodian);
    await screenshot(page, "lot-scan-public");
    await page.goto(`${api.server.url}/lot/LOT-F1`);
    await page.waitForSelector("#verdict");
    expect(await page.textContent("#lot")).toContain("This node tells only those who may see a lot anything about it.");
    await screenshot(page, "lot-scan-none");
    await page.close();

    const problems: string[] = [];
    const owner = await openSignedIn(browser, api.server.url, api.tokens.enterprise, "/lot/LOT-F1", problems);
    await owner.waitForURL(/\/lot\.html\?id=LOT-F1$/);
    await owner.waitForSelector("ol.timeline > li");
    expect(problems).toEqual([]);
    await owner.close();
  });
});
