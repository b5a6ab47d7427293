/**
 * The actions offered on a lot are exactly those the rules accept: for random lots and every actor,
 * an action (with a facility, a product) is offered iff `decide` accepts it with the form's arguments
 * filled in well (a reason, valid documents, parts that add up, new lot ids).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  availableActions,
  CUSTODY_ACTIONS,
  decide,
  declarationInForce,
  DIRECTIONS,
  documentHash,
  LOT_STATES,
  MapLedgerView,
  memberOrganisation,
  TraceGateError,
  type Actor,
  type CustodyAction,
  type CustodyActionType,
  type DocumentAnchor,
  type DocumentKind,
  type Hash,
  type Lot,
  type LotState,
  type Norm,
} from "../../domain/index.js";
import { toJson } from "../../domain/json-shapes.js";
import { ACTORS, FACILITIES, ORGANISATIONS, PRODUCTS } from "../differential/world.js";

const ORG_IDS = [...ORGANISATIONS.map((organisation) => organisation.id), "GHOST"];
const hashOf = (name: string): Hash => documentHash(`available-actions ${name}`);
const declarationOf = (org: string) => hashOf(`declaration of ${org}`);
/** The declaration a declare form supplies: a new one, issued by the declarant. */
const newDeclarationOf = (org: string) => hashOf(`new declaration of ${org}`);
const CO = hashOf("co");
const PERMIT = hashOf("permit");
const TRANSIT = hashOf("transit");
/** The time the actions are decided at, and the deadline of a lot in transit and of a seal's form. */
const NOW = 1_000n;
const DEADLINE = NOW + 3_600n;
const NEW_LOTS = ["NEW-1", "NEW-2"];

function anchor(hash: Hash, kind: DocumentKind, issuer: string, status: DocumentAnchor["status"] = "VALID"): DocumentAnchor {
  return { hash, id: kind, kind, cid: "bafy", issuer, subjects: [], version: 1, supersedes: null, supersededBy: null, status, anchoredAt: 0n };
}

/** What became of the lot's declaration: as it was, revoked, or amended (and the amendment revoked or not). */
const DECLARATION_FATES = ["VALID", "REVOKED", "AMENDED", "AMENDED_THEN_REVOKED"] as const;
type DeclarationFate = (typeof DECLARATION_FATES)[number];

/** One lot in a registered world: every organisation's declaration, a C/O, a permit, and norms (ELECTRO's maybe revoked). */
class World extends MapLedgerView {
  constructor(lot: Lot, electroNormValid: boolean, fate: DeclarationFate = "VALID") {
    super();
    for (const organisation of ORGANISATIONS) this.organisations.set(organisation.id, organisation);
    for (const facility of FACILITIES) this.facilities.set(facility.id, facility);
    for (const org of ORG_IDS) {
      for (const hash of [declarationOf(org), newDeclarationOf(org)]) this.documents.set(hash, anchor(hash, "DECLARATION", org));
    }
    const original = declarationOf(lot.owner);
    const amendment = hashOf(`amendment of ${lot.owner}`);
    if (fate === "REVOKED") this.documents.set(original, anchor(original, "DECLARATION", lot.owner, "REVOKED"));
    if (fate === "AMENDED" || fate === "AMENDED_THEN_REVOKED") {
      this.documents.set(original, { ...anchor(original, "DECLARATION", lot.owner, "SUPERSEDED"), supersededBy: amendment });
      this.documents.set(amendment, {
        ...anchor(amendment, "DECLARATION", lot.owner, fate === "AMENDED" ? "VALID" : "REVOKED"),
        version: 2,
        supersedes: original,
      });
    }
    this.documents.set(CO, anchor(CO, "CO", "VCCI"));
    this.documents.set(PERMIT, anchor(PERMIT, "PERMIT", "VCCI"));
    this.documents.set(TRANSIT, anchor(TRANSIT, "TRANSIT", "GARMENT"));
    const norms: Array<[string, string, boolean]> = [
      ["GARMENT", "SHIRT", true],
      ["ELECTRO", "BOARD", electroNormValid],
    ];
    for (const [owner, product, valid] of norms) {
      const document = hashOf(`norm ${owner}`);
      this.documents.set(document, anchor(document, "NORM", owner, valid ? "VALID" : "REVOKED"));
      const norm: Norm = {
        owner,
        product,
        hsCode: "62052000",
        unit: "PCE",
        outputQuantity: 1n,
        inputs: [{ material: lot.material, quantity: 1n, wasteBps: 0 }],
        document,
      };
      this.norms.set(`${owner}/${product}`, norm);
    }
    this.lots.set(lot.id, lot);
  }

