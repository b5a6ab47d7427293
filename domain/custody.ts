/**
 * The custody rules. Every ledger checks in the same order, so a rejected action gets the same code
 * everywhere:
 *   1 arguments  2 lots (UNKNOWN_LOT / LOT_EXISTS)  3 facility  4 authorisation  5 transition
 *   6 facility kind (and a transit's destination)  7 goods (a transit's deadline, an alert's seal)
 *   8 documents  9 norm  10 quantities
 */
import type { CustodyAction } from "./actions.js";
import { CUSTODY_TABLE, type Permission, type TransitionRule } from "./custody-table.js";
import { fail } from "./errors.js";
import { alertReason, sealCheck } from "./transit-reasons.js";
import type { CustodyEvent, LotTransition } from "./events.js";
import { isFlagged, normDeviations } from "./norms.js";
import { requireDocument, requireValid, currentVersion } from "./document-guards.js";
import {
  SEAL_ALERTS,
  type Actor,
  type Facility,
  type Hash,
  type LedgerTime,
  type Lot,
  type NormDeviation,
  type Organisation,
  type QuantityPart,
} from "./types.js";
import { assertDistinct, assertHash, assertId, assertParts, assertQuantity, assertReason, assertText, MAX_TRANSIT_SECONDS } from "./validate.js";
import { memberOrganisation, type LedgerView, type Outcome } from "./view.js";

