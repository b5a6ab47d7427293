/**
 * What a refused action tells the organisation that sent it about lots it may not see (the API's
 * rule, Viewer.canSeeLot, on the index). The domain words a refusal for the whole ledger ("lot L is
 * DECLARED; this action needs ARRIVED", "lot L holds 1000 KGM of …"); sent back as it is, a warehouse
 * could learn any lot's state by trying to store it. A refusal about such a lot keeps its code and
 * names the lot, nothing of its state. Codes that speak only of the request, the caller's standing or
 * documents (whose status anyone may verify) pass whole; any other code is withheld, new ones too.
 */
import type { Kysely } from "kysely";
import { TraceGateError, type Actor, type CustodyAction, type ErrorCode, type Id, type OrgKind } from "../../domain/index.js";
import type { Database } from "../../indexer/store/index.js";
import { lotsRead } from "../../sdk/state-keys.js";
import { loadFacilities } from "../auth/request-caller.js";
import { Viewer } from "../auth/viewer.js";

// The request's fields, the caller's standing, the ids it chose, documents anyone may verify.
const ABOUT_THE_REQUEST = new Set<ErrorCode>([
  "INVALID_ARGUMENT",
  "INVALID_QUANTITY",
  "REASON_REQUIRED",
  "TEXT_TOO_LONG",
  "NOT_AUTHORIZED",
  "UNKNOWN_ORGANISATION",
  "ALREADY_REGISTERED",
  "UNKNOWN_LOT",
  "LOT_EXISTS",
  "UNKNOWN_FACILITY",
  "WRONG_FACILITY_KIND",
  "UNKNOWN_NORM",
  "UNKNOWN_BATCH",
  "INVALID_PROOF",
  "UNKNOWN_DOCUMENT",
  "DOCUMENT_EXISTS",
  "DOCUMENT_KIND_MISMATCH",
  "DOCUMENT_ISSUER_MISMATCH",
  "ISSUER_NOT_ENTITLED",
  "DOCUMENT_EMPTY",
]);

/** The refusal as `actor` may read it. */
export async function refusalShownTo(db: Kysely<Database>, actor: Actor, action: CustodyAction, refusal: TraceGateError): Promise<TraceGateError> {
  if (ABOUT_THE_REQUEST.has(refusal.code)) return refusal;
  const hidden = await firstHiddenLot(db, actor, [...lotsRead(action), ...(refusal.details.lot === undefined ? [] : [refusal.details.lot])]);
  if (hidden === undefined) return refusal;
  return new TraceGateError(refusal.code, `lot ${hidden} cannot take this ${action.type}; its state is not shown to ${actor.org}, which may not see the lot`, {
    lot: hidden,
  });
}

/** The first of `ids` the actor may not see; a lot the index does not hold yet counts as unseen. */
async function firstHiddenLot(db: Kysely<Database>, actor: Actor, ids: readonly Id[]): Promise<Id | undefined> {
  if (ids.length === 0) return undefined;
  const org = await db.selectFrom("organisations").select("kind").where("id", "=", actor.org).executeTakeFirst();
  if (org === undefined) return ids[0];
  const viewer = new Viewer(actor.org, org.kind as OrgKind, actor.role, actor.org, 0);
  await loadFacilities(db, viewer);
  // Customs sees every lot, also one the index does not hold yet.
  if (viewer.isAuditor) return undefined;
  const lots = new Map(
    (
      await db
        .selectFrom("lots")
        .select(["id", "owner", "custodian", "seal", "destination"])
        .where("id", "in", [...new Set(ids)])
        .execute()
    ).map((lot) => [lot.id, lot]),
  );
  return ids.find((id) => {
    const lot = lots.get(id);
    return lot === undefined || !viewer.canSeeLot(lot);
  });
}
