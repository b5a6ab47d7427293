/**
 * The demo's codes (product/demo-codes.ts) over the scenario's API: a valid C/O's verification
 * code and its lot's label, written as PNG and SVG; each PNG, decoded as a phone would, opens the right
 * page in Chromium.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDemoCodes, writeDemoCodes, type DemoCodes } from "../../product/demo-codes.js";
import { decodeQrPng } from "../support/qr.js";
import { launchChromium, openSignedIn, screenshot, type Browser } from "./chromium.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";

let api: ScenarioApi;
let browser: Browser;
let dir: string;
let codes: DemoCodes;

beforeAll(async () => {
  api = await startScenarioApi();
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), "tracegate-codes-"));
  codes = await writeDemoCodes(api.server.url, api.tokens.auditor, api.server.url, dir);
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the demo's codes", () => {
  it("are a valid C/O's verification link and its lot's label, printed with where the codes are", async () => {
    const { data } = await api.query("auditor", `query ($id: String!) { documents(filter: { id: $id }) { edges { node { hash kind status subjects } } } }`, {
      id: codes.co.id,
    });
    const co = data!.documents.edges[0].node;
    expect(co).toMatchObject({ kind: "CO", status: "VALID" });
    expect(codes.co.link).toBe(`${api.server.url}/verify.html?hash=${co.hash}`);
    expect(codes.lot).toMatchObject({ id: co.subjects[0], link: `${api.server.url}/lot/${encodeURIComponent(co.subjects[0])}` });
    expect(await readFile(codes.co.svg, "utf8")).toMatch(/^<svg /);
    const printed = describeDemoCodes(codes);
    expect(printed).toContain(codes.co.link);
    expect(printed).toContain(codes.lot.png);
  });

  it("open, scanned from their PNGs, the C/O's verdict and the lot's page in Chromium", async () => {
    const coLink = decodeQrPng(await readFile(codes.co.png));
    expect(coLink).toBe(codes.co.link);
    const verdict = await browser.context.newPage();
    await verdict.goto(coLink);
    await verdict.waitForSelector("p.verdict .badge");
    expect(await verdict.textContent("p.verdict")).toContain("VALID");
    expect(await verdict.textContent("dl.facts")).toContain("CO");
    await screenshot(verdict, "demo-code-co");
    await verdict.close();

    const lotLink = decodeQrPng(await readFile(codes.lot.png));
    expect(lotLink).toBe(codes.lot.link);
    const problems: string[] = [];
    const auditor = await openSignedIn(browser, api.server.url, api.tokens.auditor, new URL(lotLink).pathname, problems);
    await auditor.waitForURL(`${api.server.url}/lot.html?id=${encodeURIComponent(codes.lot.id)}`);
    await auditor.waitForSelector("ol.timeline > li");
    await screenshot(auditor, "demo-code-lot");
    await auditor.close();
    expect(problems).toEqual([]);
  });
});
