/**
 * Every custody action through its GraphQL mutation, as a lot's whole life on a live chain: each step
 * is first offered to its actor by Lot.availableActions (with the facility or product it uses), then
 * taken, and the index shows the lot in the state the table says.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, type Actor } from "../../domain/index.js";
import {
  ANPHAT,
  ANPHAT_SIGNER,
  AUDITOR,
  FACTORY,
  GATE,
  OFFICER,
  startActionsNetwork,
  TERMINAL,
  VCCI,
  WAREHOUSE,
  type ActionsNetwork,
} from "./actions-network.js";

let network: ActionsNetwork;
const IMPORT_DECLARATION = documentHash("lifecycle import declaration");
const EXPORT_DECLARATION = documentHash("lifecycle export declaration");
const NORM = documentHash("lifecycle shirt norm");

beforeAll(async () => {
  network = await startActionsNetwork([OFFICER, AUDITOR, ANPHAT, TERMINAL, VCCI]);
  const anchor = (hash: `0x${string}`, id: string, kind: "DECLARATION" | "NORM") =>
    network.ledger.submit(ANPHAT_SIGNER, { type: "anchor", hash, id, kind, cid: "bafy-life", subjects: [] });
  await anchor(IMPORT_DECLARATION, "DECL-LIFE", "DECLARATION");
  await anchor(EXPORT_DECLARATION, "DECL-SHIRT", "DECLARATION");
  await anchor(NORM, "NORM-SHIRT", "NORM");
  await network.ledger.submit(ANPHAT_SIGNER, {
    type: "registerNorm",
    product: "SHIRT",
    hsCode: "62052000",
    unit: "PCE",
    outputQuantity: 1n,
    inputs: [{ material: "FAB-COT", quantity: 2n, wasteBps: 0 }],
    document: NORM,
  });
}, 120_000);
afterAll(async () => {
  await network?.close();
});

const INPUT_TYPES: Record<string, string> = {
  declare: "DeclareInput",
  arrive: "FacilityActionInput",
  store: "FacilityActionInput",
  receive: "FacilityActionInput",
  hold: "ReasonActionInput",
  destroy: "ReasonActionInput",
  unhold: "LotActionInput",
  release: "LotActionInput",
  depart: "LotActionInput",
  clear: "ClearInput",
  split: "SplitInput",
  transform: "TransformInput",
};

interface Offer {
  action: string;
  facilities: Array<{ id: string }>;
  products: Array<{ product: string; unit: string }>;
}

/**
 * Checks `actor` is offered `action` on `lot` (with `choice` among its facilities or products), takes it,
 * and checks the lot's state after. Not offered where the caller may not see the lot yet (`unseen`): a new
 * lot, or goods a warehouse is about to take from a customs gate.
 */
async function step(actor: Actor, lot: string, action: string, input: Record<string, unknown>, state: string, choice?: string, unseen = false): Promise<void> {
  const seen = await network.query(actor, `query($id: String!) { lot(id: $id) { availableActions { action facilities { id } products { product unit } } } }`, {
    id: lot,
  });
  if (unseen) expect(seen.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  else {
    const offers = seen.data!.lot.availableActions as Offer[];
    const offer = offers.find((candidate) => candidate.action === action);
    expect(offer, `${actor.org} is offered ${action} on ${lot}`).toBeDefined();
    if (choice !== undefined)
      expect([...offer!.facilities.map((facility) => facility.id), ...offer!.products.map((product) => product.product)]).toContain(choice);
  }
  const response = await network.query(actor, `mutation($input: ${INPUT_TYPES[action]}!) { ${action}(input: $input) { duplicate event { kind actor } } }`, {
    input,
  });
  expect(response.errors, `${action} ${lot}`).toBeUndefined();
  expect(response.data![action]).toEqual({ duplicate: false, event: { kind: action, actor: actor.org } });
  expect((await network.query(AUDITOR, `{ lot(id: "${lot}") { state } }`)).data!.lot.state, `${lot} after ${action}`).toBe(state);
}

describe("a lot's whole life through the custody mutations", () => {
  it("takes every custody action, each offered first to the caller that takes it", async () => {
    const goods = { material: "FAB-COT", hsCode: "52085200", unit: "MTR", quantity: "1000" };
    await step(ANPHAT, "LOT-LIFE", "declare", { lot: "LOT-LIFE", ...goods, direction: "IMPORT", declaration: IMPORT_DECLARATION }, "DECLARED", undefined, true);
    await step(OFFICER, "LOT-LIFE", "arrive", { lot: "LOT-LIFE", facility: GATE }, "ARRIVED", GATE);
    await step(TERMINAL, "LOT-LIFE", "store", { lot: "LOT-LIFE", facility: WAREHOUSE }, "IN_WAREHOUSE", WAREHOUSE, true);
    await step(OFFICER, "LOT-LIFE", "hold", { lot: "LOT-LIFE", reason: "papers" }, "HELD");
    await step(OFFICER, "LOT-LIFE", "unhold", { lot: "LOT-LIFE" }, "IN_WAREHOUSE");
    await step(OFFICER, "LOT-LIFE", "clear", { lot: "LOT-LIFE" }, "CLEARED");
    await step(
      TERMINAL,
      "LOT-LIFE",
      "split",
      {
        lot: "LOT-LIFE",
        parts: [
          { lot: "LIFE-A", quantity: "600" },
          { lot: "LIFE-B", quantity: "400" },
        ],
      },
      "SPLIT",
    );
    await step(TERMINAL, "LIFE-A", "release", { lot: "LIFE-A" }, "RELEASED");
    await step(ANPHAT, "LIFE-A", "receive", { lot: "LIFE-A", facility: FACTORY }, "IN_PRODUCTION", FACTORY);
    await step(
      ANPHAT,
      "LIFE-A",
      "transform",
      { product: "SHIRT", inputs: [{ lot: "LIFE-A", quantity: "100" }], outputs: [{ lot: "SHIRT-1", quantity: "50" }] },
      "IN_PRODUCTION",
      "SHIRT",
    );
    await step(
      ANPHAT,
      "SHIRT-1",
      "declare",
      { lot: "SHIRT-1", material: "SHIRT", hsCode: "62052000", unit: "PCE", quantity: "50", direction: "EXPORT", declaration: EXPORT_DECLARATION },
      "DECLARED",
    );
    await step(OFFICER, "SHIRT-1", "arrive", { lot: "SHIRT-1", facility: GATE }, "ARRIVED", GATE);
    await step(OFFICER, "SHIRT-1", "clear", { lot: "SHIRT-1" }, "CLEARED");
    await step(OFFICER, "SHIRT-1", "depart", { lot: "SHIRT-1" }, "EXPORTED");
    // The part split off a cleared lot is CLEARED too: held first, since destruction needs goods under control.
    await step(OFFICER, "LIFE-B", "hold", { lot: "LIFE-B", reason: "water damage" }, "HELD");
    await step(OFFICER, "LIFE-B", "destroy", { lot: "LIFE-B", reason: "water damage" }, "DESTROYED");
    const quantities = await network.query(AUDITOR, `{ a: lot(id: "LIFE-A") { quantity } shirt: lot(id: "SHIRT-1") { quantity unit } }`);
    expect(quantities.data).toEqual({ a: { quantity: "500" }, shirt: { quantity: "50", unit: "PCE" } });
  });
});
