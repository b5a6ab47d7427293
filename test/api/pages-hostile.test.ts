/**
 * The audit pages against awkward ledger data and when things go wrong, in real Chromium over the
 * scenario's store: a lot id that is a spreadsheet formula (the findings CSV keeps it text), a hold reason
 * ending in an unterminated right-to-left override (it reorders nothing after it), a lot with more events
 * than a timeline page (the latest first, older on request, a link to an old event scrolled to), signed
 * out, sign-in expired and TraceGate not answering (plain words and a way back), and durations.
 * Screenshots in test-artifacts/ (hostile-*.png).
 */
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, type Action, type Actor, type LedgerEvent } from "../../domain/index.js";
import { closeScenarioPages, openSignedIn, screenshot, startScenarioPages, type Browser } from "./chromium.js";
import { at } from "./scenario.js";
import type { ScenarioApi } from "./scenario-api.js";
import { appendBlock } from "./scenario-store.js";

/** A lot id an enterprise may choose (printable ASCII, no spaces) that a spreadsheet reads as a formula. */
const FORMULA = '=HYPERLINK("//e.x","c")';
const RLO = "\u202e";
/** A lot with more events than one timeline page (100): declared, arrived, then 55 holds and their releases. */
const LONG = "LONG-1";
const HOLDS = 55;

let api: ScenarioApi;
let browser: Browser;
const problems: string[] = [];

/** The lots above, added to the scenario's store on day 6, decided by its domain ledger. */
async function addLots(): Promise<void> {
  const events: LedgerEvent[] = [];
  let time = at(6, 8);
  const submit = async (actor: Actor, action: Action) => {
    events.push(await api.scenario.ledger.submit(actor, action, time));
    time += 600n;
  };
  const officer: Actor = { org: "CUSTOMS", role: "OFFICER" };
  for (const [index, lot] of [FORMULA, LONG].entries()) {
    const declaration = documentHash(`hostile declaration ${index}`);
    await submit(
      { org: "ENT-1", role: "SIGNER" },
      { type: "anchor", hash: declaration, id: `DECL-H${index}`, kind: "DECLARATION", cid: "bafy-h", subjects: [] },
    );
    await submit(
      { org: "ENT-1", role: "OPERATOR" },
      {
        type: "declare",
        lot,
        goods: { material: "FABRIC", hsCode: "52085200", unit: "KGM", quantity: 10n },
        direction: "IMPORT",
        preferenceClaimed: false,
        permitRequired: false,
        declaration,
      },
    );
    await submit(officer, { type: "arrive", lot, facility: "GATE-1" });
  }
  await submit(officer, { type: "hold", lot: FORMULA, reason: `routine check ${RLO}` });
  await submit(officer, { type: "unhold", lot: FORMULA });
  for (let hold = 1; hold <= HOLDS; hold += 1) {
    await submit(officer, { type: "hold", lot: LONG, reason: `check ${hold}` });
    await submit(officer, { type: "unhold", lot: LONG });
  }
  await appendBlock(api.store, events);
}

beforeAll(async () => {
  ({ api, browser } = await startScenarioPages());
  await addLots();
}, 120_000);
afterAll(() => closeScenarioPages(api, browser));

const open = (path: string, token = api.tokens.auditor): Promise<Page> => openSignedIn(browser, api.server.url, token, path, problems);
const lotPath = (lot: string) => `/lot.html?id=${encodeURIComponent(lot)}`;

/** Whether `word`, in the first text node under `selector` that holds it, is drawn left to right: its first letter left of its last. */
const drawnLeftToRight = (page: Page, selector: string, word: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((root, word) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const start = node.textContent!.indexOf(word);
        if (start < 0) continue;
        const left = (offset: number) => {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          return range.getBoundingClientRect().left;
        };
        return left(start) < left(start + word.length - 1);
      }
      throw new Error(`no text "${word}" under ${root.tagName}`);
    }, word);

