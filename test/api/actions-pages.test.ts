/**
 * The lot page's Actions panel in real Chromium, against the API with a writer on a live chain and
 * indexer: an officer holds a lot from the form and sees the timeline take it, a refusal shows the
 * ledger's reason, a caller who may take no action sees no panel, and an officer seals a lot for
 * transit, records its seal's alert and unseals it at its destination.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, type Actor } from "../../domain/index.js";
import {
  ANPHAT,
  ANPHAT_SIGNER,
  AUDITOR,
  FACTORY,
  LedgerWriter,
  OFFICER,
  startActionsNetwork,
  TERMINAL,
  WAREHOUSE,
  type ActionsNetwork,
} from "./actions-network.js";
import { launchChromium, openSignedIn, screenshot, type Browser } from "./chromium.js";

let network: ActionsNetwork;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  network = await startActionsNetwork();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await network?.close();
});

async function lotPage(actor: Actor, lot: string): Promise<Page> {
  const page = await openSignedIn(browser, network.url, await network.token(actor), `/lot.html?id=${lot}`, problems);
  await page.waitForSelector("ol.timeline");
  return page;
}

const offered = (page: Page) =>
  page.locator("#actions .action-buttons button").evaluateAll((buttons) => buttons.map((button) => button.getAttribute("data-action")));

describe("the lot page's actions in Chromium", () => {
  it("lets an officer hold a lot from the form: confirm, a disabled form while sending, accepted, the timeline updated", async () => {
    const page = await lotPage(OFFICER, "LOT-WH");
    expect(await offered(page)).toEqual(["hold", "clear", "destroy"]);
    await page.click("#actions button[data-action=hold]");
    await page.click("form.action button[type=submit]");
    expect(await page.textContent("form.action .form-status")).toContain("State the reason.");
    await page.fill("form.action textarea[name=reason]", "container seal broken");
    await page.click("form.action button[type=submit]");
    await page.waitForSelector("form.action .review button.confirm");
    expect(await page.textContent("form.action .review")).toContain("You, VNCUSTOMS (OFFICER), are about to hold LOT-WH:reason: “container seal broken”");
    await screenshot(page, "lot-action-confirm");

    // Hold the mutation back until the sending state has been seen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/graphql", async (route) => {
      if (route.request().postData()?.includes("mutation")) await held;
      await route.continue();
    });
    await page.click("form.action button.confirm");
    await page.waitForSelector("form.action[aria-busy=true]");
    expect(await page.locator("#actions button").evaluateAll((buttons) => buttons.every((button) => (button as HTMLButtonElement).disabled))).toBe(true);
    expect(await page.textContent("form.action .form-status")).toContain("Sending to the ledger");
    await screenshot(page, "lot-action-sending");
    release();

    await page.waitForSelector("p.outcome");
    expect(await page.textContent("p.outcome")).toMatch(
      /^Accepted: hold of LOT-WH is recorded on the ledger \(transaction 0x[0-9a-f]{8}…[0-9a-f]{6}\)\. The timeline below shows it\.$/,
    );
    const last = page.locator("ol.timeline > li").last();
    expect(await last.getAttribute("data-kind")).toBe("hold");
    expect(await page.getAttribute("p.outcome code", "title")).toBe(await last.locator("code").getAttribute("title"));
    expect(await last.textContent()).toContain("VNCUSTOMS at VNSGN-BONDED-1 · “container seal broken”");
    expect(await page.textContent("dl.facts")).toContain("HELD since");
    expect(await offered(page)).toEqual(["unhold", "destroy"]);
    await screenshot(page, "lot-action-accepted");
    await page.close();
  });

  it("after a lost answer says the outcome is unknown, sends the same form as the same event, and a changed form as a new one", async () => {
    // LOT-WH, held by the test before: an officer records its destruction, and the answer is lost on the way back.
    const page = await openSignedIn(browser, network.url, await network.token(OFFICER), "/lot.html?id=LOT-WH", []);
    await page.waitForSelector("#actions button[data-action=destroy]");
    const sent: string[] = [];
    let lose = true;
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (!body.includes("mutation")) return route.continue();
      sent.push(JSON.parse(body).variables.input.eventId);
      if (!lose) return route.continue();
      lose = false;
      await route.fetch();
      await route.abort("connectionreset");
    });
    const confirmWith = async (reason: string) => {
      await page.fill("form.action textarea[name=reason]", reason);
      await page.click("form.action button[type=submit]");
      await page.click("form.action button.confirm");
    };
    await page.click("#actions button[data-action=destroy]");
    await confirmWith("spoilt in the flood");
    await page.waitForSelector("form.action .form-status p.error");
    const status = page.locator("form.action .form-status");
    expect(await status.locator("p").allTextContents()).toEqual([
      "No answer from TraceGate: the action may or may not have been recorded.",
      "What to do next: send it again unchanged (“Send it again unchanged” above): the ledger applies it at most once, and says so if it was already recorded. " +
        "Or reload the page to see the lot as it is now. A changed form is sent as a new action.",
    ]);
    expect(await page.textContent("form.action button.confirm")).toBe("Send it again unchanged");
    expect(await page.locator("form.action button.confirm").isEnabled()).toBe(true);
    await screenshot(page, "lot-action-lost-answer");
    await expect.poll(async () => (await network.query(AUDITOR, `{ lot(id: "LOT-WH") { state } }`)).data!.lot.state).toBe("DESTROYED");

    // Changed, the form is a new event: not taken for the one recorded (the ledger refuses it, the lot being destroyed).
    await confirmWith("spoilt in the flood, 40 cartons");
    await page.waitForSelector("form.action .form-status p.error");
    expect(await status.textContent()).toContain("Refused by the ledger");
    expect(sent[1]).not.toBe(sent[0]);
    // Unchanged again, it is the event recorded: a duplicate, said to be that same action.
    await confirmWith("spoilt in the flood");
    await page.waitForSelector("p.outcome");
    expect(sent[2]).toBe(sent[0]);
    expect(await page.textContent("p.outcome")).toBe(
      `This same record destruction of LOT-WH, as reviewed, was already recorded under its event (${sent[0]}); nothing was done again. The timeline below shows it.`,
    );
    expect(await page.locator("ol.timeline > li").last().textContent()).toContain("“spoilt in the flood”");
    await page.close();
  });

  it("shows a refusal in plain words with the ledger's reason, and changes nothing", async () => {
    const page = await lotPage(OFFICER, "LOT-GATE");
    await page.click("#actions button[data-action=clear]");
    expect(await page.textContent("form.action")).toContain("Certificate of origin (required)");
    await page.click("form.action button[type=submit]");
    expect(await page.textContent("form.action .form-status")).toContain("This lot needs a certificate of origin");
    await page.fill("form.action input[name=co]", `0x${"ab".repeat(32)}`);
    await page.click("form.action button[type=submit]");
    await page.click("form.action button.confirm");
    await page.waitForSelector("form.action .form-status p.error");
    const status = await page.textContent("form.action .form-status");
    expect(status).toContain("Refused by the ledger (UNKNOWN_DOCUMENT). Nothing was changed.");
    expect(status).toContain("What to do next: anchor the document first, or check its hash; or reload the page to see the lot as it is now.");
    expect(await page.locator("form.action button.confirm").isDisabled()).toBe(true);
    expect(await page.locator("form.action button[type=submit]").isEnabled()).toBe(true);
    await screenshot(page, "lot-action-refused");
    expect((await network.query(AUDITOR, `{ lot(id: "LOT-GATE") { state } }`)).data!.lot.state).toBe("ARRIVED");
    await page.close();
  });

  it("shows no Actions panel to a caller who may take none: an auditor, an enterprise this node holds no key for", async () => {
    for (const actor of [AUDITOR, ANPHAT]) {
      const page = await lotPage(actor, "LOT-WH2");
      expect(await page.locator("#actions").count()).toBe(0);
      if (actor === AUDITOR) await screenshot(page, "lot-no-actions");
      await page.close();
    }
  });

  it("offers a split with parts in the lot's unit that must add up", async () => {
    const page = await lotPage(OFFICER, "LOT-GATE");
    await page.click("#actions button[data-action=split]");
    expect(await page.locator("form.action .part .unit").allTextContents()).toEqual(["MTR", "MTR"]);
    expect(await page.textContent("form.action fieldset")).toContain("adds up to 1000 of 1000 MTR");
    await page.fill("form.action input[name=parts-quantity] >> nth=1", "400");
    expect(await page.textContent("form.action fieldset")).toContain("adds up to 900 of 1000 MTR");
    await page.click("form.action button[type=submit]");
    expect(await page.textContent("form.action .form-status")).toBe("The parts add up to 900 MTR: they must add up to the lot's 1000.");
    await screenshot(page, "lot-action-split");
    await page.close();
  });

  it("lets an enterprise receive its released lot, make a product and declare it for export, all from the forms", async () => {
    // On the chain: AN-PHAT's norm for shirts and an export declaration; LOT-WH2 cleared and released to AN-PHAT.
    const norm = documentHash("pages shirt norm");
    const exportDeclaration = documentHash("pages shirt export declaration");
    await network.ledger.submit(ANPHAT_SIGNER, { type: "anchor", hash: norm, id: "NORM-SHIRT", kind: "NORM", cid: "bafy-norm", subjects: [] });
    await network.ledger.submit(ANPHAT_SIGNER, {
      type: "anchor",
      hash: exportDeclaration,
      id: "DECL-SHIRT",
      kind: "DECLARATION",
      cid: "bafy-decl",
      subjects: [],
    });
    await network.ledger.submit(ANPHAT_SIGNER, {
      type: "registerNorm",
      product: "SHIRT",
      hsCode: "62052000",
      unit: "PCE",
      outputQuantity: 1n,
      inputs: [{ material: "FAB-COT", quantity: 2n, wasteBps: 0 }],
      document: norm,
    });
    await network.ledger.submit(OFFICER, { type: "clear", lot: "LOT-WH2", co: null, permit: null });
    await network.ledger.submit(TERMINAL, { type: "release", lot: "LOT-WH2" });
    await expect.poll(async () => (await network.query(AUDITOR, `{ lot(id: "LOT-WH2") { state } }`)).data!.lot.state).toBe("RELEASED");
    // An API whose node holds AN-PHAT's key.
    const enterprise = await network.serve(new LedgerWriter(network.ledger, [ANPHAT]));
    const page = await openSignedIn(browser, enterprise.url, await network.token(ANPHAT), "/lot.html?id=LOT-WH2", problems);
    await page.waitForSelector("#actions");
    expect(await offered(page)).toEqual(["receive", "split"]);

    await page.click("#actions button[data-action=receive]");
    expect(await page.locator("form.action select[name=facility] option").allTextContents()).toEqual([`${FACTORY} (factory, run by AN-PHAT)`]);
    await page.click("form.action button[type=submit]");
    await page.click("form.action button.confirm");
    await page.waitForSelector("p.outcome:has-text('receive into production')");
    expect(await offered(page)).toEqual(["transform", "split"]);

    await page.click("#actions button[data-action=transform]");
    expect(await page.locator("p.outcome").count()).toBe(0);
    expect(await page.locator("form.action select[name=product] option").allTextContents()).toEqual(["SHIRT (PCE)"]);
    await page.fill("form.action input[name=consumed]", "100");
    await page.fill("form.action input[name=outputs-quantity]", "50");
    expect(await page.locator("form.action .part .unit").allTextContents()).toEqual(["PCE"]);
    await page.click("form.action button[type=submit]");
    expect(await page.textContent("form.action .review")).toContain("consuming 100 MTR of LOT-WH2");
    await screenshot(page, "lot-action-transform");
    await page.click("form.action button.confirm");
    await page.waitForSelector("p.outcome:has-text('transform of LOT-WH2')");
    expect(await page.locator("ol.timeline > li").last().getAttribute("data-kind")).toBe("transform");
    expect(await page.textContent("dl.facts")).toContain("900 MTR");

    await page.goto(`${enterprise.url}/lot.html?id=LOT-WH2-P-A`);
    await page.waitForSelector("#actions");
    expect(await offered(page)).toEqual(["declare", "split"]);
    await page.click("#actions button[data-action=declare]");
    expect(await page.textContent("form.action")).toContain("Goods: 50 PCE of SHIRT (HS 62052000), as the lot holds.");
    await page.fill("form.action input[name=declaration]", exportDeclaration);
    await page.click("form.action button[type=submit]");
    await page.click("form.action button.confirm");
    await page.waitForSelector("p.outcome:has-text('declare of LOT-WH2-P-A')");
    expect(await page.textContent("dl.facts")).toContain("DECLARED since");
    await screenshot(page, "lot-action-declared");
    await page.close();
  });

  it("lets an officer seal a lot for transit and unseal it at its destination, from the forms", async () => {
    const transit = documentHash("pages transit declaration");
    await network.ledger.submit(ANPHAT_SIGNER, { type: "anchor", hash: transit, id: "TRANSIT-PAGE", kind: "TRANSIT", cid: "bafy-transit", subjects: [] });
    const page = await lotPage(OFFICER, "LOT-GATE");
    expect(await offered(page)).toContain("seal");
    await page.click("#actions button[data-action=seal]");
    expect(await page.locator("form.action select[name=facility] option").allTextContents()).toEqual([`${WAREHOUSE} (warehouse, run by SAIGON-TERMINAL)`]);
    expect(await page.textContent("form.action")).toContain("Transit declaration (required)");
    await page.click("form.action button[type=submit]");
    expect(await page.textContent("form.action .form-status")).toBe("Give the seal's id: 1 to 31 characters, no spaces.");
    // The deadline a day after the lot's arrival, on the ledger's clock, typed as the browser's local time.
    const arrived = Date.parse((await network.query(AUDITOR, `{ lot(id: "LOT-GATE") { stageSince } }`)).data!.lot.stageSince);
    const deadline = Math.ceil((arrived + 86_400_000) / 60_000) * 60_000;
    const local = await page.evaluate((ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16), deadline);
    await page.fill("form.action input[name=seal]", "ES-PAGE-1");
    await page.fill("form.action input[name=deadline]", local);
    await page.fill("form.action input[name=transit]", transit);
    await page.click("form.action button[type=submit]");
    const review = await page.textContent("form.action .review");
    expect(review).toContain(`to ${WAREHOUSE}`);
    expect(review).toContain("under seal ES-PAGE-1");
    // The deadline as every page writes times: in UTC, whatever the browser's zone.
    expect(review).toContain(`to arrive by ${new Date(deadline).toISOString().slice(0, 16).replace("T", " ")} UTC`);
    await screenshot(page, "lot-action-seal");
    await page.click("form.action button.confirm");
    await page.waitForSelector("p.outcome:has-text('seal for transit of LOT-GATE')");
    const facts = await page.textContent("dl.facts");
    expect(facts).toContain("IN_TRANSIT since");
    expect(facts).toContain("SealES-PAGE-1");
    expect(facts).toContain(`Destination${WAREHOUSE}`);
    expect(facts).toContain(`Deadline${new Date(deadline).toISOString().slice(0, 16).replace("T", " ")} UTC`);
    expect(await offered(page)).toEqual(["hold", "unseal", "alert"]);

    // The seal reports on the way: the alert names the lot's own seal.
    await page.click("#actions button[data-action=alert]");
    expect(await page.textContent("form.action")).toContain(`Seal ES-PAGE-1, to ${WAREHOUSE}.`);
    await page.selectOption("form.action select[name=alert]", "LONG_STOP");
    await page.fill("form.action textarea[name=detail]", "3 h at km 41");
    await page.click("form.action button[type=submit]");
    expect(await page.textContent("form.action .review")).toContain("alert LONG_STOP from seal ES-PAGE-1");
    await page.click("form.action button.confirm");
    await page.waitForSelector("p.outcome:has-text('record a seal alert of LOT-GATE')");
    const alerted = page.locator("ol.timeline > li").last();
    expect(await alerted.getAttribute("data-kind")).toBe("alert");
    expect(await alerted.textContent()).toContain("“LONG_STOP: 3 h at km 41”");

    await page.click("#actions button[data-action=unseal]");
    expect(await page.locator("form.action select[name=facility] option").allTextContents()).toEqual([`${WAREHOUSE} (warehouse, run by SAIGON-TERMINAL)`]);
    await page.uncheck("form.action input[name=sealIntact]");
    await page.click("form.action button[type=submit]");
    expect(await page.textContent("form.action .form-status")).toBe("The seal is broken: say what was found.");
    await page.check("form.action input[name=sealIntact]");
    await page.fill("form.action textarea[name=reason]", "seal ES-PAGE-1 checked");
    await page.click("form.action button[type=submit]");
    expect(await page.textContent("form.action .review")).toContain("seal intact");
    await page.click("form.action button.confirm");
    await page.waitForSelector("p.outcome:has-text('unseal of LOT-GATE')");
    expect(await page.locator("ol.timeline > li").last().getAttribute("data-kind")).toBe("unseal");
    expect(await page.textContent("dl.facts")).not.toContain("Seal");
    await screenshot(page, "lot-action-unsealed");
    expect((await network.query(AUDITOR, `{ lot(id: "LOT-GATE") { state location custodian seal } }`)).data!.lot).toEqual({
      state: "ARRIVED",
      location: WAREHOUSE,
      custodian: "SAIGON-TERMINAL",
      seal: null,
    });
    await page.close();
  });

  it("ran every page without console errors or Content-Security-Policy violations", () => {
    expect(problems).toEqual([]);
  });
});
