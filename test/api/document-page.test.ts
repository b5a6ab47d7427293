/**
 * A document's page in Chromium: what the ledger recorded, and the decrypted document with its verdict,
 * decrypted where the viewer's private key is: on a node that holds it, otherwise in the browser from
 * the key file, which no request carries. Screenshots of each state are kept in test-artifacts/.
 */
import { readFile } from "node:fs/promises";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_AUDIENCE, DEV_TOKEN_ISSUER } from "../../api/auth/dev-tokens.js";
import { loadDocumentKeys } from "../../api/document-keys.js";
import { startApiServer, type ApiServer } from "../../api/server.js";
import { launchChromium, openSignedIn, screenshot, type Browser } from "./chromium.js";
import { startScenarioApi, type Caller, type ScenarioApi } from "./scenario-api.js";
import { scenarioDocuments, SPECIAL, type ScenarioDocuments } from "./scenario-documents.js";

let api: ScenarioApi;
let documents: ScenarioDocuments;
/** A node holding every organisation's document key, and one holding customs' only. */
let everyKey: ApiServer;
let customsKeyOnly: ApiServer;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  api = await startScenarioApi();
  documents = await scenarioDocuments(api.scenario);
  const options = { store: api.store, documents: documents.store, tokens: { keys: api.issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE } };
  everyKey = await startApiServer({ ...options, documentKeys: await loadDocumentKeys(documents.keysDir, "all") });
  customsKeyOnly = await startApiServer({ ...options, documentKeys: await loadDocumentKeys(documents.keysDir, ["CUSTOMS"]) });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await everyKey?.close();
  await customsKeyOnly?.close();
  await api?.close();
  await documents?.close();
  // Failed fetches (a 403 the page handles) are logged by Chromium; anything else is a fault of the page.
  expect(problems.filter((problem) => !problem.includes("Failed to load resource"))).toEqual([]);
});

const open = (node: ApiServer, caller: Caller, path: string): Promise<Page> => openSignedIn(browser, node.url, api.tokens[caller], path, problems);
const pageOf = (id: string) => `/document.html?hash=${api.scenario.documents.get(id)}`;
const text = (id: string) => Buffer.from(documents.contents.get(id)!).toString("utf8");

/** Clicks Download and returns the file's bytes. */
async function download(page: Page): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  expect(file.suggestedFilename()).toMatch(/^[A-Za-z0-9._-]+\.(txt|json)$/);
  return readFile((await file.path())!);
}

async function openAndWait(page: Page): Promise<void> {
  await page.click("#open-document");
  await page.waitForSelector("p.verdict .badge, .content-status p.error, #key-file");
}

