/**
 * The audit web pages end to end in real Chromium (Debian's, driven by playwright-core) against the
 * API over the scenario's store. Screenshots are kept in test-artifacts/ for a person to look at.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { BALANCE_REPORT_TEXT } from "./scenario.js";
import type { Caller, ScenarioApi } from "./scenario-api.js";
import { closeScenarioPages, openSignedIn, screenshot, startScenarioPages, type Browser } from "./chromium.js";

let api: ScenarioApi;
let browser: Browser;
/** Console errors and CSP violations seen on any page. */
const problems: string[] = [];

beforeAll(async () => ({ api, browser } = await startScenarioPages()));
afterAll(() => closeScenarioPages(api, browser));

/** A page of the API signed in as `caller`. */
const open = (caller: Caller, path: string): Promise<Page> => openSignedIn(browser, api.server.url, api.tokens[caller], path, problems);

describe("audit pages in Chromium", () => {
  it("signs in with a token and lists the lots the caller may see", async () => {
    const page = await open("enterprise", "/");
    await page.waitForSelector("#lots table");
    expect(await page.textContent("#viewer")).toContain("ENT-1 (OPERATOR), seeing what a enterprise may see");
    expect(await page.locator("#lots tbody tr td:first-child").allTextContents()).toEqual([
      "LOT-F1",
      "LOT-P1",
      "LOT-P2",
      "LOT-P3",
      "LOT-T1",
      "LOT-T1A",
      "LOT-T1B",
    ]);
    await screenshot(page, "lots");
    await page.close();
  });

  it("shows a lot's timeline and its lineage graph", async () => {
    const page = await open("auditor", "/lot.html?id=LOT-P1");
    await page.waitForSelector("svg[aria-label='Lineage of LOT-P1']");
    expect(await page.locator("svg g.lot").evaluateAll((boxes) => boxes.map((box) => box.getAttribute("data-lot")).sort())).toEqual([
      "LOT-F1",
      "LOT-P1",
      "LOT-T1",
      "LOT-T1A",
    ]);
    expect(await page.locator("svg g.edge text").allTextContents()).toEqual(
      expect.arrayContaining(["transform 600 KGM", "transform 150 KGM", "split 200 KGM"]),
    );
    expect(await page.locator("ol.timeline > li").evaluateAll((items) => items.map((item) => item.getAttribute("data-kind")))).toEqual([
      "transform",
      "declare",
      "arrive",
      "clear",
      "depart",
    ]);
    expect(await page.locator("ol.timeline > li").first().textContent()).toContain("NORM NORM-PROD-1");
    await screenshot(page, "lot-timeline");
    await page.goto(`${api.server.url}/lot.html?id=LOT-F1`);
    await page.waitForSelector("ol.timeline li.flagged");
    expect(await page.locator("ol.timeline > li").count()).toBe(11);
    expect(await page.locator("table tbody tr", { hasText: "INSP-F1" }).textContent()).toContain("REVOKED");
    await screenshot(page, "lot-flagged");
    await page.close();
  });

  it("tells another enterprise it may not see the lot", async () => {
    const page = await open("otherEnterprise", "/lot.html?id=LOT-F1");
    await page.waitForSelector("p.error");
    expect(await page.textContent("p.error")).toContain("FORBIDDEN");
    await page.close();
  });

  it("verifies a dropped file by the SHA-256 computed in the browser, without sending the file", async () => {
    const page = await open("issuer", "/verify.html");
    const sent: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/graphql")) sent.push(request.postData() ?? "");
    });
    // Dropped, as a person would: a DataTransfer holding the file, dispatched on the drop zone.
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], "balance-report.json", { type: "application/json" }));
      return data;
    }, BALANCE_REPORT_TEXT);
    await page.dispatchEvent("#drop", "drop", { dataTransfer: transfer });
    await page.waitForSelector("p.verdict .badge");
    expect(await page.textContent("p.verdict")).toContain("VALID");
    expect(await page.textContent("#hash")).toBe(documentHash(BALANCE_REPORT_TEXT));
    expect(await page.locator("li[data-check]").allTextContents()).toEqual([
      expect.stringContaining("INTEGRITY PASSED"),
      expect.stringContaining("STATUS PASSED"),
      expect.stringContaining("ISSUER PASSED"),
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(documentHash(BALANCE_REPORT_TEXT));
    expect(sent[0]).not.toContain("tracegate-balance-report");
    await screenshot(page, "verify-valid");
    await page.setInputFiles("#files", { name: "altered.json", mimeType: "application/json", buffer: Buffer.from(BALANCE_REPORT_TEXT.replace("40", "41")) });
    await page.waitForSelector("p.verdict:has-text('INVALID')");
    expect(await page.textContent("li[data-check='INTEGRITY']")).toContain("INTEGRITY FAILED");
    await screenshot(page, "verify-invalid");
    await page.close();
  });

  it("reconciles materials against the anchored balance report, with a chart", async () => {
    const page = await open("enterprise", "/reconciliation.html");
    await page.selectOption("select[name=enterprise]", "ENT-1");
    await page.fill("input[name=from]", "2027-01-15");
    await page.fill("input[name=to]", "2027-01-20");
    await page.setInputFiles("input[name=report]", { name: "balance-report.json", mimeType: "application/json", buffer: Buffer.from(BALANCE_REPORT_TEXT) });
    await page.click("#query button");
    await page.waitForSelector("#reconciliation");
    expect(await page.textContent("#report")).toContain("balance report is VALID and accepted");
    const cells = (material: string) => page.locator(`tr[data-material=${material}] td:not(.plot)`).allTextContents();
    expect(await cells("FABRIC")).toEqual(["FABRIC", "0", "1000", "900", "100", "0", "882", "48", "0", "0"]);
    expect(await cells("THREAD")).toEqual(["THREAD", "0", "200", "150", "0", "50", "210", "0", "40", "-10"]);
    expect(await page.locator("#reconciliation svg.balance").count()).toBe(2);
    expect(await page.locator("#discrepancies > li").evaluateAll((items) => items.map((item) => item.getAttribute("data-kind")))).toEqual([
      "CONSUMED_OVER_NORM",
      "STOCK_MISMATCH",
    ]);
    await screenshot(page, "reconciliation");
    await page.close();
  });

  it("shows where goods wait, slowest first", async () => {
    const page = await open("auditor", "/dwell.html");
    await page.waitForSelector("#dwell");
    expect(await page.locator("#dwell tbody tr").first().locator("td").allTextContents()).toEqual([
      "IN_PRODUCTION",
      "FACTORY-ENT-1",
      "1",
      "26 h 00 min",
      "26 h 00 min",
      "26 h 00 min",
      "LOT-F1 26 h 00 min",
    ]);
    expect(await page.locator("svg[aria-label='Dwell time chart'] rect.p90").count()).toBe(await page.locator("#dwell tbody tr").count());
    await screenshot(page, "dwell-all");
    await page.selectOption("select[name=stage]", "ARRIVED");
    await page.click("#query button");
    await page.waitForFunction(() => document.querySelectorAll("#dwell tbody tr").length === 2);
    await screenshot(page, "dwell-arrived");
    await page.close();
  });

  it("ran every page without console errors or Content-Security-Policy violations", () => {
    expect(problems).toEqual([]);
  });
});