export async function decideCustody(view: LedgerView, actor: Actor, action: CustodyAction, time: LedgerTime): Promise<Outcome> {
  validateCustodyArguments(action);
  const rule = CUSTODY_TABLE[action.type];
  const actorOrg = await memberOrganisation(view, actor);
  const emit = (transitions: LotTransition[], extra: Partial<CustodyEvent> = {}): Outcome => ({
    lots: transitions.map((t) => t.lot),
    documents: [],
    event: {
      type: "custody",
      action: action.type,
      actor: actor.org,
      facility: transitions[0]!.lot.location,
      documents: [],
      reason: "",
      deviations: [],
      flagged: false,
      consumed: [],
      transitions,
      time,
      ...extra,
    },
  });

  switch (action.type) {
    case "declare": {
      const existing = await view.lot(action.lot);
      if (existing !== undefined) authorize(rule.who, actor, actorOrg, { lot: existing });
      else authorize(rule.who, actor, actorOrg, {});
      checkState(rule, existing, action.lot);
      if (existing !== undefined) checkSameGoods(existing, action);
      const declaration = await requireDocument(view, action.declaration, "DECLARATION", "declaration");
      if (declaration.issuer !== actor.org) {
        fail("DOCUMENT_ISSUER_MISMATCH", `declaration ${declaration.id} was issued by ${declaration.issuer}, not the declarant ${actor.org}`);
      }
      requireValid(declaration, "declaration");
      const base: Lot = existing ?? {
        id: action.lot,
        ...action.goods,
        owner: actor.org,
        custodian: actor.org,
        location: "",
        state: "NONE",
        priorState: "NONE",
        direction: "NONE",
        preferenceClaimed: false,
        permitRequired: false,
        declaration: null,
        ...NOT_IN_TRANSIT,
      };
      const lot: Lot = {
        ...base,
        state: "DECLARED",
        direction: action.direction,
        preferenceClaimed: action.preferenceClaimed,
        permitRequired: action.permitRequired,
        declaration: action.declaration,
      };
      return emit([{ from: base.state, lot }], { documents: [action.declaration] });
    }

    case "arrive":
    case "store":
    case "receive": {
      const lot = await requireLot(view, action.lot);
      const facility = await requireFacility(view, action.facility);
      authorize(rule.who, actor, actorOrg, { lot, facility });
      checkState(rule, lot, lot.id);
      checkFacilityKind(rule, facility);
      const custodian = action.type === "receive" ? lot.owner : facility.operator;
      return emit([{ from: lot.state, lot: { ...lot, state: rule.to as Lot["state"], location: facility.id, custodian } }]);
    }

    case "hold": {
      const lot = await requireLot(view, action.lot);
      authorize(rule.who, actor, actorOrg, { lot });
      checkState(rule, lot, lot.id);
      return emit([{ from: lot.state, lot: { ...lot, state: "HELD", priorState: lot.state } }], { reason: action.reason });
    }

    case "unhold": {
      const lot = await requireLot(view, action.lot);
      authorize(rule.who, actor, actorOrg, { lot });
      checkState(rule, lot, lot.id);
      return emit([{ from: lot.state, lot: { ...lot, state: lot.priorState, priorState: "NONE" } }]);
    }

    case "clear": {
      const lot = await requireLot(view, action.lot);
      authorize(rule.who, actor, actorOrg, { lot });
      checkState(rule, lot, lot.id);
      const documents = await clearanceDocuments(view, lot, action.co, action.permit);
      return emit([{ from: lot.state, lot: { ...lot, state: "CLEARED" } }], { documents });
    }

    case "release":
    case "depart": {
      const lot = await requireLot(view, action.lot);
      authorize(rule.who, actor, actorOrg, { lot });
      checkState(rule, lot, lot.id);
      const custodian = action.type === "release" ? lot.owner : lot.custodian;
      return emit([{ from: lot.state, lot: { ...lot, state: rule.to as Lot["state"], custodian } }]);
    }

    case "destroy": {
      const lot = await requireLot(view, action.lot);
      authorize(rule.who, actor, actorOrg, { lot });
      checkState(rule, lot, lot.id);
      // Destroyed on its way (held in transit), the lot is no longer under seal.
      return emit([{ from: lot.state, lot: { ...lot, state: "DESTROYED", priorState: "NONE", ...NOT_IN_TRANSIT } }], {
        reason: action.reason,
      });
    }

    case "seal": {
      const lot = await requireLot(view, action.lot);
      const destination = await requireFacility(view, action.facility);
      authorize(rule.who, actor, actorOrg, { lot, facility: destination });
      checkState(rule, lot, lot.id);
      checkFacilityKind(rule, destination);
      if (destination.id === lot.location) {
        fail("WRONG_DESTINATION", `lot ${lot.id} is at ${lot.location} already; seal it for the facility it travels to`, {
          lot: lot.id,
          facility: destination.id,
        });
      }
      if (action.deadline <= time || action.deadline - time > MAX_TRANSIT_SECONDS) {
        fail("INVALID_ARGUMENT", `deadline must be after the sealing and at most ${MAX_TRANSIT_SECONDS} seconds later`, { field: "deadline" });
      }
      requireValid(await requireDocument(view, action.transit, "TRANSIT", "transit declaration"), "transit declaration");
      const sealed: Lot = { ...lot, state: "IN_TRANSIT", seal: action.seal, destination: destination.id, deadline: action.deadline };
      return emit([{ from: lot.state, lot: sealed }], { documents: [action.transit] });
    }

    case "unseal": {
      const lot = await requireLot(view, action.lot);
      const facility = await requireFacility(view, action.facility);
      authorize(rule.who, actor, actorOrg, { lot, facility });
      checkState(rule, lot, lot.id);
      checkFacilityKind(rule, facility);
      if (facility.id !== lot.destination) {
        fail("WRONG_DESTINATION", `lot ${lot.id} is sealed for ${lot.destination}, not ${facility.id}`, { lot: lot.id, facility: facility.id });
      }
      const check = sealCheck(action.sealIntact, time > lot.deadline, action.reason);
      const arrived: Lot = { ...lot, state: "ARRIVED", location: facility.id, custodian: facility.operator, ...NOT_IN_TRANSIT };
      const lotAfter: Lot = check.held ? { ...arrived, state: "HELD", priorState: "ARRIVED" } : arrived;
      return emit([{ from: lot.state, lot: lotAfter }], { reason: check.reason, flagged: check.held });
    }

    case "alert": {
      const lot = await requireLot(view, action.lot);
      authorize(rule.who, actor, actorOrg, { lot });
      checkState(rule, lot, lot.id);
      if (lot.seal !== action.seal) {
        fail("SEAL_MISMATCH", `lot ${lot.id} travels under seal ${lot.seal}, not ${action.seal}`, { lot: lot.id, seal: action.seal });
      }
      return emit([{ from: lot.state, lot }], { reason: alertReason(action.alert, action.detail), flagged: action.alert === "OPENED" });
    }

    case "split": {
      const lot = await requireLot(view, action.lot);
      await requireNewLots(view, action.parts);
      authorize(rule.who, actor, actorOrg, { lot });
      checkState(rule, lot, lot.id);
      if (isUnderSeal(lot)) {
        fail("ILLEGAL_TRANSITION", `lot ${lot.id} is held under seal ${lot.seal} on its way to ${lot.destination}; a sealed load stays whole`, {
          lot: lot.id,
          state: lot.state,
        });
      }
      const total = sum(action.parts);
      if (total !== lot.quantity) {
        fail("QUANTITY_NOT_CONSERVED", `parts add up to ${total} but lot ${lot.id} holds ${lot.quantity}`);
      }
      const children = action.parts.map((part) => ({ from: "NONE" as const, lot: { ...lot, id: part.lot, quantity: part.quantity } }));
      return emit([{ from: lot.state, lot: { ...lot, state: "SPLIT", priorState: "NONE" } }, ...children]);
    }

    case "transform": {
      const inputs: Lot[] = [];
      for (const part of action.inputs) inputs.push(await requireLot(view, part.lot));
      await requireNewLots(view, action.outputs);
      for (const lot of inputs) authorize(rule.who, actor, actorOrg, { lot });
      for (const lot of inputs) checkState(rule, lot, lot.id);
      const norm = await view.norm(actor.org, action.product);
      if (norm === undefined) fail("UNKNOWN_NORM", `${actor.org} has no norm registered for product ${action.product}`);
      const normDocument = await view.document(norm.document);
      if (normDocument?.status !== "VALID") {
        fail(
          "DOCUMENT_INVALID",
          `the norm for ${action.product} rests on document ${norm.document}, now ${normDocument?.status}; register the norm again with its current document`,
        );
      }
      action.inputs.forEach((part, index) => {
        const lot = inputs[index]!;
        if (part.quantity > lot.quantity) {
          fail("QUANTITY_UNAVAILABLE", `lot ${lot.id} holds ${lot.quantity}, cannot consume ${part.quantity}`);
        }
      });
      const deviations: NormDeviation[] = normDeviations(
        norm,
        sum(action.outputs),
        action.inputs.map((part, index) => ({ material: inputs[index]!.material, quantity: part.quantity })),
      );
      const location = inputs[0]!.location;
      const outputs = action.outputs.map((part) => ({
        from: "NONE" as const,
        lot: {
          id: part.lot,
          material: action.product,
          hsCode: norm.hsCode,
          unit: norm.unit,
          quantity: part.quantity,
          owner: actor.org,
          custodian: actor.org,
          location,
          state: "PRODUCED" as const,
          priorState: "NONE" as const,
          direction: "NONE" as const,
          preferenceClaimed: false,
          permitRequired: false,
          declaration: null,
          ...NOT_IN_TRANSIT,
        },
      }));
      const consumedInputs = inputs.map((lot, index) => ({
        from: lot.state,
        lot: { ...lot, quantity: lot.quantity - action.inputs[index]!.quantity },
      }));
      return emit([...outputs, ...consumedInputs], {
        documents: [norm.document],
        deviations,
        flagged: isFlagged(deviations),
        consumed: action.inputs,
      });
    }
  }
}