describe("ledger text on the pages", () => {
  it("shows a reason's bidi override as text, isolated: it reorders nothing after it, in the timeline or in a finding", async () => {
    const page = await open(lotPath(FORMULA));
    const hold = page.locator("ol.timeline > li[data-kind=hold]");
    await hold.waitFor();
    expect(await hold.locator("bdi").textContent()).toBe("routine check [RLO]");
    expect(await hold.textContent()).toContain("CUSTOMS at GATE-1 · “routine check [RLO]”");
    await page.close();

    const findings = await open("/findings.html");
    await findings.selectOption("select[name='kind']", "HOLD");
    const row = findings.locator(`#findings tbody tr:has(a[href='${lotPath(FORMULA)}'])`);
    await row.waitFor();
    // The node builds the explanation around the reason: the sentence after it still reads left to right.
    expect(await drawnLeftToRight(findings, `#findings tbody tr:has(a[href='${lotPath(FORMULA)}']) p.explanation`, "released")).toBe(true);
    expect(await row.locator("p.explanation").textContent()).toMatch(/\("routine check \[RLO\]"\), and released it from hold 0\.2 hours later\.$/);
    await screenshot(findings, "hostile-findings-bidi");
    await findings.close();
  });

  it("answers a finding's explanation with the reason's bidi controls written out, for any client", async () => {
    const { data } = await api.query<{ findings: { edges: Array<{ node: { lot: string; explanation: string } }> } }>(
      "auditor",
      `{ findings(first: 50, filter: { kinds: [HOLD] }) { edges { node { lot explanation } } } }`,
    );
    const hold = data!.findings.edges.map((edge) => edge.node).find((finding) => finding.lot === FORMULA);
    expect(hold?.explanation).toContain('("routine check [RLO]"), and released it');
    expect(hold?.explanation).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it("downloads a lot id that is a formula as text: no CSV cell starts as a formula", async () => {
    const page = await open("/findings.html");
    await page.selectOption("select[name='kind']", "HOLD");
    await page.waitForSelector(`#findings a[href='${lotPath(FORMULA)}']`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
    const text = await readFile((await download.path())!, "utf8");
    // The subject and lot cells: led by ' (and the CSV's own quoting), which a spreadsheet shows as text.
    expect(text).toContain(`,"'=HYPERLINK(""//e.x"",""c"")","ENT-1","'=HYPERLINK(""//e.x"",""c"")",`);
    expect(text).not.toMatch(/(^|,)"[=+\-@\t\r]/m);
    await page.close();
  });
});

describe("a lot with more events than a timeline page", () => {
  const kinds = (page: Page) => page.locator("ol.timeline > li").evaluateAll((items) => items.map((item) => item.getAttribute("data-kind")));

  it("shows the latest events first, says older ones exist, and shows them on request", async () => {
    const page = await open(lotPath(LONG));
    await page.waitForSelector("ol.timeline > li");
    const total = 2 + 2 * HOLDS;
    expect(await page.textContent("#timeline-note")).toBe(`The latest 100 of ${total} events, oldest first; older events are not shown yet.`);
    expect(await page.locator("ol.timeline > li").count()).toBe(100);
    // The newest is there: the last release from hold, whose hold is the 55th.
    expect((await kinds(page)).slice(-2)).toEqual(["hold", "unhold"]);
    expect(await page.locator("ol.timeline > li").nth(98).textContent()).toContain(`“check ${HOLDS}”`);
    await page.click("#older-events");
    await page.waitForFunction((total) => document.querySelectorAll("ol.timeline > li").length === total, total);
    expect(await page.textContent("#timeline-note")).toBe(`All ${total} events, oldest first.`);
    expect((await kinds(page)).slice(0, 3)).toEqual(["declare", "arrive", "hold"]);
    expect(await page.isHidden("#older-events")).toBe(true);
    await page.close();
  });

  it("scrolls to and marks the event a link names, loading older events to reach it", async () => {
    const { data } = await api.query<{ lot: { history: { edges: Array<{ node: { id: string } }> } } }>(
      "auditor",
      `{ lot(id: "${LONG}") { history(first: 6) { edges { node { id } } } } }`,
    );
    const id = data!.lot.history.edges[5]!.node.id;
    const page = await open(`${lotPath(LONG)}#event-${id}`);
    const target = page.locator("ol.timeline > li.target");
    await target.waitFor();
    expect(await target.getAttribute("id")).toBe(`event-${id}`);
    const { top, bottom, scrolled } = await target.evaluate((item) => ({ ...item.getBoundingClientRect().toJSON(), scrolled: window.scrollY }));
    expect(scrolled).toBeGreaterThan(0);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(bottom).toBeLessThanOrEqual(900);
    await page.screenshot({ path: "test-artifacts/hostile-event-link.png" });
    await page.close();
  });
});

describe("when a page cannot be answered", () => {
  /** A page of this node opened in a tab of its own, with nothing signed in: what a new tab is. */
  const fresh = async (path: string) => {
    const page = await browser.context.newPage();
    await page.goto(`${api.server.url}${path}`);
    return page;
  };

  it("tells a reader who is not signed in so, and brings them back to the page once signed in", async () => {
    const page = await fresh("/lot.html?id=LOT-F1");
    const error = page.locator("#lot p.error");
    await error.waitFor();
    expect(await error.textContent()).toBe("You are not signed in: each browser tab signs in on its own. Sign in, and you come back to this page.");
    expect(await error.locator("a").getAttribute("href")).toBe(`/?return=${encodeURIComponent("/lot.html?id=LOT-F1")}`);
    await screenshot(page, "hostile-signed-out");
    await error.locator("a").click();
    // The start page's script is ready once it says who the reader is.
    await page.waitForSelector("#viewer:has-text('Not signed in: sign in above, and you go back to the page you came from.')");
    await page.fill("#token", api.tokens.auditor);
    await page.click("#sign-in button[type=submit]");
    await page.waitForURL(`${api.server.url}/lot.html?id=LOT-F1`);
    await page.waitForSelector("ol.timeline > li");
    await page.close();
  });

  it("tells a reader whose sign-in expired to sign in again, on every page", async () => {
    const expired = await api.issuer.mint("CUSTOMS", "AUDITOR", { lifetimeSeconds: -60 });
    const page = await fresh("/");
    await page.evaluate((token) => sessionStorage.setItem("tracegate.token", token), expired);
    await page.reload();
    await page.waitForFunction(() => document.querySelector("#viewer")?.textContent !== "");
    // The start page says it once.
    expect(await page.textContent("#viewer")).toBe("Your sign-in has expired or is not accepted: sign in again above.");
    expect(await page.locator("#lots p.error").count()).toBe(0);
    const pages: Array<[string, string]> = [
      ["/findings.html", "#result"],
      ["/dwell.html", "#result"],
      [lotPath("LOT-F1"), "#lot"],
    ];
    for (const [path, place] of pages) {
      await page.goto(`${api.server.url}${path}`);
      const error = page.locator(`${place} p.error`);
      await error.waitFor();
      expect(await error.textContent()).toBe("Your sign-in has expired or is not accepted. Sign in again, and you come back to this page.");
      expect(await error.locator("a").getAttribute("href")).toBe(`/?return=${encodeURIComponent(path)}`);
    }
    await screenshot(page, "hostile-expired");
    await page.close();
  });

  it("says TraceGate is not answering when no answer comes", async () => {
    const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, "/", []);
    await page.route("**/graphql", (route) => route.abort("connectionrefused"));
    await page.goto(`${api.server.url}${lotPath("LOT-F1")}`);
    await page.waitForSelector("#lot p.error");
    expect(await page.textContent("#lot p.error")).toBe("TraceGate is not answering. Check that it is running, then reload this page.");
    await screenshot(page, "hostile-unreachable");
    await page.close();
  });
});

it("writes durations rounded once: never 60 min", async () => {
  const page = await open("/");
  const shown = await page.evaluate("import('/js/dom.js').then((dom) => [172_799, 172_770, 172_740, 7_199, 3_599, 89].map(dom.formatDuration))");
  expect(shown).toEqual(["2.0 d", "2.0 d", "47 h 59 min", "2 h 00 min", "1 h 00 min", "1 min"]);
  await page.close();
});

it("ran every page without console errors or Content-Security-Policy violations", () => {
  expect(problems).toEqual([]);
});
