/**
 * The auditor's workbench in real Chromium (issue #13, item 3): GraphiQL with the network beyond the
 * API refused, and signing in from the start page with a development token. Screenshots in test-artifacts/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot, type Browser } from "./chromium.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";

let api: ScenarioApi;
let browser: Browser;

beforeAll(async () => {
  api = await startScenarioApi();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

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
        await screenshot(page, "workbench-dev-sign-in");
        expect(refused).toEqual([]);
        expect(problems).toEqual([]);
        await page.close();
      } finally {
        await api.store.db.deleteFrom("organisations").where("id", "=", "LATE-CO").execute();
      }
    });
  });

  it("mints no tokens outside development, and the start page offers none", async () => {
    const answer = await fetch(`${api.server.url}/dev/tokens`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ tokens: [] });
    const { page, problems } = await offlinePage(api.server.url);
    await page.goto(`${api.server.url}/`);
    await page.waitForSelector("#viewer:has-text('No token')");
    expect(await page.locator("#dev-sign-in").isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