describe("a document's page", () => {
  it("as the owner, from the lot's timeline: decrypted on the node, verified, downloaded", async () => {
    const page = await open(everyKey, "enterprise", "/lot.html?id=LOT-F1");
    await page.locator("ol.timeline > li[data-kind='clear'] a[href^='/document.html?hash=']", { hasText: "CO-F1" }).click();
    await page.waitForSelector("#open-document");
    expect(await page.textContent("h1")).toBe("Certificate of origin CO-F1");
    expect(await page.textContent("p.status")).toContain("VALID");
    expect(await page.locator("dl.facts a[href='/lot.html?id=LOT-F1']").count()).toBe(1);
    await screenshot(page, "document-page");
    await openAndWait(page);
    expect(await page.textContent(".where")).toBe("Decrypted on this TraceGate node with ENT-1's private key, which stays on the node.");
    expect(await page.textContent("p.verdict")).toBe("VALID Valid: these bytes are certificate of origin CO-F1 version 1, anchored by VCCI on 2027-01-16.");
    expect(await page.textContent("#content-hash")).toBe(api.scenario.documents.get("CO-F1"));
    expect(await page.textContent("pre.document-text")).toBe(text("CO-F1"));
    expect((await download(page)).toString("utf8")).toBe(text("CO-F1"));
    await screenshot(page, "document-decrypted-on-node");
    // On a phone: nothing wider than the screen, long hashes wrap.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "document-narrow");
    await page.close();
  });

  it("without the key on the node: asks for the key file, decrypts in the browser, never sends the key", async () => {
    const page = await open(customsKeyOnly, "enterprise", pageOf("CO-F1"));
    const sent: Request[] = [];
    page.on("request", (request) => sent.push(request));
    await page.waitForSelector("#open-document");
    await openAndWait(page);
    expect(await page.textContent(".key-request")).toContain("This node does not hold ENT-1's private document key");
    await screenshot(page, "document-key-request");
    const pem = await documents.privateKeyPem("ENT-1");
    await page.setInputFiles("#key-file", { name: "ENT-1.private.pem", mimeType: "application/x-pem-file", buffer: Buffer.from(pem) });
    await page.waitForSelector("p.verdict .badge");
    expect(await page.textContent(".where")).toBe("Decrypted in this browser with ENT-1's key file; the key was not sent.");
    expect(await page.textContent("p.verdict")).toContain("VALID Valid");
    expect((await download(page)).toString("utf8")).toBe(text("CO-F1"));
    await screenshot(page, "document-decrypted-in-browser");

    // Every request the page made: the node's refusal, the encrypted copy, the verification by hash; no key in any.
    const secret = pem.replace(/-----[A-Z ]+-----|\s/g, "");
    const wire = await Promise.all(
      sent.map(async (request) => `${request.method()} ${request.url()} ${JSON.stringify(await request.allHeaders())} ${request.postData() ?? ""}`),
    );
    expect(wire.some((line) => line.includes("/ipfs/bafy-co-f1"))).toBe(true);
    expect(wire.some((line) => line.includes("verifyDocument"))).toBe(true);
    // The key in the encodings a leak would use: the PEM's base64 (and parts), the PEM as base64, the 32 raw key bytes.
    const raw = Buffer.from(secret, "base64").subarray(-32);
    const encodings = [
      secret,
      secret.slice(0, 24),
      secret.slice(-24),
      Buffer.from(pem).toString("base64").slice(0, 40),
      encodeURIComponent(pem).slice(0, 60),
      raw.toString("hex"),
      raw.toString("base64").slice(0, 40),
      raw.toString("base64url").slice(0, 40),
    ];
    for (const piece of encodings) {
      expect(wire.filter((line) => line.includes(piece))).toEqual([]);
    }
    await page.close();
  });

  it("refuses a wrong key, a key that is no X25519 key, a garbage file, an altered copy: a message, no download", async () => {
    const page = await open(customsKeyOnly, "enterprise", pageOf("CO-F1"));
    await page.waitForSelector("#open-document");
    await openAndWait(page);
    const attempts: Array<[string, Buffer, RegExp]> = [
      ["VCCI.private.pem", Buffer.from(await documents.privateKeyPem("VCCI")), /this key does not open ENT-1's copy: use ENT-1\.private\.pem/],
      [
        "ENT-1.private.pem",
        Buffer.from(generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }) as string),
        /not an X25519 private key: choose ENT-1\.private\.pem/,
      ],
      ["ENT-1.private.pem", randomBytes(2_000), /not an X25519 private key/],
    ];
    for (const [name, buffer, message] of attempts) {
      if ((await page.locator("#key-file").count()) === 0) await page.click("text=Choose another key file");
      await page.setInputFiles("#key-file", { name, mimeType: "application/x-pem-file", buffer });
      await page.waitForSelector(".content-status p.error");
      expect(await page.textContent(".content-status p.error")).toMatch(message);
      expect(await page.locator("#download, pre.document-text").count()).toBe(0);
    }
    await screenshot(page, "document-wrong-key");
    await page.goto(`${customsKeyOnly.url}${pageOf(SPECIAL.tampered)}`);
    await openAndWait(page);
    await page.setInputFiles("#key-file", {
      name: "ENT-1.private.pem",
      mimeType: "application/x-pem-file",
      buffer: Buffer.from(await documents.privateKeyPem("ENT-1")),
    });
    await page.waitForSelector(".content-status p.error");
    expect(await page.textContent(".content-status p.error")).toContain("the stored copy was altered");
    expect(await page.locator("#download").count()).toBe(0);
    await page.close();
  });

  it("never offers bytes that are not the anchored document, decrypted in the browser or on the node", async () => {
    const inBrowser = await open(customsKeyOnly, "enterprise", pageOf(SPECIAL.substituted));
    await openAndWait(inBrowser);
    await inBrowser.setInputFiles("#key-file", {
      name: "ENT-1.private.pem",
      mimeType: "application/x-pem-file",
      buffer: Buffer.from(await documents.privateKeyPem("ENT-1")),
    });
    await inBrowser.waitForSelector(".content-status p.error");
    expect(await inBrowser.textContent(".content-status p.error")).toBe(
      "These bytes are not the anchored document: do not rely on them, and report it to VCCI.",
    );
    const hashes = await inBrowser.textContent(".content-status p.muted");
    expect(hashes).toMatch(/^SHA-256 of the decrypted bytes: 0x[0-9a-f]{64}SHA-256 the ledger anchored: /);
    expect(hashes).toContain(`anchored: ${api.scenario.documents.get(SPECIAL.substituted)}`);
    expect(await inBrowser.locator("#download").count()).toBe(0);
    await screenshot(inBrowser, "document-not-the-anchored-bytes");
    await inBrowser.close();
    const onNode = await open(everyKey, "enterprise", pageOf(SPECIAL.substituted));
    await openAndWait(onNode);
    expect(await onNode.textContent(".content-status p.error")).toContain("decrypts to bytes that are not the anchored document");
    expect(await onNode.locator("#download").count()).toBe(0);
    await onNode.close();
  });

  it("tells customs, who may see the certificate but was not sealed for, that it was not shared with it", async () => {
    const page = await open(everyKey, "auditor", pageOf(SPECIAL.notForCustoms));
    await openAndWait(page);
    expect(await page.textContent(".content-status p.error")).toBe(
      "Not shared with CUSTOMS: VCCI did not encrypt this document for your organisation. Ask VCCI to share it.",
    );
    expect(await page.locator("#key-file, #download").count()).toBe(0);
    await screenshot(page, "document-not-a-recipient");
    await page.close();
  });

  it("shows another enterprise nothing of the document, as if it did not exist", async () => {
    const page = await open(everyKey, "otherEnterprise", pageOf("CO-F1"));
    await page.waitForSelector("p.error");
    expect(await page.textContent("#document")).toBe(
      `No document ${api.scenario.documents.get("CO-F1")} is anchored, or it is not shared with you.If you hold the file, you can still check it: verify it by its hash.`,
    );
    await screenshot(page, "document-not-shared");
    await page.close();
  });

  it("gives an amended document's versions and status history, and its verdict as superseded", async () => {
    const page = await open(everyKey, "auditor", pageOf("MAN-1"));
    await page.waitForSelector("#open-document");
    expect(await page.textContent("p.status")).toBe("SUPERSEDED on 2027-01-18 by version 2");
    expect(await page.locator("ol.timeline > li .what").allTextContents()).toEqual(["version 1 (this one) anchored", "version 2 anchored, amending version 1"]);
    await openAndWait(page);
    expect(await page.textContent("p.verdict")).toBe(
      "SUPERSEDED Superseded on 2027-01-18: these bytes are manifest MAN-1 version 1, anchored by TERMINAL on 2027-01-18; version 2 replaces them.",
    );
    await screenshot(page, "document-superseded");
    await page.goto(`${everyKey.url}${pageOf("INSP-F1")}`);
    await openAndWait(page);
    expect(await page.textContent("p.verdict")).toBe(
      "REVOKED Revoked on 2027-01-16: these bytes are inspection record INSP-F1 version 1, anchored by CUSTOMS on 2027-01-15, revoked since (“recorded against the wrong container”).",
    );
    expect(await page.locator("ol.timeline > li .what").allTextContents()).toEqual([
      "version 1 (this one) anchored",
      "version 1 (this one) revoked: “recorded against the wrong container”",
    ]);
    await screenshot(page, "document-revoked");
    await page.close();
  });

  it("opens by the issuer's document id: the current version, for those whose listing shows it", async () => {
    const page = await open(everyKey, "auditor", "/document.html?id=MAN-1");
    await page.waitForSelector("#open-document");
    expect(page.url()).toBe(`${everyKey.url}${pageOf("MAN-1 v2")}`);
    expect(await page.textContent("h1")).toBe("Manifest MAN-1");
    await page.goto(`${everyKey.url}/document.html?id=NO-SUCH-DOC`);
    await page.waitForSelector("p.error");
    expect(await page.textContent("p.error")).toBe(
      "No document NO-SUCH-DOC is anchored, or it is not shared with you. Open it from its lot's page, or by its SHA-256.",
    );
    await page.close();
  });

  it("is linked from a verified document's verdict", async () => {
    const page = await open(everyKey, "enterprise", `/verify.html?hash=${api.scenario.documents.get("CO-F1")}`);
    await page.click("#document-page");
    await page.waitForSelector("#open-document");
    expect(page.url()).toBe(`${everyKey.url}${pageOf("CO-F1")}`);
    await page.close();
  });
});
