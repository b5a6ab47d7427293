/**
 * Custody actions from GraphQL: `Lot.availableActions` (what this caller may do to the lot now, from the
 * domain's table) and one mutation per custody action, each acting as the token's organisation and role.
 */
import type { InputObjectRef } from "@pothos/core";
import {
  availableActions,
  CUSTODY_ACTIONS,
  declarationInForce,
  FACILITY_KINDS,
  type CustodyAction,
  type CustodyActionType,
  type DocumentNeed,
  type Facility,
  type FacilityKind,
  type Hash,
  type Norm,
  type QuantityPart,
} from "../../domain/index.js";
import { actFor, type ActResult } from "../acting.js";
import type { ApiContext } from "../context.js";
import { normsOf } from "../read/production.js";
import { builder } from "./builder.js";
import { EventRef, LotRef } from "./refs.js";
import { DocumentKindEnum, SealAlertEnum } from "./scalars.js";

const CustodyActionEnum = builder.enumType("CustodyAction", { values: CUSTODY_ACTIONS });
const FacilityKindEnum = builder.enumType("FacilityKind", { values: FACILITY_KINDS });
const DeclarationDirectionEnum = builder.enumType("DeclarationDirection", { values: ["IMPORT", "EXPORT"] as const });

const FacilityRef = builder.objectRef<Facility>("Facility").implement({
  description: "A registered border gate, warehouse or factory.",
  fields: (t) => ({
    id: t.exposeString("id"),
    kind: t.field({ type: FacilityKindEnum, resolve: (facility) => facility.kind }),
    operator: t.exposeString("operator", { description: "The organisation that runs it." }),
  }),
});

const DocumentNeedRef = builder.objectRef<DocumentNeed>("DocumentNeed").implement({
  description: "A document the action's form supplies by its SHA-256.",
  fields: (t) => ({
    kind: t.field({ type: DocumentKindEnum, resolve: (need) => need.kind }),
    required: t.exposeBoolean("required", { description: "False: the form may leave it out." }),
  }),
});

const ProductRef = builder.objectRef<Pick<Norm, "product" | "unit">>("NormProduct").implement({
  description: "A product the caller's registered norms let a transform make.",
  fields: (t) => ({ product: t.exposeString("product"), unit: t.exposeString("unit") }),
});

type Option = ReturnType<typeof availableActions>[number];

const AvailableActionRef = builder.objectRef<Option>("AvailableAction").implement({
  description: "A custody action the caller may take on the lot now, and what its form needs.",
  fields: (t) => ({
    action: t.field({ type: CustodyActionEnum, resolve: (option) => option.type }),
    facilities: t.field({
      type: [FacilityRef],
      description: "arrive, store, receive: the facilities the caller may name; seal: the destinations; unseal: the lot's destination.",
      resolve: (option) => option.facilities,
    }),
    reasonRequired: t.exposeBoolean("reasonRequired", {
      description: "hold, destroy: a reason is recorded (at most 500 bytes of UTF-8). unseal asks one only when the seal is broken.",
    }),
    documents: t.field({
      type: [DocumentNeedRef],
      description: "declare: the declaration; clear: a C/O and a permit; seal: the transit declaration.",
      resolve: (option) => option.documents,
    }),
    minimumParts: t.exposeInt("minimumParts", { description: "split: parts (at least this many) add up to the lot's quantity." }),
    products: t.field({ type: [ProductRef], description: "transform: what the caller's norms let it make.", resolve: (option) => option.products }),
  }),
});

builder.objectField(LotRef, "availableActions", (t) =>
  t.field({
    type: [AvailableActionRef],
    description: "The custody actions the caller may take on this lot now (the ledger's custody table); empty where this API cannot act for the caller.",
    resolve: async (lot, _args, context) => {
      const viewer = context.viewer!;
      const actor = { org: viewer.org, role: viewer.role };
      if (context.writer === null || !context.writer.canActAs(actor)) return [];
      const [[facilities, norms], declarationValid] = await Promise.all([
        formChoices(context),
        declarationInForce({ document: (hash) => context.loaders.document.load(hash) }, lot),
      ]);
      return availableActions({ actor, organisation: { id: viewer.org, kind: viewer.kind }, lot, facilities, norms, declarationValid });
    },
  }),
);

