/**
 * A lot's trip under seal on the lot page in Chromium: the timeline marks the sealing, the alerts and
 * the unseal with the seal broken and the time against the deadline; the trip panel draws the e-seal's
 * track as inline SVG (route, start and end, one marker per alert with its title, a scale in km) with
 * nothing loaded from elsewhere; the Findings page lists the trip's findings. Screenshots in
 * test-artifacts/ (lot-trip.png, lot-trip-track.png, findings-transit.png).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeScenarioPages, openSignedIn, screenshot, startScenarioPages, type Browser } from "./chromium.js";
import type { ScenarioApi } from "./scenario-api.js";
import { addTrips, TRIP } from "./scenario-trip.js";

let api: ScenarioApi;
let browser: Browser;
const problems: string[] = [];
/** Requests the pages made to anywhere but the API itself. */
const outside: string[] = [];

beforeAll(async () => {
  ({ api, browser } = await startScenarioPages());
  await addTrips(api);
  browser.context.on("request", (request) => {
    if (!request.url().startsWith(api.server.url)) outside.push(request.url());
  });
}, 120_000);
afterAll(() => closeScenarioPages(api, browser));

it("shows the trip in the timeline: sealed, alerts, unsealed with the seal broken, against the deadline", async () => {
  const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, `/lot.html?id=${TRIP.lot}`, problems);
  await page.waitForSelector(`section.trip[data-seal=${TRIP.seal}]`);
  const entries = page.locator("ol.timeline > li");
  expect(await entries.evaluateAll((items) => items.map((item) => item.getAttribute("data-kind")))).toEqual([
    "declare",
    "arrive",
    "seal",
    "alert",
    "alert",
    "unseal",
  ]);
  expect(await page.locator("ol.timeline > li[data-kind=seal]").textContent()).toContain(`sealed ${TRIP.seal}`);
  expect(await page.locator("ol.timeline > li[data-kind=seal]").textContent()).toContain("for WH-1 by 2027-01-20 15:30 UTC (6 h 00 min allowed)");
  expect(await page.locator("ol.timeline > li[data-kind=alert] .badge").allTextContents()).toEqual(["ROUTE_DEVIATION", "OPENED"]);
  const unseal = page.locator("ol.timeline > li[data-kind=unseal]");
  expect(await unseal.locator(".badge.bad").textContent()).toBe("seal broken");
  expect(await unseal.textContent()).toContain("8 h 00 min in transit of 6 h 00 min allowed, 2 h 00 min past the deadline");
  expect(await unseal.textContent()).not.toContain("over norm");

  const panel = page.locator(`section.trip[data-seal=${TRIP.seal}]`);
  expect(await panel.locator("h3").textContent()).toBe(`Seal ${TRIP.seal}: GATE-1 → WH-1 seal broken`);
  expect(await panel.textContent()).toContain("Transit declaration TRANSIT-X2");
  // Its readings were never captured on this node: said so, nothing drawn.
  expect(await panel.textContent()).toContain("No e-seal readings of this trip are available here.");
  expect(await panel.locator("svg").count()).toBe(0);
  await screenshot(page, "lot-trip");
  await page.close();
  expect(problems).toEqual([]);
}, 60_000);

