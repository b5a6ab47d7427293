/**
 * The Findings page in real Chromium over the demo's seeded year: the ranked worklist with its counts,
 * filters as choices, paging, evidence as links (a document link verifies it), the CSV of the current
 * filter, and an enterprise seeing only its own. The screenshot is kept in test-artifacts/.
 */
import { readFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_AUDIENCE, DEV_TOKEN_ISSUER, devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { startApiServer, type ApiServer } from "../../api/server.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { CUSTOMS } from "../../seeds/registry.js";
import { launchChromium, openSignedIn, screenshot, type Browser } from "./chromium.js";
import { indexSeededYear, seededYear } from "./seeded-year.js";

let store: Store;
let server: ApiServer;
let browser: Browser;
let directory: string;
let tokens: { auditor: string; enterprise: string };
const problems: string[] = [];

beforeAll(async () => {
  const year = await seededYear();
  directory = await mkdtemp(join(tmpdir(), "tracegate-findings-page-"));
  store = await openStore(join(directory, "year.sqlite"));
  await indexSeededYear(store, year);
  const issuer = await devTokenIssuer();
  server = await startApiServer({ store, tokens: { keys: issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE } });
  tokens = { auditor: await issuer.mint(CUSTOMS, "AUDITOR"), enterprise: await issuer.mint("BAO-AN-SHOES", "OPERATOR") };
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

const open = (token: string, path: string) => openSignedIn(browser, server.url, token, path, problems);
const count = (page: Page) => page.textContent("#count");
/** How many findings the store holds from this severity up. */
const total = async (minSeverity = 0n) =>
  Number(
    (
      await store.db
        .selectFrom("findings")
        .select((eb) => eb.fn.countAll<bigint>().as("n"))
        .where("severity", ">=", minSeverity)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("the Findings page", () => {
  it("lists the findings most severe first, with counts, filters as choices and pages", async () => {
    const page = await open(tokens.auditor, "/findings.html");
    await page.waitForSelector("#findings tbody tr");
    expect(await page.locator("header nav a[aria-current='page']").textContent()).toBe("Findings");
    const all = await total();
    expect(await count(page)).toBe(`${all} findings match; showing 1–25.`);
    expect(await page.locator("#findings tbody tr").count()).toBe(25);
    expect(
      await page.locator("#findings tbody tr").evaluateAll((rows) =>
        rows
          .slice(0, 5)
          .map((row) => row.getAttribute("data-kind"))
          .sort(),
      ),
    ).toEqual(["CONSUMPTION_OVER_NORM", "DOCUMENT_WITHDRAWN_AFTER_CLEARANCE", "RELEASED_NOT_RECEIVED", "SEAL_BROKEN", "SLOW_FACILITY"]);
    // Every filter is a choice; the enterprises are those with findings.
    expect(await page.locator("#filter input").count()).toBe(0);
    expect(await page.locator("select[name='enterprise'] option").count()).toBeGreaterThan(2);

    await page.selectOption("select[name='severity']", "HIGH");
    await page.waitForFunction(
      (expected) => document.querySelector("#count")?.textContent === expected,
      `${await total(70n)} findings match; showing 1–${await total(70n)}.`,
    );
    expect(await page.locator("#findings tbody tr .severity").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(HIGH|CRITICAL) \d+$/)]),
    );
    await screenshot(page, "findings");

    // The roll-ups: every enterprise with findings; the most severe declarations, each a link to its page.
    expect(await page.locator("#by-enterprise tbody tr").count()).toBe((await page.locator("select[name='enterprise'] option").count()) - 1);
    expect(await page.locator("#by-declaration tbody tr a[href^='/document.html?hash=0x']").count()).toBe(10);
    expect(await page.locator("#by-declaration tbody tr .severity").first().textContent()).toBe("CRITICAL 90");

    await page.selectOption("select[name='severity']", "");
    await page.waitForSelector("#next:not([disabled])");
    await page.click("#next");
    await page.waitForFunction((last) => document.querySelector("#count")?.textContent?.includes(`showing 26–${last}`), Math.min(50, all));
    expect(await page.locator("#findings tbody tr td:first-child").first().textContent()).toBe("26");
    await page.click("#previous");
    await page.waitForFunction(() => document.querySelector("#count")?.textContent?.includes("showing 1–25"));
    await page.close();
  });

  it("keeps its place when a page fails to load: the next try shows the next page, numbered as such", async () => {
    // Its own console: the failed request is logged as an error.
    const page = await openSignedIn(browser, server.url, tokens.auditor, "/findings.html", []);
    await page.waitForSelector("#next:not([disabled])");
    let fail = true;
    await page.route("**/graphql", (route) => {
      if (!fail || !route.request().postData()?.includes("findings(")) return route.continue();
      fail = false;
      return route.abort("connectionreset");
    });
    await page.click("#next");
    await page.waitForSelector("#result p.error");
    expect(await page.textContent("#result p.error")).toBe("TraceGate is not answering. Check that it is running, then reload this page.");
    expect(await page.textContent("#summary")).toBe("");
    await page.click("#next");
    await page.waitForFunction(() => document.querySelector("#count")?.textContent?.includes("showing 26–"));
    expect(await page.locator("#findings tbody tr td:first-child").first().textContent()).toBe("26");
    const second = await page.locator("#findings tbody tr").first().getAttribute("data-id");
    await page.click("#previous");
    await page.waitForFunction(() => document.querySelector("#count")?.textContent?.includes("showing 1–25"));
    expect(await page.locator("#findings tbody tr").first().getAttribute("data-id")).not.toBe(second);
    await page.close();
  });

  it("gives the evidence as links: the lot's page, and the document's page", async () => {
    const page = await open(tokens.auditor, "/findings.html");
    await page.selectOption("select[name='kind']", "DOCUMENT_WITHDRAWN_AFTER_CLEARANCE");
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "1 finding match; showing 1–1.");
    const row = page.locator("#findings tbody tr").first();
    expect(await row.locator("a[href^='/lot.html?id=']").first().textContent()).toMatch(/^MKE/);
    expect(await row.locator(".figures").textContent()).toMatch(/^after clearance 26\.0 d$/);
    await row.locator("a[href^='/document.html?hash=']").first().click();
    await page.waitForSelector("p.status .badge");
    expect(await page.textContent("p.status")).toContain("REVOKED");
    await page.close();
  });

  it("downloads the current filter as CSV, every field quoted", async () => {
    const page = await open(tokens.auditor, "/findings.html");
    await page.selectOption("select[name='severity']", "HIGH");
    await page.waitForFunction(() => document.querySelector("#count")?.textContent?.startsWith("9 findings"));
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
    expect(download.suggestedFilename()).toBe("findings.csv");
    const text = await readFile((await download.path())!, "utf8");
    const lines = text.trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + (await total(70n)));
    expect(lines[0]).toMatch(/^"rank","severity","label","kind",/);
    // The revoked C/O's reason is quoted in its explanation: the quotes are doubled inside a quoted field.
    const revoked = lines.find((line) => line.includes("DOCUMENT_WITHDRAWN_AFTER_CLEARANCE"))!;
    expect(revoked).toMatch(/\(""Kiểm tra sau/);
    expect(revoked.split('","')).toHaveLength(14);
    await page.close();
  });

  it("shows an enterprise only its own findings", async () => {
    const page = await open(tokens.enterprise, "/findings.html");
    await page.waitForSelector("#by-enterprise tbody tr");
    expect(await page.locator("#by-enterprise tbody tr td:first-child").allTextContents()).toEqual(["BAO-AN-SHOES"]);
    const own = Number(
      (
        await store.db
          .selectFrom("findings")
          .select((eb) => eb.fn.countAll<bigint>().as("n"))
          .where("enterprise", "=", "BAO-AN-SHOES")
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(await count(page)).toContain(`${own} findings match`);
    await page.close();
  });

  it("ran without a console error or a blocked resource", () => {
    expect(problems).toEqual([]);
  });
});
