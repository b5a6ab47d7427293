/**
 * A warehouse sees what comes to it under seal: once customs seals a lot for its facility, the
 * operator of that facility's organisation finds the lot (also while customs holds it on the way),
 * and unseals it from the lot page's form in Chromium; it is then the lot's custodian. That no other
 * warehouse sees such a lot is the leak walk's to check (test/api/leak-walk.ts, DEPOT).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, type Actor } from "../../domain/index.js";
import { ANPHAT_SIGNER, AUDITOR, OFFICER, startActionsNetwork, TERMINAL, WAREHOUSE, type ActionsNetwork } from "./actions-network.js";
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

const LOT = "LOT-GATE";
const SEEN = `query($id: String!) { lot(id: $id) { state custodian seal destination } lots(first: 100) { edges { node { id } } } }`;

/** The lot as `actor` sees it (null when hidden: FORBIDDEN), and whether its lots list holds it. */
async function seenBy(actor: Actor): Promise<{ lot: Record<string, unknown> | null; listed: boolean }> {
  const response = await network.query(actor, SEEN, { id: LOT });
  expect((response.errors ?? []).map((error) => [error.path, error.extensions?.code])).toEqual(response.data!.lot === null ? [[["lot"], "FORBIDDEN"]] : []);
  return { lot: response.data!.lot, listed: response.data!.lots.edges.some(({ node }: { node: { id: string } }) => node.id === LOT) };
}

/** Custody actions by customs; the mutation answers once the index holds the event. */
async function officer(field: string, type: string, input: Record<string, unknown>): Promise<void> {
  const response = await network.query(OFFICER, `mutation($input: ${type}!) { ${field}(input: $input) { event { kind } } }`, { input });
  expect(response.errors).toBeUndefined();
  expect(response.data![field].event).toEqual({ kind: field });
}

describe("a lot sealed for a warehouse's facility", () => {
  it("is seen by the destination's operator on its way, held or not, and unsealed from its lot page", async () => {
    expect(await seenBy(TERMINAL)).toEqual({ lot: null, listed: false });

    const transit = documentHash("inbound transit declaration");
    await network.ledger.submit(ANPHAT_SIGNER, { type: "anchor", hash: transit, id: "TRANSIT-INBOUND", kind: "TRANSIT", cid: "bafy-inbound", subjects: [] });
    const arrived = Date.parse((await network.query(AUDITOR, `{ lot(id: "${LOT}") { stageSince } }`)).data!.lot.stageSince);
    const deadline = new Date(arrived + 86_400_000).toISOString();
    await officer("seal", "SealInput", { lot: LOT, facility: WAREHOUSE, seal: "ES-INBOUND", deadline, transit });
    const sealed = { state: "IN_TRANSIT", custodian: "VNCUSTOMS", seal: "ES-INBOUND", destination: WAREHOUSE };
    expect(await seenBy(TERMINAL)).toEqual({ lot: sealed, listed: true });

    // Held on the way, the lot keeps its seal and destination: still the destination's to see.
    await officer("hold", "ReasonActionInput", { lot: LOT, reason: "papers checked on the way" });
    expect(await seenBy(TERMINAL)).toEqual({ lot: { ...sealed, state: "HELD" }, listed: true });
    await officer("unhold", "LotActionInput", { lot: LOT });

    const page = await openSignedIn(browser, network.url, await network.token(TERMINAL), `/lot.html?id=${LOT}`, problems);
    await page.waitForSelector("ol.timeline");
    expect(await page.locator("#actions .action-buttons button").evaluateAll((buttons) => buttons.map((button) => button.getAttribute("data-action")))).toEqual(
      ["unseal"],
    );
    await page.click("#actions button[data-action=unseal]");
    expect(await page.locator("form.action select[name=facility] option").allTextContents()).toEqual([`${WAREHOUSE} (warehouse, run by SAIGON-TERMINAL)`]);
    await page.check("form.action input[name=sealIntact]");
    await page.click("form.action button[type=submit]");
    await page.click("form.action button.confirm");
    await page.waitForSelector(`p.outcome:has-text('unseal of ${LOT}')`);
    await screenshot(page, "lot-action-unsealed-by-warehouse");
    await page.close();

    // Arrived at its destination, the lot is the warehouse's by custody.
    expect(await seenBy(TERMINAL)).toEqual({ lot: { state: "ARRIVED", custodian: "SAIGON-TERMINAL", seal: null, destination: null }, listed: true });
  });

  it("ran the page without console errors or Content-Security-Policy violations", () => {
    expect(problems).toEqual([]);
  });
});