/** Step 1: the action's own arguments, before anything is read from the ledger. */
export function validateCustodyArguments(action: CustodyAction): void {
  switch (action.type) {
    case "declare":
      assertId(action.lot, "lot");
      assertId(action.goods.material, "goods.material");
      assertId(action.goods.hsCode, "goods.hsCode");
      assertId(action.goods.unit, "goods.unit");
      assertQuantity(action.goods.quantity, "goods.quantity");
      if (action.direction !== "IMPORT" && action.direction !== "EXPORT") {
        fail("INVALID_ARGUMENT", "direction must be IMPORT or EXPORT", { field: "direction" });
      }
      assertHash(action.declaration, "declaration");
      return;
    case "arrive":
    case "store":
    case "receive":
      assertId(action.lot, "lot");
      assertId(action.facility, "facility");
      return;
    case "hold":
    case "destroy":
      assertId(action.lot, "lot");
      assertReason(action.reason);
      return;
    case "clear":
      assertId(action.lot, "lot");
      if (action.co !== null) assertHash(action.co, "co");
      if (action.permit !== null) assertHash(action.permit, "permit");
      return;
    case "unhold":
    case "release":
    case "depart":
      assertId(action.lot, "lot");
      return;
    case "seal":
      assertId(action.lot, "lot");
      assertId(action.facility, "facility");
      assertId(action.seal, "seal");
      if (action.deadline < 1n || action.deadline > MAX_LEDGER_TIME) {
        fail("INVALID_ARGUMENT", "deadline must be a ledger time in seconds, 1 to 2^64-1", { field: "deadline" });
      }
      assertHash(action.transit, "transit");
      return;
    case "unseal":
      assertId(action.lot, "lot");
      assertId(action.facility, "facility");
      if (action.sealIntact) assertText(action.reason, "reason");
      else assertReason(action.reason);
      return;
    case "alert":
      assertId(action.lot, "lot");
      assertId(action.seal, "seal");
      if (!SEAL_ALERTS.includes(action.alert)) {
        fail("INVALID_ARGUMENT", `alert must be one of ${SEAL_ALERTS.join(", ")}`, { field: "alert" });
      }
      assertText(action.detail, "detail");
      return;
    case "split":
      assertId(action.lot, "lot");
      assertParts(action.parts, "parts", 2);
      assertDistinct([action.lot, ...action.parts.map((p) => p.lot)], "lots");
      return;
    case "transform":
      assertId(action.product, "product");
      assertParts(action.inputs, "inputs", 1);
      assertParts(action.outputs, "outputs", 1);
      assertDistinct(
        [...action.inputs, ...action.outputs].map((p) => p.lot),
        "lots",
      );
      return;
  }
}

