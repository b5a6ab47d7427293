/**
 * Verification links: the QR codes decode back to the link, /verdicts answers anyone who scans one with
 * the verdict and nothing more (signed-in callers by their role), and the verdict page opened from a
 * scanned link in Chromium shows VALID, REVOKED and unknown documents without a sign-in.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, type Hash } from "../../domain/index.js";
import { linkBase, verificationCodes, verificationLink, VerificationLinkError } from "../../sdk/anchoring/verification-link.js";
import { decodeQrPng } from "../support/qr.js";
import { closeScenarioPages, openSignedIn, screenshot, startScenarioPages, type Browser } from "./chromium.js";
import { BATCH_CONTENTS } from "./scenario.js";
import type { Caller, ScenarioApi } from "./scenario-api.js";

let api: ScenarioApi;
let browser: Browser;
const problems: string[] = [];
const UNKNOWN = documentHash("a document nobody anchored");

beforeAll(async () => ({ api, browser } = await startScenarioPages()));
afterAll(() => closeScenarioPages(api, browser));

const hashOf = (id: string) => api.scenario.documents.get(id)!;

async function verdict(path: string, caller: Caller | null | { token: string } = null) {
  const token = caller === null ? undefined : typeof caller === "string" ? api.tokens[caller] : caller.token;
  const response = await fetch(`${api.server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text), headers: response.headers };
}

describe("verification links and their codes", () => {
  it("carry only the document's hash (and a batch member's root and path), and decode back to the same link", async () => {
    const hash = documentHash("a certificate");
    const link = verificationLink("https://tracegate.example/", { hash });
    expect(link).toBe(`https://tracegate.example/verify.html?hash=${hash}`);
    const { png, svg } = await verificationCodes(link);
    expect(decodeQrPng(png)).toBe(link);
    expect(svg).toMatch(/^<svg [^>]*viewBox/);

    const batch = { root: documentHash("root") as Hash, proof: [documentHash("a"), documentHash("b")] as Hash[] };
    const member = verificationLink("https://tracegate.example/base", { hash, batch });
    expect(member).toBe(`https://tracegate.example/base/verify.html?hash=${hash}&batch=${batch.root}&proof=${batch.proof.join(",")}`);
    expect(decodeQrPng((await verificationCodes(member)).png)).toBe(member);
  });

  it("refuse a base a scanner could not open, or one that would carry more than the hash", () => {
    for (const base of [
      "javascript:alert(1)",
      "ftp://node.example",
      "https://node.example/?secret=1",
      "https://user:pw@node.example",
      "https://node.example/#x",
      "not a url",
    ]) {
      expect(() => linkBase(base), base).toThrow(VerificationLinkError);
    }
    expect(() => verificationLink("https://node.example", { hash: "0x1234" as Hash })).toThrow();
  });
});

describe("GET /verdicts/<hash> for anyone who scans a link", () => {
  it("tells an anonymous scanner the verdict of a VALID document, and nothing that names it or its lots", async () => {
    const { status, body, text, headers } = await verdict(`/verdicts/${hashOf("CO-F1")}`);
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body.verdict).toBe("VALID");
    expect(body.checks.map((check: { name: string; outcome: string }) => `${check.name} ${check.outcome}`)).toEqual([
      "INTEGRITY PASSED",
      "STATUS PASSED",
      "ISSUER PASSED",
    ]);
    expect(body.anchor).toMatchObject({ kind: "CO", issuer: "VCCI", status: "VALID", subjects: [] });
    expect(body.anchor.anchoredAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(body.anchor).not.toHaveProperty("id");
    expect(body.anchor).not.toHaveProperty("cid");
    for (const secret of ["CO-F1", "LOT-F1", "bafy-"]) expect(text).not.toContain(secret);
  });

  it("tells an anonymous scanner a REVOKED document is revoked, and an unknown hash that nothing is anchored", async () => {
    const revoked = await verdict(`/verdicts/${hashOf("INSP-F1")}`);
    expect(revoked.body.verdict).toBe("INVALID");
    expect(revoked.body.anchor.status).toBe("REVOKED");
    expect(revoked.body.checks[1]).toMatchObject({ name: "STATUS", outcome: "FAILED", reason: expect.stringContaining("REVOKED by CUSTOMS") });
    for (const secret of ["INSP-F1", "LOT-F1", "bafy-"]) expect(revoked.text).not.toContain(secret);

    const unknown = await verdict(`/verdicts/${UNKNOWN.toUpperCase().replace("0X", "0x")}`);
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ verdict: "INVALID", hash: UNKNOWN });
    expect(unknown.body.anchor).toBeUndefined();
    expect(unknown.body.checks[0]).toMatchObject({ name: "INTEGRITY", outcome: "FAILED" });
  });

  it("verifies a batch member by the root and path its link carries: valid, revoked, or a path that leads nowhere", async () => {
    const { root, hashes, proofs } = api.scenario.batch;
    // The page asks /verdicts with what its link carried.
    const link = (index: number, proof = proofs[index]!) =>
      `/verdicts/${hashes[index]}${new URL(verificationLink("http://x", { hash: hashes[index]!, batch: { root, proof } })).search.replace(/hash=[^&]*&/, "")}`;
    const valid = await verdict(link(0));
    expect(valid.body).toMatchObject({ verdict: "VALID", anchor: { kind: "CO", issuer: "VCCI", batch: { root, count: 3 } } });
    expect((await verdict(link(2))).body).toMatchObject({ verdict: "INVALID", anchor: { status: "REVOKED" } });
    const wrong = await verdict(link(0, proofs[1]!));
    expect(wrong.body.verdict).toBe("INVALID");
    expect(wrong.body.checks[0].reason).toContain("does not lead");
  });

  it("follows the role rules for a signed-in caller: customs sees the document, another enterprise only the verdict", async () => {
    const auditor = await verdict(`/verdicts/${hashOf("CO-F1")}`, "auditor");
    expect(auditor.body.anchor).toMatchObject({ id: "CO-F1", subjects: ["LOT-F1"], cid: "bafy-co-f1" });
    const other = await verdict(`/verdicts/${hashOf("CO-F1")}`, "otherEnterprise");
    expect(other.body.anchor.id).toBeUndefined();
    expect(other.text).not.toContain("LOT-F1");
  });

  it("refuses malformed names, other methods and a token that does not verify, with a typed error", async () => {
    const hash = hashOf("CO-F1");
    const refused = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${api.server.url}${path}`, init);
      return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code };
    };
    expect(await refused("/verdicts/CO-F1")).toEqual({ status: 400, code: "BAD_REQUEST" });
    expect(await refused("/verdicts/..%2F..%2Fetc%2Fpasswd")).toEqual({ status: 400, code: "BAD_REQUEST" });
    expect(await refused(`/verdicts/${hash}?batch=${hash}`)).toEqual({ status: 400, code: "BAD_REQUEST" });
    expect(await refused(`/verdicts/${hash}?batch=${hash}&proof=0x12`)).toEqual({ status: 400, code: "BAD_REQUEST" });
    expect(await refused(`/verdicts/${hash}?batch=${hash}&proof=${Array(65).fill(hash).join(",")}`)).toEqual({ status: 400, code: "BAD_REQUEST" });
    expect(await refused(`/verdicts/${hash}`, { method: "POST" })).toEqual({ status: 405, code: "METHOD_NOT_ALLOWED" });
    expect(await refused(`/verdicts/${hash}`, { headers: { authorization: "Bearer not-a-token" } })).toEqual({ status: 401, code: "UNAUTHENTICATED" });
    expect((await fetch(`${api.server.url}/verdicts/${hash}/content`)).status).toBe(404);
  });

  it("opens nothing else to an anonymous caller: the document itself stays behind a token", async () => {
    const { errors } = await api.query(null, `query ($hash: String!) { document(hash: $hash) { id } }`, { hash: hashOf("CO-F1") });
    expect(errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await fetch(`${api.server.url}/documents/${hashOf("CO-F1")}/content`)).status).toBe(401);
  });
});

describe("the verdict page opened from a scanned code, in Chromium, without sign-in", () => {
  /** The link a code carries, scanned from its PNG and rebased on the test server. */
  async function scanned(hash: Hash, batch?: { root: Hash; proof: Hash[] }): Promise<string> {
    const { png } = await verificationCodes(verificationLink(api.server.url, { hash, ...(batch ? { batch } : {}) }));
    return decodeQrPng(png);
  }

  async function openLink(link: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`${link}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`${link}: ${error.message}`));
    await page.goto(link);
    await page.waitForSelector("p.verdict .badge");
    return page;
  }

  const checks = (page: Page) => page.locator("li[data-check]").allTextContents();

  it("shows a VALID document's verdict, its issuer and when it was anchored, and checks a dropped file against the link", async () => {
    const page = await openLink(await scanned(hashOf("PERMIT-T1")));
    expect(await page.textContent("p.verdict")).toContain("VALID");
    expect(await page.isVisible("#signed-out")).toBe(true);
    expect(await checks(page)).toEqual([
      expect.stringContaining("INTEGRITY PASSED"),
      expect.stringContaining("STATUS PASSED"),
      expect.stringContaining("ISSUER PASSED"),
    ]);
    const facts = await page.textContent("dl.facts");
    expect(facts).toContain("VCCI");
    expect(facts).toMatch(/Anchored\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(facts).toContain("id not disclosed to you");
    expect(facts).toContain("Lots concernednot disclosed to you");
    expect(await page.content()).not.toContain("LOT-T1");
    await screenshot(page, "verify-link-valid");
    // The holder of the file drops it: hashed in the page, compared with the link.
    await page.setInputFiles("#files", { name: "permit.txt", mimeType: "text/plain", buffer: Buffer.from("scenario document PERMIT-T1") });
    await page.waitForSelector("#match.ok");
    // Another anchored file (as a stamped copy is: it carries its original's link) is told apart, not called altered.
    await page.setInputFiles("#files", { name: "stamped-copy.txt", mimeType: "text/plain", buffer: Buffer.from("scenario document CO-F1") });
    await page.waitForSelector("#match.note");
    expect(await page.textContent("p.verdict")).toContain("VALID");
    await page.setInputFiles("#files", { name: "permit-altered.txt", mimeType: "text/plain", buffer: Buffer.from("scenario document PERMIT-T2") });
    await page.waitForSelector("#match.bad");
    expect(await page.textContent("p.verdict")).toContain("INVALID");
    expect(await page.textContent("#result")).not.toContain("null");
    await screenshot(page, "verify-link-wrong-file");
    await page.close();
  });

  it("shows a REVOKED document as revoked, with when and why", async () => {
    const page = await openLink(await scanned(hashOf("INSP-F1")));
    expect(await page.textContent("p.verdict")).toContain("INVALID");
    expect(await page.textContent("li[data-check='STATUS']")).toContain("REVOKED by CUSTOMS on");
    expect(await page.textContent("dl.facts")).toContain("REVOKED");
    await screenshot(page, "verify-link-revoked");
    // Scanned with a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "verify-link-phone");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });

  it("shows a signed-in customs auditor what its role may see: the document's id, lots and page", async () => {
    const page = await openSignedIn(
      browser,
      api.server.url,
      api.tokens.auditor,
      new URL(await scanned(hashOf("INSP-F1"))).pathname + new URL(await scanned(hashOf("INSP-F1"))).search,
      problems,
    );
    await page.waitForSelector("#document-page");
    expect(await page.isVisible("#signed-out")).toBe(false);
    expect(await page.textContent("dl.facts")).toContain("LOT-F1");
    await page.close();
  });

  it("is offered on a document's page, and opens the verdict the caller's role may see", async () => {
    const page = await openSignedIn(browser, api.server.url, api.tokens.issuer, `/document.html?hash=${hashOf("CO-F1")}`, problems);
    await page.waitForSelector("#verification-link");
    expect(await page.textContent("#verification-link")).toBe(`${api.server.url}/verify.html?hash=${hashOf("CO-F1")}`);
    await page.click("#verification-link");
    await page.waitForSelector("p.verdict .badge");
    expect(await page.textContent("p.verdict")).toContain("VALID");
    // The issuer sees its own document: its id and its page.
    expect(await page.textContent("#document-page")).toBe("open CO-F1");
    await page.close();
  });

  it("says an unknown document is not anchored", async () => {
    const page = await openLink(await scanned(UNKNOWN));
    expect(await page.textContent("li[data-check='INTEGRITY']")).toContain("no document with SHA-256");
    expect(await page.locator("dl.facts").count()).toBe(0);
    expect(await page.textContent("#result")).not.toContain("null");
    await screenshot(page, "verify-link-unknown");
    await page.close();
  });

  it("verifies a batch member from its link, and reads the SVG code back to the same link", async () => {
    const { root, hashes, proofs } = api.scenario.batch;
    const link = verificationLink(api.server.url, { hash: hashes[1]!, batch: { root, proof: proofs[1]! } });
    const page = await browser.context.newPage();
    await page.setContent((await verificationCodes(link)).svg.replace("<svg ", '<svg width="400" height="400" '));
    const fromSvg = decodeQrPng(await page.locator("svg").screenshot());
    expect(fromSvg).toBe(link);
    await page.close();
    const member = await openLink(fromSvg);
    expect(await member.textContent("p.verdict")).toContain("VALID");
    expect(await member.textContent("dl.facts")).toContain(root);
    // Without a sign-in, the member's file and its proof file dropped together verify by their hashes alone.
    const proofFile = {
      format: "tracegate-batch-proof",
      version: 1,
      document: { hash: hashes[1], kind: "CO", issuer: "VCCI" },
      batch: { root, count: 3, tx: "0x00", block: "0" },
      proof: proofs[1],
    };
    await member.setInputFiles("#files", [
      { name: "member.txt", mimeType: "text/plain", buffer: Buffer.from(BATCH_CONTENTS[1]!) },
      { name: "member.txt.proof.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(proofFile)) },
    ]);
    await member.waitForSelector("#match.ok");
    expect(await member.textContent("p.verdict")).toContain("VALID");
    await member.setInputFiles("#files", [
      { name: "other.txt", mimeType: "text/plain", buffer: Buffer.from(BATCH_CONTENTS[0]!) },
      { name: "member.txt.proof.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(proofFile)) },
    ]);
    await member.waitForSelector("#match.bad");
    expect(await member.textContent("li[data-check='INTEGRITY']")).toContain("not the document the proof was made for");
    await member.close();
    expect(problems).toEqual([]);
  });
});