it("draws a trip's track as inline SVG, its markers titled and inside it, from nothing outside", async () => {
  const { onTheWay } = TRIP;
  const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, `/lot.html?id=${onTheWay.lot}`, problems);
  await page.waitForSelector(`svg[aria-label='Track of seal ${onTheWay.seal}']`);
  const panel = page.locator(`section.trip[data-seal=${onTheWay.seal}]`);
  expect(await panel.locator(".badge.outcome").textContent()).toBe("overdue, not arrived");
  expect(await panel.textContent()).toContain("not unsealed yet");
  expect(await panel.textContent()).toContain("1 h 30 min past the deadline");
  const svg = panel.locator("svg");
  expect(await svg.locator("polyline.route").count()).toBe(2); // closed, then open from the OPENED reading
  expect(await svg.locator("polyline.route.open").count()).toBe(1);
  expect(await svg.locator("g.marker.start title").textContent()).toMatch(/^Sealed at GATE-1: first reading 2027-01-20 10:00 UTC$/);
  expect(await svg.locator("g.marker.end title").textContent()).toMatch(/^Last reading .*, on the way to WH-1$/);
  expect(await svg.locator("g.marker.alert").evaluateAll((markers) => markers.map((marker) => marker.getAttribute("data-alert")))).toEqual([
    "ROUTE_DEVIATION",
    "OPENED",
  ]);
  expect(await svg.locator("g.marker.alert title").first().textContent()).toBe("ROUTE_DEVIATION: left QL1A near Lang Son · 2027-01-20 11:40 UTC");
  expect(await svg.locator("g.scale text").textContent()).toMatch(/^(1|2|5)0* km$/);
  // Every marker sits inside the drawing.
  const box = (await svg.boundingBox())!;
  for (const marker of await svg.locator("g.marker").all()) {
    const at = (await marker.boundingBox())!;
    expect(at.x).toBeGreaterThanOrEqual(box.x);
    expect(at.y).toBeGreaterThanOrEqual(box.y);
    expect(at.x + at.width).toBeLessThanOrEqual(box.x + box.width);
    expect(at.y + at.height).toBeLessThanOrEqual(box.y + box.height);
  }
  expect(await page.locator("ol.timeline > li[data-kind=seal]").textContent()).toContain(`sealed ${onTheWay.seal}`);
  await screenshot(page, "lot-trip-track");
  await page.close();
  expect(outside).toEqual([]);
  expect(problems).toEqual([]);
}, 60_000);

it("lists the trip's findings on the Findings page, its times and durations in words", async () => {
  const page = await openSignedIn(browser, api.server.url, api.tokens.auditor, "/findings.html", problems);
  await page.waitForSelector("#findings tbody tr");
  /** Waits until every listed finding is of `kind`: the list is drawn again once the filter's answer is in. */
  const only = (kind: string) =>
    page.waitForFunction((kind) => {
      const rows = [...document.querySelectorAll("#findings tbody tr")];
      return rows.length > 0 && rows.every((row) => row.getAttribute("data-kind") === kind);
    }, kind);
  await page.selectOption("select[name='kind']", "SEAL_BROKEN");
  await only("SEAL_BROKEN");
  expect(await page.locator("#findings tbody tr").count()).toBe(1); // LOT-X3's seal is not checked yet
  const row = page.locator("#findings tbody tr[data-kind=SEAL_BROKEN]");
  expect(await row.locator(".severity").textContent()).toBe("CRITICAL 90");
  const text = (await row.textContent()) ?? "";
  expect(text).toContain(`${TRIP.lot} (250 PCE of CHIP, ENT-2), sealed under ${TRIP.seal} at GATE-1`);
  expect(text).toContain('with the seal broken ("wire cut")');
  expect(text).toContain("sealed 2027-01-20 09:30 UTC · deadline 2027-01-20 15:30 UTC");
  expect(text).toContain("arrived 2027-01-20 17:30 UTC");
  expect(text).toContain("in transit 8 h 00 min");
  await page.selectOption("select[name='kind']", "TRANSIT_OVERDUE");
  await only("TRANSIT_OVERDUE");
  const overdue = page.locator("#findings tbody tr[data-kind=TRANSIT_OVERDUE]");
  expect(await overdue.count()).toBe(2);
  expect(await overdue.filter({ hasText: `${TRIP.lot} (` }).textContent()).toContain("late 2 h 00 min");
  expect(await overdue.filter({ hasText: `${TRIP.onTheWay.lot} (` }).textContent()).toContain("has not arrived: no unseal is recorded");
  expect(
    await overdue
      .filter({ hasText: `${TRIP.onTheWay.lot} (` })
      .locator(".severity")
      .textContent(),
  ).toBe("HIGH 85");
  await screenshot(page, "findings-transit");
  await page.close();
  expect(problems).toEqual([]);
}, 60_000);