/** Read once per request however many lots ask (a page of lots with their actions). */
const perRequest = new WeakMap<ApiContext["loaders"], Promise<[Facility[], Norm[]]>>();

function formChoices(context: ApiContext): Promise<[Facility[], Norm[]]> {
  let choices = perRequest.get(context.loaders);
  if (choices === undefined) perRequest.set(context.loaders, (choices = Promise.all([registeredFacilities(context), validNorms(context)])));
  return choices;
}

async function registeredFacilities({ db }: ApiContext): Promise<Facility[]> {
  const rows = await db.selectFrom("facilities").select(["id", "kind", "operator"]).orderBy("id").execute();
  return rows.map((row) => ({ id: row.id, kind: row.kind as FacilityKind, operator: row.operator }));
}

/** The caller's norms in force (the latest per product) whose document is still VALID. */
async function validNorms({ db, loaders, viewer }: ApiContext): Promise<Norm[]> {
  if (viewer!.kind !== "ENTERPRISE") return [];
  const latest = [...new Map((await normsOf(db, viewer!.org)).map((norm) => [norm.product, norm])).values()];
  const documents = await loaders.documents(latest.map((norm) => norm.document));
  const valid = new Set(documents.filter((document) => document.status === "VALID").map((document) => document.hash));
  return latest.filter((norm) => valid.has(norm.document));
}

// The mutations' inputs: a lot's id and what the action adds; never who acts (that is the token's).

const eventIdField = { description: "Idempotency key: the same id again is reported as a duplicate and applied once. A urn:uuid: is made when left out." };

const PartInput = builder.inputType("PartInput", {
  fields: (t) => ({ lot: t.id({ required: true }), quantity: t.field({ type: "Quantity", required: true }) }),
});
const parts = (list: ReadonlyArray<{ lot: string | number; quantity: bigint }>): QuantityPart[] =>
  list.map((part) => ({ lot: String(part.lot), quantity: part.quantity }));

const LotInput = builder.inputType("LotActionInput", {
  description: "unhold, release, depart: the lot.",
  fields: (t) => ({ lot: t.id({ required: true }), eventId: t.string(eventIdField) }),
});
const FacilityInput = builder.inputType("FacilityActionInput", {
  description: "arrive, store, receive: the lot and the facility it comes to.",
  fields: (t) => ({ lot: t.id({ required: true }), facility: t.id({ required: true }), eventId: t.string(eventIdField) }),
});
const ReasonInput = builder.inputType("ReasonActionInput", {
  description: "hold, destroy: the lot and why.",
  fields: (t) => ({ lot: t.id({ required: true }), reason: t.string({ required: true }), eventId: t.string(eventIdField) }),
});
const ClearInput = builder.inputType("ClearInput", {
  description: "The lot, and the SHA-256 of its certificate of origin and permit where it needs them.",
  fields: (t) => ({ lot: t.id({ required: true }), co: t.string(), permit: t.string(), eventId: t.string(eventIdField) }),
});
const SplitInput = builder.inputType("SplitInput", {
  description: "The lot and its parts (new lot ids), adding up to its quantity.",
  fields: (t) => ({ lot: t.id({ required: true }), parts: t.field({ type: [PartInput], required: true }), eventId: t.string(eventIdField) }),
});
const TransformInput = builder.inputType("TransformInput", {
  description: "A product under the caller's norm: what it consumes of which lots, and the new lots it makes.",
  fields: (t) => ({
    product: t.id({ required: true }),
    inputs: t.field({ type: [PartInput], required: true }),
    outputs: t.field({ type: [PartInput], required: true }),
    eventId: t.string(eventIdField),
  }),
});
const DeclareInput = builder.inputType("DeclareInput", {
  description: "A new lot (or a produced one, for export), its goods and the SHA-256 of its anchored declaration.",
  fields: (t) => ({
    lot: t.id({ required: true }),
    material: t.string({ required: true }),
    hsCode: t.string({ required: true }),
    unit: t.string({ required: true }),
    quantity: t.field({ type: "Quantity", required: true }),
    direction: t.field({ type: DeclarationDirectionEnum, required: true }),
    preferenceClaimed: t.boolean({ defaultValue: false }),
    permitRequired: t.boolean({ defaultValue: false }),
    declaration: t.string({ required: true }),
    eventId: t.string(eventIdField),
  }),
});