/** A lot's transit fields when it is not under seal. */
const NOT_IN_TRANSIT = { seal: "", destination: "", deadline: 0n } as const;

/**
 * Whether the lot travels under a customs seal: IN_TRANSIT, or HELD on its way (the seal stays until
 * the unseal). A sealed load stays whole, so split refuses it in either state.
 */
export function isUnderSeal(lot: Lot): boolean {
  return lot.seal !== "";
}

/** Ledger times are unsigned 64-bit seconds on every ledger. */
const MAX_LEDGER_TIME = (1n << 64n) - 1n;

async function requireLot(view: LedgerView, id: string): Promise<Lot> {
  const lot = await view.lot(id);
  if (lot === undefined) fail("UNKNOWN_LOT", `no lot ${id} on the ledger`, { lot: id });
  return lot;
}

async function requireNewLots(view: LedgerView, parts: readonly QuantityPart[]): Promise<void> {
  for (const part of parts) {
    if ((await view.lot(part.lot)) !== undefined) fail("LOT_EXISTS", `lot ${part.lot} already exists`, { lot: part.lot });
  }
}

async function requireFacility(view: LedgerView, id: string): Promise<Facility> {
  const facility = await view.facility(id);
  if (facility === undefined) fail("UNKNOWN_FACILITY", `no facility ${id} is registered`, { facility: id });
  return facility;
}

export interface AuthContext {
  lot?: Lot;
  facility?: Facility;
}

function authorize(permission: Permission, actor: Actor, org: Organisation | undefined, context: AuthContext): void {
  if (!isAuthorized(permission, actor, org, context)) {
    fail("NOT_AUTHORIZED", `${actor.role} of ${actor.org} may not do this: the rule is ${permission}`, {
      org: actor.org,
      role: actor.role,
    });
  }
}

