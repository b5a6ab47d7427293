/**
 * Which custody actions an actor may take on a lot now, and what each one's form must supply: read off
 * the custody table and its guards (custody.ts), so the pages offer exactly what the ledger would accept.
 * The form's own arguments (a reason, documents, quantities, new lot ids) are the form's to get right.
 */
import { isAuthorized, isUnderSeal, transitionAllowed } from "./custody.js";
import { CUSTODY_TABLE } from "./custody-table.js";
import { currentVersion } from "./document-guards.js";
import { TraceGateError } from "./errors.js";
import type { LedgerView } from "./view.js";
import { CUSTODY_ACTIONS, type Actor, type CustodyActionType, type DocumentKind, type Facility, type Lot, type Norm, type Organisation } from "./types.js";

export interface ActionSituation {
  actor: Actor;
  /** The actor's organisation when the actor is a legitimate member of it (memberOrganisation), else undefined. */
  organisation: Organisation | undefined;
  lot: Lot;
  /** Every registered facility: the candidates for actions that name one. */
  facilities: readonly Facility[];
  /** The actor's norms whose document is VALID: the products a transform may make. */
  norms: readonly Pick<Norm, "product" | "unit">[];
  /** Whether the lot's declaration, followed through its amendments, is VALID now: clearance relies on it. */
  declarationValid: boolean;
}

/** A document the form supplies by hash: its kind, and whether the action needs one for this lot. */
export interface DocumentNeed {
  kind: DocumentKind;
  required: boolean;
}

export interface ActionOption {
  type: CustodyActionType;
  /** arrive, store, receive, seal, unseal: the facilities this actor may name (of the kind the table requires); empty otherwise. */
  facilities: Facility[];
  /** hold, destroy: the action records a reason (unseal: only when the seal is broken, which the form asks). */
  reasonRequired: boolean;
  /** declare: the declaration (issued by the actor); clear: a C/O and a permit, required as the lot was declared; seal: the transit declaration. */
  documents: DocumentNeed[];
  /** split: at least this many parts, adding up to the lot's quantity (0 for other actions). */
  minimumParts: number;
  /** transform: the products the actor's norms allow, with their units. */
  products: Pick<Norm, "product" | "unit">[];
}

/** Parts of a split: two at least, each of one unit at least. */
const MINIMUM_SPLIT_PARTS = 2;

/** The actions `situation.actor` may take on `situation.lot` now, in the table's order. */
export function availableActions(situation: ActionSituation): ActionOption[] {
  return CUSTODY_ACTIONS.flatMap((type) => {
    const option = optionFor(type, situation);
    return option === undefined ? [] : [option];
  });
}

function optionFor(type: CustodyActionType, { actor, organisation, lot, facilities, norms, declarationValid }: ActionSituation): ActionOption | undefined {
  const rule = CUSTODY_TABLE[type];
  if (!transitionAllowed(rule, lot)) return undefined;
  const option: ActionOption = { type, facilities: [], reasonRequired: false, documents: [], minimumParts: 0, products: [] };
  if (rule.facility !== undefined) {
    option.facilities = facilities.filter(
      (facility) => facility.kind === rule.facility && fitsTransit(type, lot, facility) && isAuthorized(rule.who, actor, organisation, { lot, facility }),
    );
    if (option.facilities.length === 0) return undefined;
    return type === "seal" ? { ...option, documents: [{ kind: "TRANSIT", required: true }] } : option;
  }
  if (!isAuthorized(rule.who, actor, organisation, { lot })) return undefined;
  switch (type) {
    case "hold":
    case "destroy":
      return { ...option, reasonRequired: true };
    case "declare":
      return { ...option, documents: [{ kind: "DECLARATION", required: true }] };
    case "clear":
      if (!declarationValid) return undefined;
      return {
        ...option,
        documents: [
          { kind: "CO", required: lot.preferenceClaimed },
          { kind: "PERMIT", required: lot.permitRequired },
        ],
      };
    case "split":
      return lot.quantity >= BigInt(MINIMUM_SPLIT_PARTS) && !isUnderSeal(lot) ? { ...option, minimumParts: MINIMUM_SPLIT_PARTS } : undefined;
    case "transform":
      return norms.length > 0 ? { ...option, products: [...norms] } : undefined;
    default:
      return option;
  }
}

/** A seal names where the lot goes, not where it is; an unseal only where it was sealed for (WRONG_DESTINATION otherwise). */
function fitsTransit(type: CustodyActionType, lot: Lot, facility: Facility): boolean {
  if (type === "seal") return facility.id !== lot.location;
  if (type === "unseal") return facility.id === lot.destination;
  return true;
}

/** `declarationValid` for a lot, by the rule clearance applies (its declaration's current version is VALID). */
export async function declarationInForce(view: Pick<LedgerView, "document">, lot: Lot): Promise<boolean> {
  if (lot.declaration === null) return false;
  try {
    await currentVersion(view, lot.declaration, "declaration");
    return true;
  } catch (error) {
    if (error instanceof TraceGateError) return false;
    throw error;
  }
}