const SealInput = builder.inputType("SealInput", {
  description:
    "Customs seals an arrived lot for transit: the destination warehouse, the seal, the deadline (within 30 days) and the SHA-256 of its anchored transit declaration.",
  fields: (t) => ({
    lot: t.id({ required: true }),
    facility: t.id({ required: true, description: "The destination: a warehouse other than where the lot is." }),
    seal: t.id({ required: true, description: "The electronic seal's id." }),
    deadline: t.field({ type: "DateTime", required: true, description: "When the lot must have arrived: after now, at most 30 days later." }),
    transit: t.string({ required: true, description: "The SHA-256 of the TRANSIT document (VALID)." }),
    eventId: t.string(eventIdField),
  }),
});
const UnsealInput = builder.inputType("UnsealInput", {
  description:
    "The seal check at the destination: the lot, the facility (its destination), whether the seal is intact, and a remark (required when it is not).",
  fields: (t) => ({
    lot: t.id({ required: true }),
    facility: t.id({ required: true }),
    sealIntact: t.boolean({ required: true }),
    reason: t.string({ defaultValue: "", description: "Why the seal is broken (required then), or a remark; at most 500 bytes of UTF-8." }),
    eventId: t.string(eventIdField),
  }),
});
const AlertInput = builder.inputType("AlertInput", {
  description: "An electronic seal's alert on the way, for the lot it closes.",
  fields: (t) => ({
    lot: t.id({ required: true }),
    seal: t.id({ required: true, description: "The seal that reported: the lot's own (SEAL_MISMATCH otherwise)." }),
    alert: t.field({ type: SealAlertEnum, required: true }),
    detail: t.string({ defaultValue: "", description: "What the seal reported; at most 500 bytes of UTF-8." }),
    eventId: t.string(eventIdField),
  }),
});

const ActResultRef = builder.objectRef<ActResult>("ActResult").implement({
  description: "What became of the action.",
  fields: (t) => ({
    eventId: t.exposeString("eventId"),
    duplicate: t.exposeBoolean("duplicate", { description: "The event id was applied before: nothing was done now (transaction and event are null)." }),
    transaction: t.string({ nullable: true, description: "The ledger transaction that recorded it.", resolve: (result) => result.transaction?.tx ?? null }),
    event: t.field({
      type: EventRef,
      nullable: true,
      description: "The event as the index holds it and as the caller may see it; null if the index has not stored it within 5 s (it will).",
      resolve: (result) => result.event,
    }),
  }),
});

const lot = (input: { lot: string | number }) => String(input.lot);
/** A hash as the input gives it: the domain checks its form (INVALID_ARGUMENT, answered BAD_USER_INPUT). */
const hash = (value: string) => value as Hash;
const optionalHash = (value: string | null | undefined) => (value === null || value === undefined ? null : hash(value));

builder.mutationType({
  description: "Custody actions, taken as the token's organisation and role. A refusal is REFUSED with `extensions.reason` the ledger's code; nothing changes.",
});

