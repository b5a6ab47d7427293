/**
 * The auditor's workbench in real Chromium (issue #13, item 3): GraphiQL with the network beyond the
 * API refused, and signing in from the start page with a development token. Screenshots in test-artifacts/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeScenarioPages, openSignedIn, screenshot, startScenarioPages, type Browser } from "./chromium.js";
import { documentHash } from "../../domain/index.js";
import { at, BALANCE_REPORT_TEXT } from "./scenario.js";
import type { ScenarioApi } from "./scenario-api.js";
import { appendBlock } from "./scenario-store.js";

let api: ScenarioApi;
let browser: Browser;

beforeAll(async () => ({ api, browser } = await startScenarioPages()));
afterAll(() => closeScenarioPages(api, browser));

/** A page that may reach the API's own origin only: every other request is refused and recorded. */
async function offlinePage(origin: string): Promise<{ page: Page; refused: string[]; problems: string[] }> {
  const page = await browser.context.newPage();
  const refused: string[] = [];
  const problems: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    refused.push(url);
    return route.abort("internetdisconnected");
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return { page, refused, problems };
}

/** A second API over the same store in development mode (GraphiQL, development tokens). */
async function withDevelopmentApi(run: (url: string) => Promise<void>): Promise<void> {
  const { startApiServer } = await import("../../api/server.js");
  const { API_AUDIENCE, DEV_TOKEN_ISSUER } = await import("../../api/auth/dev-tokens.js");
  const development = await startApiServer({
    store: api.store,
    tokens: { keys: api.issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE },
    development: true,
    devTokens: api.issuer,
  });
  try {
    await run(development.url);
  } finally {
    await development.close();
  }
}