  /** The actor's norms whose document is VALID, as the API lists them. */
  async validNorms(owner: string): Promise<Norm[]> {
    const norms = [...this.norms.values()].filter((norm) => norm.owner === owner);
    const valid = await Promise.all(norms.map(async (norm) => (await this.document(norm.document))?.status === "VALID"));
    return norms.filter((_norm, index) => valid[index]);
  }
}

const HOLDABLE: LotState[] = ["ARRIVED", "IN_WAREHOUSE", "CLEARED", "IN_TRANSIT"];
const WAREHOUSES = FACILITIES.filter((facility) => facility.kind === "WAREHOUSE").map((facility) => facility.id);
const lotArb: fc.Arbitrary<Lot> = fc
  .record({
    state: fc.constantFrom(...LOT_STATES.filter((state) => state !== "NONE")),
    prior: fc.constantFrom(...HOLDABLE),
    owner: fc.constantFrom(...ORG_IDS),
    custodian: fc.constantFrom(...ORG_IDS),
    location: fc.constantFrom(...FACILITIES.map((facility) => facility.id)),
    direction: fc.constantFrom(...DIRECTIONS),
    quantity: fc.bigInt({ min: 1n, max: 4n }),
    preferenceClaimed: fc.boolean(),
    permitRequired: fc.boolean(),
    destination: fc.constantFrom(...WAREHOUSES),
  })
  .map(({ state, prior, owner, destination, ...rest }) => ({
    id: "LOT-1",
    material: "FABRIC",
    hsCode: "52085200",
    unit: "KGM",
    owner,
    state,
    priorState: state === "HELD" ? prior : "NONE",
    declaration: declarationOf(owner),
    // Under seal: IN_TRANSIT, or HELD on the way.
    ...(state === "IN_TRANSIT" || (state === "HELD" && prior === "IN_TRANSIT")
      ? { seal: "SEAL-1", destination, deadline: DEADLINE }
      : { seal: "", destination: "", deadline: 0n }),
    ...rest,
  }));

async function accepts(world: World, actor: Actor, action: CustodyAction): Promise<boolean> {
  try {
    await decide(world, actor, action, NOW);
    return true;
  } catch (error) {
    if (error instanceof TraceGateError) return false;
    throw error;
  }
}