builder.mutationFields((t) => {
  /** One mutation: its input, and how the input becomes the domain's action. */
  const act = <Shape extends { eventId?: string | null }>(
    input: InputObjectRef<typeof builder.$inferSchemaTypes, Shape>,
    toAction: (input: Shape) => CustodyAction,
    description: string,
  ) =>
    t.field({
      type: ActResultRef,
      description,
      authScopes: { authenticated: true },
      args: { input: t.arg({ type: input, required: true }) },
      resolve: (_root, args, context) => {
        // Pothos cannot narrow a generic input's arguments: the input is required, so it is the Shape.
        const given = (args as unknown as { input: Shape }).input;
        return actFor(context, toAction(given), given.eventId);
      },
    });
  return {
    declare: act(
      DeclareInput,
      (input) => ({
        type: "declare",
        lot: lot(input),
        goods: { material: input.material, hsCode: input.hsCode, unit: input.unit, quantity: input.quantity },
        direction: input.direction,
        preferenceClaimed: input.preferenceClaimed ?? false,
        permitRequired: input.permitRequired ?? false,
        declaration: hash(input.declaration),
      }),
      "Declares a lot, new or produced (an OPERATOR of the enterprise).",
    ),
    arrive: act(FacilityInput, (input) => ({ type: "arrive", lot: lot(input), facility: String(input.facility) }), "The lot arrives at a border gate."),
    store: act(
      FacilityInput,
      (input) => ({ type: "store", lot: lot(input), facility: String(input.facility) }),
      "The lot is stored in a warehouse (its operator).",
    ),
    receive: act(
      FacilityInput,
      (input) => ({ type: "receive", lot: lot(input), facility: String(input.facility) }),
      "The owner receives the lot into production at its own factory.",
    ),
    hold: act(ReasonInput, (input) => ({ type: "hold", lot: lot(input), reason: input.reason }), "Customs holds the lot, saying why."),
    unhold: act(LotInput, (input) => ({ type: "unhold", lot: lot(input) }), "Customs lifts a hold: the lot returns to its state before it."),
    clear: act(
      ClearInput,
      (input) => ({ type: "clear", lot: lot(input), co: optionalHash(input.co), permit: optionalHash(input.permit) }),
      "Customs clears the lot.",
    ),
    release: act(LotInput, (input) => ({ type: "release", lot: lot(input) }), "A cleared import lot is released to its owner."),
    depart: act(LotInput, (input) => ({ type: "depart", lot: lot(input) }), "A cleared export lot leaves the country."),
    transform: act(
      TransformInput,
      (input) => ({ type: "transform", product: String(input.product), inputs: parts(input.inputs), outputs: parts(input.outputs) }),
      "Makes a product from lots in production, under the caller's norm.",
    ),
    split: act(SplitInput, (input) => ({ type: "split", lot: lot(input), parts: parts(input.parts) }), "Splits the lot into new lots that add up to it."),
    destroy: act(ReasonInput, (input) => ({ type: "destroy", lot: lot(input), reason: input.reason }), "Customs records the lot's destruction, saying why."),
    seal: act(
      SealInput,
      (input) => ({
        type: "seal",
        lot: lot(input),
        facility: String(input.facility),
        seal: String(input.seal),
        deadline: input.deadline,
        transit: hash(input.transit),
      }),
      "Customs seals an arrived lot for transit to a warehouse (an OFFICER): IN_TRANSIT until it is unsealed there.",
    ),
    unseal: act(
      UnsealInput,
      (input) => ({ type: "unseal", lot: lot(input), facility: String(input.facility), sealIntact: input.sealIntact, reason: input.reason ?? "" }),
      "The seal check at the destination (customs or the warehouse's operator): ARRIVED there, or HELD when the seal is broken or the deadline passed.",
    ),
    alert: act(
      AlertInput,
      (input) => ({ type: "alert", lot: lot(input), seal: String(input.seal), alert: input.alert, detail: input.detail ?? "" }),
      "Customs records an electronic seal's alert on the way; OPENED flags the event for an auditor.",
    ),
  } satisfies Record<CustodyActionType, unknown>;
});
