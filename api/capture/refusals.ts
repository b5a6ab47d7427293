/**
 * What a refused action tells the member that sent it, on every path that acts (the GraphQL mutations,
 * EPCIS capture): one rule, so that no path answers differently for a lot the caller may not see and
 * for one that does not exist. The domain words a refusal for the whole ledger ("lot L is DECLARED;
 * this action needs ARRIVED", "unknown lot L"); sent back as it is, anyone could learn which lots exist
 * and in what state by trying to act on them.
 *
 * Customs sees every lot and hears every reason. Anyone else hears the reason only when it sees every
 * lot the action acts on (the rule of `lot(id)`, on the index; a lot the index does not hold counts as
 * unseen) and every lot id the action would create that is taken; otherwise one fixed refusal, the same
 * whether the lots exist or not. That an id to create is taken is itself told (as it must be to whoever
 * picks ids), nothing more of its lot. Refusals about the request's own fields pass whole.
 */
import type { Kysely } from "kysely";
import { TraceGateError, type Actor, type CustodyAction, type ErrorCode, type Id, type OrgKind } from "../../domain/index.js";
import type { Database } from "../../indexer/store/index.js";
import { loadFacilities } from "../auth/request-caller.js";
import { Viewer } from "../auth/viewer.js";

/** Codes about the action's own fields: bad input, decided before and regardless of anything on the ledger. */
export const ARGUMENT_CODES: ReadonlySet<ErrorCode> = new Set(["INVALID_ARGUMENT", "INVALID_QUANTITY", "REASON_REQUIRED", "TEXT_TOO_LONG"]);

/** The refusal `actor` is told, on a path that knows the actor only by its organisation and role (a capture job). */
export async function refusalShownTo(db: Kysely<Database>, actor: Actor, action: CustodyAction, refusal: TraceGateError): Promise<TraceGateError> {
  if (ARGUMENT_CODES.has(refusal.code)) return refusal;
  const viewer = await viewerOf(db, actor);
  if (viewer !== undefined && (await mayHearWhy(db, viewer, action))) return refusal;
  return new TraceGateError("NOT_AUTHORIZED", notShown(actor, action));
}

/** What a caller who may not hear the reason is told instead: the same whatever the reason was. */
export function notShown(actor: Actor, action: CustodyAction): string {
  return `${actor.org} (${actor.role}) may not see the lots this ${action.type} names, so the ledger's reason for refusing it is not shown`;
}

/** Whether `viewer` may hear the ledger's reason for refusing `action` (the rule above). */
export async function mayHearWhy(db: Kysely<Database>, viewer: Viewer, action: CustodyAction): Promise<boolean> {
  if (viewer.isAuditor) return true;
  const { acted, created } = lotsNamed(action);
  const ids = [...new Set([...acted, ...created])];
  const lots = new Map(
    (await db.selectFrom("lots").select(["id", "owner", "custodian", "seal", "destination"]).where("id", "in", ids).execute()).map((lot) => [lot.id, lot]),
  );
  const visible = (id: Id) => {
    const lot = lots.get(id);
    return lot !== undefined && viewer.canSeeLot(lot);
  };
  return acted.every(visible) && created.every((id) => !lots.has(id) || visible(id));
}

/** The lots an action acts on, and those it would create (a declaration creates its lot, or re-declares a produced one). */
export function lotsNamed(action: CustodyAction): { acted: Id[]; created: Id[] } {
  switch (action.type) {
    case "declare":
      return { acted: [], created: [action.lot] };
    case "transform":
      return { acted: action.inputs.map((part) => part.lot), created: action.outputs.map((part) => part.lot) };
    case "split":
      return { acted: [action.lot], created: action.parts.map((part) => part.lot) };
    default:
      return { acted: [action.lot], created: [] };
  }
}

/** The actor as a Viewer of the index; undefined for an organisation the index does not know. */
async function viewerOf(db: Kysely<Database>, actor: Actor): Promise<Viewer | undefined> {
  const org = await db.selectFrom("organisations").select("kind").where("id", "=", actor.org).executeTakeFirst();
  if (org === undefined) return undefined;
  const viewer = new Viewer(actor.org, org.kind as OrgKind, actor.role, actor.org, 0);
  await loadFacilities(db, viewer);
  return viewer;
}