/** The action of each type as a well-filled form would send it; `choice` is a facility or a product where the action names one. */
function formAction(
  type: CustodyActionType,
  lot: Lot,
  actor: Actor,
  choice: string,
  documents: { co: boolean; permit: boolean; transit: boolean } = { co: true, permit: true, transit: true },
): CustodyAction {
  const id = lot.id;
  switch (type) {
    case "declare":
      return {
        type,
        lot: id,
        goods: { material: lot.material, hsCode: lot.hsCode, unit: lot.unit, quantity: lot.quantity },
        direction: "EXPORT",
        preferenceClaimed: false,
        permitRequired: false,
        declaration: newDeclarationOf(actor.org),
      };
    case "arrive":
    case "store":
    case "receive":
      return { type, lot: id, facility: choice };
    case "hold":
    case "destroy":
      return { type, lot: id, reason: "inspection" };
    case "clear":
      return { type, lot: id, co: documents.co ? CO : null, permit: documents.permit ? PERMIT : null };
    case "unhold":
    case "release":
    case "depart":
      return { type, lot: id };
    case "split":
      return {
        type,
        lot: id,
        parts: [
          { lot: NEW_LOTS[0]!, quantity: 1n },
          { lot: NEW_LOTS[1]!, quantity: lot.quantity > 1n ? lot.quantity - 1n : 1n },
        ],
      };
    case "transform":
      return { type, product: choice, inputs: [{ lot: id, quantity: 1n }], outputs: [{ lot: NEW_LOTS[0]!, quantity: 1n }] };
    case "seal":
      return { type, lot: id, facility: choice, seal: "SEAL-2", deadline: DEADLINE, transit: documents.transit ? TRANSIT : hashOf("no transit") };
    case "unseal":
      return { type, lot: id, facility: choice, sealIntact: true, reason: "" };
    case "alert":
      return { type, lot: id, seal: lot.seal, alert: "LOW_BATTERY", detail: "" };
  }
}

/** The choices a form may offer for the action: facilities, products, or none. */
function choicesOf(type: CustodyActionType): string[] {
  if (type === "arrive" || type === "store" || type === "receive" || type === "seal" || type === "unseal") return FACILITIES.map((facility) => facility.id);
  if (type === "transform") return [...PRODUCTS];
  return [""];
}

