/**
 * Every custody action through its GraphQL mutation, as a lot's whole life on a live chain: each step
 * is first offered to its actor by Lot.availableActions (with the facility or product it uses), then
 * taken, and the index shows the lot in the state the table says.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../api/schema/index.js";
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
const TRANSIT = documentHash("lifecycle transit declaration");

beforeAll(async () => {
  network = await startActionsNetwork([OFFICER, AUDITOR, ANPHAT, TERMINAL, VCCI]);
  const anchor = (hash: `0x${string}`, id: string, kind: "DECLARATION" | "NORM") =>
    network.ledger.submit(ANPHAT_SIGNER, { type: "anchor", hash, id, kind, cid: "bafy-life", subjects: [] });
  await anchor(IMPORT_DECLARATION, "DECL-LIFE", "DECLARATION");
  await anchor(EXPORT_DECLARATION, "DECL-SHIRT", "DECLARATION");
  await anchor(NORM, "NORM-SHIRT", "NORM");
  await network.ledger.submit(ANPHAT_SIGNER, { type: "anchor", hash: TRANSIT, id: "TRANSIT-LIFE", kind: "TRANSIT", cid: "bafy-transit", subjects: [] });
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

/** The mutation's input type for an action, as the schema declares it. */
function inputType(action: string): string {
  const input = schema
    .getMutationType()
    ?.getFields()
    [action]?.args.find(({ name }) => name === "input");
  if (input === undefined) throw new Error(`no mutation ${action}(input: …) in the schema`);
  return String(input.type).replace(/!$/, "");
}

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
  const response = await network.query(actor, `mutation($input: ${inputType(action)}!) { ${action}(input: $input) { duplicate event { kind actor } } }`, {
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

  it("carries lots under seal: seal, alert and unseal offered to the roles that may, refusals changing nothing", async () => {
    const goods = { material: "FAB-COT", hsCode: "52085200", unit: "MTR", quantity: "1000" };
    const transitFields = `{ state location custodian seal destination deadline }`;
    const lotOf = async (lot: string) => (await network.query(AUDITOR, `query($id: String!) { lot(id: $id) ${transitFields} }`, { id: lot })).data!.lot;
    const refused = async (actor: Actor, action: string, input: Record<string, unknown>) => {
      const response = await network.query(actor, `mutation($input: ${inputType(action)}!) { ${action}(input: $input) { duplicate } }`, { input });
      expect(response.errors, `${action} refused`).toHaveLength(1);
      const { code, reason } = (response.errors![0]!.extensions ?? {}) as { code?: string; reason?: string };
      return [code, reason];
    };
    const declaration = documentHash("lifecycle transit lots");
    await network.ledger.submit(ANPHAT_SIGNER, { type: "anchor", hash: declaration, id: "DECL-TRANSIT", kind: "DECLARATION", cid: "bafy-t", subjects: [] });
    for (const lot of ["LOT-SEAL", "LOT-BROKEN"]) {
      await step(ANPHAT, lot, "declare", { lot, ...goods, direction: "IMPORT", declaration }, "DECLARED", undefined, true);
      await step(OFFICER, lot, "arrive", { lot, facility: GATE }, "ARRIVED", GATE);
    }
    // The deadline is the ledger's time: a day after the arrival the index recorded.
    const arrived = await network.query(AUDITOR, `{ lot(id: "LOT-SEAL") { stageSince } }`);
    const at = BigInt(Date.parse(arrived.data!.lot.stageSince) / 1000);
    const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();
    const seal = (lot: string, extra: Record<string, unknown> = {}) => ({
      lot,
      facility: WAREHOUSE,
      seal: `ES-${lot}`,
      deadline: iso(at + 86_400n),
      transit: TRANSIT,
      ...extra,
    });

    // Only customs may seal: the owner is not offered it and is refused; a gate is no destination; 31 days is too long.
    const ownerOffers = (await network.query(ANPHAT, `{ lot(id: "LOT-SEAL") { availableActions { action } } }`)).data!.lot.availableActions;
    expect(ownerOffers.map((offer: { action: string }) => offer.action)).not.toContain("seal");
    expect(await refused(ANPHAT, "seal", seal("LOT-SEAL"))).toEqual(["REFUSED", "NOT_AUTHORIZED"]);
    // The warehouse may not see the lot yet: its refusal says no more than that.
    expect(await refused(TERMINAL, "seal", seal("LOT-SEAL"))).toEqual(["FORBIDDEN", undefined]);
    expect(await refused(OFFICER, "seal", seal("LOT-SEAL", { facility: GATE }))).toEqual(["REFUSED", "WRONG_FACILITY_KIND"]);
    expect(await refused(OFFICER, "seal", seal("LOT-SEAL", { deadline: iso(at + 31n * 86_400n) }))).toEqual(["BAD_USER_INPUT", "INVALID_ARGUMENT"]);
    expect(await refused(OFFICER, "seal", seal("LOT-SEAL", { transit: declaration }))).toEqual(["REFUSED", "DOCUMENT_KIND_MISMATCH"]);
    expect(await lotOf("LOT-SEAL")).toEqual({ state: "ARRIVED", location: GATE, custodian: "VNCUSTOMS", seal: null, destination: null, deadline: null });

    await step(OFFICER, "LOT-SEAL", "seal", seal("LOT-SEAL"), "IN_TRANSIT", WAREHOUSE);
    expect(await lotOf("LOT-SEAL")).toEqual({
      state: "IN_TRANSIT",
      location: GATE,
      custodian: "VNCUSTOMS",
      seal: "ES-LOT-SEAL",
      destination: WAREHOUSE,
      deadline: iso(at + 86_400n),
    });
    // A sealed load stays whole: split is no longer offered, and refused.
    const sealedOffers = (await network.query(OFFICER, `{ lot(id: "LOT-SEAL") { availableActions { action } } }`)).data!.lot.availableActions;
    expect(sealedOffers.map((offer: { action: string }) => offer.action)).toEqual(["hold", "unseal", "alert"]);
    expect(
      await refused(OFFICER, "split", {
        lot: "LOT-SEAL",
        parts: [
          { lot: "SEAL-A", quantity: "500" },
          { lot: "SEAL-B", quantity: "500" },
        ],
      }),
    ).toEqual(["REFUSED", "ILLEGAL_TRANSITION"]);

    expect(await refused(OFFICER, "alert", { lot: "LOT-SEAL", seal: "ES-OTHER", alert: "OPENED" })).toEqual(["REFUSED", "SEAL_MISMATCH"]);
    await step(OFFICER, "LOT-SEAL", "alert", { lot: "LOT-SEAL", seal: "ES-LOT-SEAL", alert: "LONG_STOP", detail: "3 h at km 41" }, "IN_TRANSIT");
    // The destination's operator sees the lot sealed for its warehouse: it is offered the unseal there and takes it.
    await step(TERMINAL, "LOT-SEAL", "unseal", { lot: "LOT-SEAL", facility: WAREHOUSE, sealIntact: true }, "ARRIVED", WAREHOUSE);
    expect(await lotOf("LOT-SEAL")).toEqual({
      state: "ARRIVED",
      location: WAREHOUSE,
      custodian: "SAIGON-TERMINAL",
      seal: null,
      destination: null,
      deadline: null,
    });
    // Arrived at the warehouse, it cannot be sealed for where it is.
    expect(await refused(OFFICER, "seal", seal("LOT-SEAL"))).toEqual(["REFUSED", "WRONG_DESTINATION"]);

    await step(OFFICER, "LOT-BROKEN", "seal", seal("LOT-BROKEN"), "IN_TRANSIT", WAREHOUSE);
    await step(OFFICER, "LOT-BROKEN", "alert", { lot: "LOT-BROKEN", seal: "ES-LOT-BROKEN", alert: "OPENED" }, "IN_TRANSIT");
    expect(await refused(OFFICER, "unseal", { lot: "LOT-BROKEN", facility: WAREHOUSE, sealIntact: false })).toEqual(["BAD_USER_INPUT", "REASON_REQUIRED"]);
    expect(await refused(ANPHAT, "unseal", { lot: "LOT-BROKEN", facility: WAREHOUSE, sealIntact: true })).toEqual(["REFUSED", "NOT_AUTHORIZED"]);
    await step(OFFICER, "LOT-BROKEN", "unseal", { lot: "LOT-BROKEN", facility: WAREHOUSE, sealIntact: false, reason: "wire cut" }, "HELD", WAREHOUSE);
    const history = await network.query(AUDITOR, `{ lot(id: "LOT-BROKEN") { priorState history(first: 10) { edges { node { kind reason flagged } } } } }`);
    expect(history.data!.lot.priorState).toBe("ARRIVED");
    expect(history.data!.lot.history.edges.map(({ node }: { node: Record<string, unknown> }) => node).slice(-3)).toEqual([
      { kind: "seal", reason: null, flagged: false },
      { kind: "alert", reason: "OPENED", flagged: true },
      { kind: "unseal", reason: "SEAL_BROKEN: wire cut", flagged: true },
    ]);
  });
});