describe("GraphiQL offline", () => {
  it("loads from the API alone and runs a query", async () => {
    await withDevelopmentApi(async (url) => {
      const { page, refused, problems } = await offlinePage(url);
      await page.goto(`${url}/graphql?query=${encodeURIComponent("{ __schema { queryType { name } } }")}`);
      await page.waitForSelector(".graphiql-execute-button", { timeout: 30_000 });
      await page.click(".graphiql-execute-button");
      await page.waitForSelector(".result-window :text('\"Query\"')", { timeout: 30_000 });
      await screenshot(page, "workbench-graphiql-offline");
      expect(refused).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
  }, 90_000);

  it("serves GraphiQL with a policy that lets it reach nothing but the API", async () => {
    await withDevelopmentApi(async (url) => {
      const response = await fetch(`${url}/graphql`, { headers: { accept: "text/html" } });
      const html = await response.text();
      expect(html).not.toMatch(/unpkg|jsdelivr|cdn\./i);
      expect(response.headers.get("content-security-policy")).toContain("connect-src 'self'");
    });
  });
});

describe("signing in with a development token", () => {
  it("offers every registered organisation's token on the start page, also one registered after start", async () => {
    await withDevelopmentApi(async (url) => {
      // Registered after the API started: the list is read from the store on each visit.
      await api.store.db.insertInto("organisations").values({ id: "LATE-CO", kind: "ENTERPRISE", event_id: 1n }).execute();
      try {
        const { page, refused, problems } = await offlinePage(url);
        await page.goto(`${url}/`);
        await page.waitForSelector("#dev-sign-in option[value='LATE-CO/OPERATOR']", { state: "attached" });
        const offered = await page.locator("#dev-sign-in option").evaluateAll((options) => options.map((option) => option.getAttribute("value")));
        const organisations = await api.store.db.selectFrom("organisations").select("id").execute();
        for (const { id } of organisations) expect(offered.some((value) => value?.startsWith(`${id}/`))).toBe(true);
        expect(offered).toEqual(expect.arrayContaining(["CUSTOMS/AUDITOR", "CUSTOMS/OFFICER"]));
        await page.selectOption("#dev-sign-in select", "LATE-CO/OPERATOR");
        await page.click("#dev-sign-in button");
        await page.waitForSelector("#viewer:has-text('Signed in as LATE-CO (OPERATOR)')");
        await page.waitForSelector("#lots p.muted");
        expect(await page.locator("#lots").textContent()).toBe("No lots you may see match.");
        await screenshot(page, "workbench-dev-sign-in");
        expect(refused).toEqual([]);
        expect(problems).toEqual([]);
        await page.close();
      } finally {
        await api.store.db.deleteFrom("organisations").where("id", "=", "LATE-CO").execute();
      }
    });
  });

  it("gives no tokens to a request addressed to another host name (DNS rebinding)", async () => {
    await withDevelopmentApi(async (url) => {
      const { request } = await import("node:http");
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const sent = request(`${url}/dev/tokens`, { headers: { host: "attacker.example" } }, (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        });
        sent.on("error", reject);
        sent.end();
      });
      expect(answer.status).toBe(403);
      expect(answer.body).not.toContain("eyJ");
      expect((await fetch(`${url.replace("127.0.0.1", "localhost")}/dev/tokens`)).status).toBe(200);
    });
  });

  it("mints no tokens outside development, and the start page offers none", async () => {
    const answer = await fetch(`${api.server.url}/dev/tokens`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ tokens: [] });
    const { page, problems } = await offlinePage(api.server.url);
    await page.goto(`${api.server.url}/`);
    await page.waitForSelector("#viewer:has-text('Not signed in')");
    expect(await page.locator("#dev-sign-in").isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("lot timeline", () => {
  it("tells what each document was when it was relied on, and what it is now", async () => {
    // CO-F1 was valid when LOT-F1 was cleared (day 1, 09:00); VCCI revokes it 28 days later.
    const revokedAt = at(29, 9);
    const coHash = api.scenario.documents.get("CO-F1")!;
    await appendBlock(api.store, [{ type: "documentRevoked", hash: coHash, issuer: "VCCI", reason: "origin not proven", time: revokedAt }]);
    const revokedOn = new Date(Number(revokedAt) * 1000).toISOString().slice(0, 10);
    const problems: string[] = [];
    const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, "/lot.html?id=LOT-F1", problems);
    await page.waitForSelector("ol.timeline");
    const clearance = page.locator("ol.timeline > li[data-kind='clear']");
    expect(await clearance.locator(".relied").textContent()).toContain(`CO CO-F1 valid when relied on · revoked ${revokedOn}`);
    expect(await clearance.locator(`a[href='/document.html?hash=${coHash}']`).textContent()).toBe("CO-F1");
    // The lots a transform made from this one are links to their pages.
    const transform = page.locator("ol.timeline > li[data-kind='transform']").first();
    expect(await transform.locator("a[href='/lot.html?id=LOT-P1']").count()).toBe(1);
    // The documents table: the status now, with its date, and the id a link to the document's page.
    const row = page.locator("table tbody tr", { hasText: "CO-F1" });
    expect(await row.textContent()).toContain(`REVOKED ${revokedOn}`);
    expect(await row.locator(`a[href='/document.html?hash=${coHash}']`).count()).toBe(1);
    // One format for every time on the page: YYYY-MM-DD HH:MM UTC, or the date alone.
    const times = await page.locator("#lot").evaluate((element) => element.textContent ?? "");
    expect(times).not.toMatch(/\d{4}-\d{2}-\d{2}T\d/);
    await screenshot(page, "workbench-lot-timeline");
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("dwell page", () => {
  it("labels the chart's marks with what they are and links each row to its slowest lots", async () => {
    const problems: string[] = [];
    const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, "/dwell.html", problems);
    await page.waitForSelector("#dwell tbody tr");
    const rows = await page.locator("#dwell tbody tr").count();
    // Every mark says what it is: the bars p50 and p90, the red line the longest stay, and the label names both.
    const marks = page.locator("svg[aria-label='Dwell time chart'] g.row");
    expect(await marks.count()).toBe(rows);
    const first = marks.first();
    expect(await first.locator("rect.p50 title").textContent()).toBe("p50: 26 h 00 min");
    expect(await first.locator("rect.p90 title").textContent()).toBe("p90: 26 h 00 min");
    expect(await first.locator("line.max title").textContent()).toBe("longest: 26 h 00 min");
    expect(await first.locator("text.values").textContent()).toBe("p90 26 h 00 min · longest 26 h 00 min");
    // Each row links to the lots whose stays it counts, slowest first.
    for (let index = 0; index < rows; index++) {
      const row = page.locator("#dwell tbody tr").nth(index);
      const [stage, facility] = await row.locator("td").evaluateAll((cells) => cells.slice(0, 2).map((cell) => cell.textContent ?? ""));
      const stays = await api.store.db
        .selectFrom("stage_stays")
        .select(["lot", "duration"])
        .where("state", "=", stage!)
        .where("facility", "=", facility === "before arrival" ? "" : facility!)
        .orderBy("duration", "desc")
        .orderBy("lot")
        .limit(5)
        .execute();
      expect(await row.locator("td.lots a").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).toEqual(
        stays.map((stay) => `/lot.html?id=${stay.lot}`),
      );
    }
    await screenshot(page, "workbench-dwell");
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("reconciliation page", () => {
  it("shows the report's verdict where it is used, events as links, and each material's balance over time", async () => {
    const problems: string[] = [];
    const page = await openSignedIn(browser, api.server.url, api.tokens.enterprise, "/reconciliation.html", problems);
    await page.selectOption("select[name=enterprise]", "ENT-1");
    await page.fill("input[name=from]", "2027-01-15");
    await page.fill("input[name=to]", "2027-01-20");
    await page.setInputFiles("input[name=report]", { name: "balance-report.json", mimeType: "application/json", buffer: Buffer.from(BALANCE_REPORT_TEXT) });
    await page.click("#query button");
    await page.waitForSelector("#reconciliation svg.balance");
    // The verdict on the report, in the sentence about it and on the column it fills; the report links to its verification.
    expect(await page.locator("#report .badge").textContent()).toBe("VALID");
    expect(await page.locator(`#report a[href='/verify.html?hash=${documentHash(BALANCE_REPORT_TEXT)}']`).count()).toBe(1);
    expect(await page.locator("#reconciliation th.declared .badge").textContent()).toBe("VALID");
    // Each discrepancy's events link to the lot's timeline, at the event.
    const links = await page.locator("#discrepancies li li a").evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute("href")));
    expect(links.length).toBe(3);
    for (const link of links) expect(link).toMatch(/^\/lot\.html\?id=LOT-[A-Z0-9]+#event-\d+$/);
    // Closing stock by the books at the start and the end of each day: FABRIC received on the 16th, used up on the 17th.
    expect(await page.locator("tr[data-material=FABRIC] svg.balance").getAttribute("data-values")).toBe("0 0 1000 0 0 0");
    expect(await page.locator("tr[data-material=THREAD] svg.balance").getAttribute("data-values")).toBe("0 0 200 50 50 50");
    expect(await page.locator("tr[data-material=THREAD] svg.balance circle.declared title").textContent()).toBe("declared closing 40");
    // Compact: no separate chart; the whole answer fits in one screen.
    expect(await page.locator("#result").evaluate((element) => element.getBoundingClientRect().height)).toBeLessThan(520);
    await screenshot(page, "workbench-reconciliation");
    await page.goto(`${api.server.url}${links[0]}`);
    await page.waitForSelector(`ol.timeline li${links[0]!.slice(links[0]!.indexOf("#"))}`);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("filters are choices; lists count and page; a missing lot says so", () => {
  it("lists lots by chosen state, owner, facility and material, with a count and pages", async () => {
    const problems: string[] = [];
    const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, "/?per=3", problems);
    await page.waitForSelector("#lots table");
    const options = (name: string) =>
      page.locator(`#filter select[name=${name}] option`).evaluateAll((items) => items.map((item) => item.getAttribute("value")));
    expect(await options("owner")).toEqual(["", "ENT-1", "ENT-2"]);
    expect(await options("state")).toEqual(expect.arrayContaining(["", "DECLARED", "IN_WAREHOUSE", "PRODUCED"]));
    expect(await options("facility")).toEqual(expect.arrayContaining(["", "GATE-1", "WH-1"]));
    expect(await options("material")).toEqual(expect.arrayContaining(["", "FABRIC", "PROD-1"]));
    const total = await api.store.db
      .selectFrom("lots")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(await page.textContent("#lots .count")).toBe(`Lots 1–3 of ${Number(total.n)}`);
    await page.click("#lots button.next");
    await page.waitForSelector("#lots .count:has-text('Lots 4–6')");
    await page.click("#lots button.previous");
    await page.waitForSelector("#lots .count:has-text('Lots 1–3')");
    await page.selectOption("#filter select[name=state]", "PRODUCED");
    await page.click("#filter button");
    await page.waitForSelector("#lots .count:has-text('of 2')");
    expect(await page.locator("#lots tbody td:first-child").allTextContents()).toEqual(["LOT-P2", "LOT-P3"]);
    expect(await page.locator("#lots button.next").isDisabled()).toBe(true);
    await screenshot(page, "workbench-lots-filtered");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("offers stages and facilities on the dwell page, enterprises and quarters on the reconciliation page", async () => {
    const problems: string[] = [];
    const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, "/dwell.html", problems);
    await page.waitForSelector("#dwell tbody tr");
    await page.selectOption("#query select[name=stage]", "ARRIVED");
    await page.selectOption("#query select[name=facility]", "GATE-1");
    await page.click("#query button");
    await page.waitForFunction(() => document.querySelectorAll("#dwell tbody tr").length === 1);
    await page.goto(`${api.server.url}/reconciliation.html`);
    await page.waitForSelector("#query select[name=enterprise] option[value='ENT-1']", { state: "attached" });
    expect(await page.locator("#query select[name=enterprise] option").allTextContents()).toEqual(["ENT-1", "ENT-2"]);
    // Periods as choices: a quarter fills the dates.
    await page.selectOption("#query select[name=quarter]", { label: "2027 Q4" });
    expect([await page.inputValue("input[name=from]"), await page.inputValue("input[name=to]")]).toEqual(["2027-10-01", "2028-01-01"]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("says a lot does not exist, and outside customs that it may not be seen or may not exist", async () => {
    const problems: string[] = [];
    const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, "/lot.html?id=NO-SUCH-LOT", problems);
    await page.waitForSelector("p.error");
    expect(await page.textContent("p.error")).toBe("No lot NO-SUCH-LOT exists.");
    await screenshot(page, "workbench-lot-missing");
    await page.close();
    const other = await openSignedIn(browser, api.server.url, api.tokens.enterprise, "/lot.html?id=NO-SUCH-LOT", problems);
    await other.waitForSelector("p.error");
    expect(await other.textContent("p.error")).toContain("You may not see lot NO-SUCH-LOT, or it does not exist");
    await other.close();
    expect(problems).toEqual([]);
  });
});

/** Pairs of elements (by their index) whose boxes on screen overlap. */
const overlapping = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((elements) => {
    const boxes = elements.map((element) => element.getBoundingClientRect());
    const pairs: Array<[number, number]> = [];
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b, j) => {
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) pairs.push([i, i + 1 + j]);
      }),
    );
    return pairs;
  });

/** Lots whose text runs past their box. */
const overflowingBoxes = (page: Page) =>
  page.locator("svg g.lot").evaluateAll((groups) =>
    groups
      .filter((group) => {
        const box = group.querySelector("rect")!.getBoundingClientRect();
        return [...group.querySelectorAll("text")].some((text) => text.getBoundingClientRect().right > box.right - 4);
      })
      .map((group) => group.getAttribute("data-lot")),
  );

describe("lineage graph", () => {
  it("labels quantities with units, without overlaps, in boxes that fit, scrolling on a narrow screen", async () => {
    const problems: string[] = [];
    const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, "/lot.html?id=LOT-P1", problems);
    await page.waitForSelector("svg[aria-label='Lineage of LOT-P1']");
    expect(await page.locator("svg g.edge text").allTextContents()).toEqual(
      expect.arrayContaining(["transform 600 KGM", "transform 150 KGM", "split 200 KGM"]),
    );
    expect(await overlapping(page, "svg g.edge text")).toEqual([]);
    expect(await overflowingBoxes(page)).toEqual([]);
    // A phone: the page does not run off the screen; the graph scrolls within its own box.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const graph = await page.locator("div.graph").evaluate((element) => ({ shown: element.clientWidth, whole: element.scrollWidth }));
    expect(graph.shown).toBeLessThanOrEqual(390);
    expect(graph.whole).toBeGreaterThan(graph.shown);
    // Opened on the phone, the graph starts with the lot itself in view.
    await page.reload();
    await page.waitForSelector("svg[aria-label='Lineage of LOT-P1']");
    const inView = await page.evaluate(() => {
      const shown = document.querySelector("div.graph")!.getBoundingClientRect();
      const lot = document.querySelector("svg g.lot[data-lot='LOT-P1'] rect")!.getBoundingClientRect();
      return lot.left >= shown.left && lot.right <= shown.right;
    });
    expect(inView).toBe(true);
    await screenshot(page, "workbench-lineage-narrow");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws a crowded lineage apart: long ids fit, eight labels into one lot do not overlap, a used-up input reads so", async () => {
    const problems: string[] = [];
    const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, "/verify.html", problems);
    const lot = (id: string, quantity: string, state: string) => ({ id, material: "COTTON-YARN-COMBED", quantity, unit: "KGM", state });
    const parents = Array.from({ length: 8 }, (_, index) =>
      lot(`LOT-INPUT-WITH-A-LONG-IDENTIFIER-${index}`, index === 0 ? "0" : "12345678901", "IN_PRODUCTION"),
    );
    const lineage = {
      nodes: [...parents.map((parent) => ({ depth: -1, lot: parent })), { depth: 0, lot: lot("LOT-OUT", "500", "PRODUCED") }],
      edges: parents.map((parent, index) => ({ parent: parent.id, child: "LOT-OUT", kind: "TRANSFORM", quantity: String(1000000 + index) })),
      withheld: 0,
    };
    // As text: vitest would rewrite a dynamic import written as code.
    await page.evaluate(
      `import("/js/lineage-graph.js").then(({ lineageGraph }) => document.querySelector("main").replaceChildren(lineageGraph(${JSON.stringify(lineage)}, "LOT-OUT")))`,
    );
    expect(await page.locator("svg g.edge text").count()).toBe(8);
    expect(await overlapping(page, "svg g.edge text")).toEqual([]);
    expect(await overflowingBoxes(page)).toEqual([]);
    const usedUp = page.locator("svg g.lot.used-up");
    expect(await usedUp.getAttribute("data-lot")).toBe("LOT-INPUT-WITH-A-LONG-IDENTIFIER-0");
    expect(await usedUp.locator("text.remaining").textContent()).toBe("COTTON-YARN-COMBED · fully consumed (0 KGM) · IN_PRODUCTION");
    await screenshot(page, "workbench-lineage-crowded");
    expect(problems).toEqual([]);
    await page.close();
  });
});