describe("availableActions", () => {
  it("offers an action (and each facility or product) iff the domain accepts it with the form filled in", async () => {
    await fc.assert(
      fc.asyncProperty(lotArb, fc.boolean(), fc.constantFrom(...DECLARATION_FATES), async (lot, electroNormValid, fate) => {
        const world = new World(lot, electroNormValid, fate);
        for (const actor of ACTORS) {
          const offered = availableActions({
            actor,
            organisation: await memberOrganisation(world, actor),
            lot,
            facilities: FACILITIES,
            norms: await world.validNorms(actor.org),
            declarationValid: await declarationInForce(world, lot),
          });
          for (const type of CUSTODY_ACTIONS) {
            const accepted: string[] = [];
            for (const choice of choicesOf(type)) if (await accepts(world, actor, formAction(type, lot, actor, choice))) accepted.push(choice);
            const option = offered.find((candidate) => candidate.type === type);
            const context = `${actor.org}/${actor.role} ${type} on ${toJson(lot)}`;
            expect(option !== undefined, context).toBe(accepted.length > 0);
            if (option === undefined) continue;
            if (type === "transform")
              expect(
                option.products.map((norm) => norm.product),
                context,
              ).toEqual(accepted);
            else if (option.facilities.length > 0 || accepted[0] !== "")
              expect(
                option.facilities.map((facility) => facility.id),
                context,
              ).toEqual(accepted);
            // A document the option calls optional may be left out; one it requires may not.
            for (const need of option.documents.filter((document) => document.kind !== "DECLARATION")) {
              const without = { co: need.kind !== "CO", permit: need.kind !== "PERMIT", transit: need.kind !== "TRANSIT" };
              const choice = option.facilities[0]?.id ?? "";
              expect(await accepts(world, actor, formAction(type, lot, actor, choice, without)), `${context} without ${need.kind}`).toBe(!need.required);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("offers an officer the hold of an arrived lot and its owner its own warehouse and a split; a terminal lot offers nothing", () => {
    const lot: Lot = {
      id: "LOT-1",
      material: "FABRIC",
      hsCode: "52085200",
      unit: "KGM",
      quantity: 10n,
      owner: "GARMENT",
      custodian: "CUSTOMS",
      location: "GATE-HUUNGHI",
      state: "ARRIVED",
      priorState: "NONE",
      direction: "IMPORT",
      preferenceClaimed: true,
      permitRequired: false,
      declaration: declarationOf("GARMENT"),
      seal: "",
      destination: "",
      deadline: 0n,
    };
    const officer = {
      actor: { org: "CUSTOMS", role: "OFFICER" } as const,
      organisation: ORGANISATIONS[0],
      facilities: FACILITIES,
      norms: [],
      declarationValid: true,
    };
    expect(availableActions({ ...officer, lot }).map((option) => option.type)).toEqual(["hold", "clear", "split", "seal"]);
    expect(availableActions({ ...officer, lot }).find((option) => option.type === "clear")!.documents).toEqual([
      { kind: "CO", required: true },
      { kind: "PERMIT", required: false },
    ]);
    const owner = {
      actor: { org: "GARMENT", role: "OPERATOR" } as const,
      organisation: ORGANISATIONS[1],
      facilities: FACILITIES,
      norms: [],
      declarationValid: true,
    };
    expect(availableActions({ ...owner, lot }).map((option) => option.type)).toEqual(["store", "split"]);
    expect(availableActions({ ...officer, lot: { ...lot, state: "EXPORTED" } })).toEqual([]);
    // A revoked declaration stops clearance (until an amendment is anchored).
    expect(availableActions({ ...officer, lot, declarationValid: false }).map((option) => option.type)).toEqual(["hold", "split", "seal"]);
  });

  it("offers a seal for the warehouses the lot is not at, with its transit declaration; in transit, unseal only at the destination and no split", () => {
    const arrived: Lot = { ...lotAt("BONDED-WH", "TERMINAL"), state: "ARRIVED" };
    const seal = availableActions({ ...officerAt, lot: arrived }).find((option) => option.type === "seal")!;
    expect(seal.facilities.map((facility) => facility.id)).toEqual(["ICD-GARMENT"]);
    expect(seal.documents).toEqual([{ kind: "TRANSIT", required: true }]);

    const inTransit: Lot = { ...lotAt("GATE-HUUNGHI", "CUSTOMS"), state: "IN_TRANSIT", seal: "SEAL-1", destination: "BONDED-WH", deadline: DEADLINE };
    const offered = availableActions({ ...officerAt, lot: inTransit });
    expect(offered.map((option) => option.type)).toEqual(["hold", "unseal", "alert"]);
    expect(offered.find((option) => option.type === "unseal")!.facilities.map((facility) => facility.id)).toEqual(["BONDED-WH"]);
    const operator = (org: string) => ({ ...officerAt, actor: { org, role: "OPERATOR" } as const, organisation: ORGANISATIONS.find((o) => o.id === org) });
    expect(availableActions({ ...operator("TERMINAL"), lot: inTransit }).map((option) => option.type)).toEqual(["unseal"]);
    expect(availableActions({ ...operator("GARMENT"), lot: inTransit })).toEqual([]);

    const heldOnTheWay: Lot = { ...inTransit, state: "HELD", priorState: "IN_TRANSIT" };
    expect(availableActions({ ...officerAt, lot: heldOnTheWay }).map((option) => option.type)).toEqual(["unhold", "destroy"]);
    expect(availableActions({ ...operator("GARMENT"), lot: heldOnTheWay })).toEqual([]);
  });
});

const officerAt = {
  actor: { org: "CUSTOMS", role: "OFFICER" } as const,
  organisation: ORGANISATIONS[0],
  facilities: FACILITIES,
  norms: [],
  declarationValid: true,
};

/** An arrived import of GARMENT's, not under seal, at `location` in `custodian`'s custody. */
function lotAt(location: string, custodian: string): Lot {
  return {
    id: "LOT-1",
    material: "FABRIC",
    hsCode: "52085200",
    unit: "KGM",
    quantity: 10n,
    owner: "GARMENT",
    custodian,
    location,
    state: "ARRIVED",
    priorState: "NONE",
    direction: "IMPORT",
    preferenceClaimed: false,
    permitRequired: false,
    declaration: declarationOf("GARMENT"),
    seal: "",
    destination: "",
    deadline: 0n,
  };
}
