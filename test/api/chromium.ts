/**
 * Debian's Chromium (driven by playwright-core) for the page tests, with a throwaway profile, and where
 * their screenshots are kept (test-artifacts/) for a person to look at.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";

const CHROMIUM = "/usr/bin/chromium";
/** Without the networking switches Chromium keeps calling home, which floods a closed network. */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const ARTIFACTS = join(process.cwd(), "test-artifacts");

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), "tracegate-chromium-"));
  await mkdir(ARTIFACTS, { recursive: true });
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 900 },
    });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

/** The scenario API and a Chromium, as the page tests start them before their tests. */
export async function startScenarioPages(): Promise<{ api: ScenarioApi; browser: Browser }> {
  const api = await startScenarioApi();
  return { api, browser: await launchChromium() };
}

/** Closes what startScenarioPages started (either may be unset if it failed). */
export async function closeScenarioPages(api: ScenarioApi | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await api?.close();
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/**
 * A page at `path`, signed in with `token` as the start page does (kept in the tab's session storage);
 * console errors and Content-Security-Policy violations are added to `problems`.
 */
export async function openSignedIn(browser: Browser, baseUrl: string, token: string, path: string, problems: string[]): Promise<Page> {
  const page = await browser.context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${path}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${path}: ${error.message}`));
  await page.goto(`${baseUrl}/`);
  await page.fill("#token", token);
  await page.click("#sign-in button");
  await page.waitForSelector("#viewer:has-text('Signed in as')");
  if (path !== "/") await page.goto(`${baseUrl}${path}`);
  return page;
}