/** Whether the rule's `who` lets this actor act (on this lot, at this facility): what NOT_AUTHORIZED refuses. */
export function isAuthorized(permission: Permission, actor: Actor, org: Organisation | undefined, { lot, facility }: AuthContext): boolean {
  if (org === undefined) return false;
  const officer = org.kind === "CUSTOMS" && actor.role === "OFFICER";
  const operator = actor.role === "OPERATOR";
  const enterpriseOperator = operator && org.kind === "ENTERPRISE";
  const owns = lot !== undefined && lot.owner === actor.org;
  const operatesFacility = facility !== undefined && facility.operator === actor.org;
  switch (permission) {
    case "OWNER_ENTERPRISE":
      return enterpriseOperator && (lot === undefined || owns);
    case "CUSTOMS":
      return officer;
    case "CUSTOMS_OR_FACILITY_OPERATOR":
      return officer || (operator && operatesFacility);
    case "FACILITY_OPERATOR":
      return operator && operatesFacility;
    case "CUSTOMS_OR_CUSTODIAN":
      return officer || (operator && lot?.custodian === actor.org);
    case "OWNER_AT_OWN_FACILITY":
      return enterpriseOperator && owns && operatesFacility;
    case "OWNER":
      return enterpriseOperator && owns;
    case "CUSTODIAN_OR_OWNER":
      return (operator && owns) || ((operator || officer) && lot?.custodian === actor.org);
  }
}

/** Whether the table lets the action start from the lot as it is: its state, and the direction it was declared for. */
export function transitionAllowed(rule: TransitionRule, lot: Lot | undefined): boolean {
  return rule.from.includes(lot?.state ?? "NONE") && (rule.direction === undefined || lot?.direction === rule.direction);
}

function checkState(rule: TransitionRule, lot: Lot | undefined, id: string): void {
  if (transitionAllowed(rule, lot)) return;
  const state = lot?.state ?? "NONE";
  if (!rule.from.includes(state)) {
    fail("ILLEGAL_TRANSITION", `lot ${id} is ${state}; this action needs ${rule.from.join(" or ")}`, { lot: id, state });
  }
  if (rule.direction !== undefined && lot?.direction !== rule.direction) {
    fail("ILLEGAL_TRANSITION", `lot ${id} was declared for ${lot?.direction}; this action needs ${rule.direction}`, {
      lot: id,
      state,
    });
  }
}

function checkFacilityKind(rule: TransitionRule, facility: Facility): void {
  if (rule.facility !== undefined && facility.kind !== rule.facility) {
    fail("WRONG_FACILITY_KIND", `facility ${facility.id} is a ${facility.kind}; this action needs a ${rule.facility}`);
  }
}

function checkSameGoods(lot: Lot, action: Extract<CustodyAction, { type: "declare" }>): void {
  const { material, hsCode, unit, quantity } = action.goods;
  if (lot.material !== material || lot.hsCode !== hsCode || lot.unit !== unit || lot.quantity !== quantity) {
    fail("GOODS_MISMATCH", `lot ${lot.id} holds ${lot.quantity} ${lot.unit} of ${lot.material} (HS ${lot.hsCode})`);
  }
}

/** Clearance needs the lot's declaration (or its latest amendment) and any CO or permit it requires. */
async function clearanceDocuments(view: LedgerView, lot: Lot, co: Hash | null, permit: Hash | null): Promise<Hash[]> {
  const declaration = await currentVersion(view, lot.declaration!, "declaration");
  const documents: Hash[] = [declaration.hash];
  for (const [hash, kind, required] of [
    [co, "CO", lot.preferenceClaimed],
    [permit, "PERMIT", lot.permitRequired],
  ] as const) {
    if (hash === null) {
      if (required) fail("DOCUMENT_REQUIRED", `lot ${lot.id} needs a valid ${kind} to clear`);
      continue;
    }
    requireValid(await requireDocument(view, hash, kind, kind), kind);
    documents.push(hash);
  }
  return documents;
}

function sum(parts: readonly QuantityPart[]): bigint {
  return parts.reduce((total, part) => total + part.quantity, 0n);
}
