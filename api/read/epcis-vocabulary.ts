/**
 * What the EPCIS discovery lists (eventTypes, bizSteps, dispositions, bizLocations, readPoints) draw on:
 * the custody kinds, facilities and lot states of the events a viewer may see. Customs sees every
 * event: each known value is probed with an indexed EXISTS instead of reading every event; anyone else
 * reads through its own events and the transitions of the lots it may see.
 */
import type { Kysely } from "kysely";
import { CUSTODY_ACTIONS, type LotState } from "../../domain/index.js";
import type { Database } from "../../indexer/store/schema.js";
import type { Viewer } from "../auth/viewer.js";
import { visibleLots } from "./lots.js";

const CUSTODY = [...CUSTODY_ACTIONS];
const STATES: LotState[] = ["DECLARED", "ARRIVED", "IN_WAREHOUSE", "HELD", "CLEARED", "RELEASED", "EXPORTED", "IN_PRODUCTION", "PRODUCED", "SPLIT", "DESTROYED"];

/** The custody actions of the events the viewer may see. */
export async function visibleKinds(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  if (viewer.isAuditor) return probe(CUSTODY, (kind) => db.selectFrom("events").select("id").where("kind", "=", kind).limit(1).executeTakeFirst());
  return distinct(await visibleColumn(db, viewer, "kind"));
}

/** The facilities of the custody events the viewer may see. */
export async function visibleFacilities(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  if (viewer.isAuditor) {
    const facilities = (await db.selectFrom("facilities").select("id").orderBy("id").execute()).map((row) => row.id);
    return probe(facilities, (id) => db.selectFrom("events").select("id").where("facility", "=", id).where("kind", "in", CUSTODY).limit(1).executeTakeFirst());
  }
  return distinct(await visibleColumn(db, viewer, "facility"));
}

/** The states the viewer's events left its lots in (customs: every lot). */
export async function visibleStates(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  if (viewer.isAuditor) return probe(STATES, (state) => db.selectFrom("lot_transitions").select("event_id").where("state", "=", state).limit(1).executeTakeFirst());
  const rows = await db
    .selectFrom("lot_transitions")
    .select("state")
    .distinct()
    .where("lot", "in", visibleLots(db.selectFrom("lots"), viewer).select("lots.id"))
    .execute();
  return distinct(rows.map((row) => row.state));
}

async function probe<T>(values: readonly T[], first: (value: T) => Promise<unknown>): Promise<T[]> {
  const found = await Promise.all(values.map(first));
  return values.filter((_value, index) => found[index] !== undefined);
}

/** A column of the custody events the viewer performed, and of those of lots it may see. */
async function visibleColumn(db: Kysely<Database>, viewer: Viewer, column: "kind" | "facility"): Promise<Array<string | null>> {
  const own = await db.selectFrom("events").select(column).distinct().where("actor", "=", viewer.org).where("kind", "in", CUSTODY).execute();
  const ofLots = await db
    .selectFrom("events")
    .select(column)
    .distinct()
    .where("kind", "in", CUSTODY)
    .where("id", "in", (eb) => eb.selectFrom("lot_transitions").select("event_id").where("lot", "in", visibleLots(eb.selectFrom("lots"), viewer).select("lots.id")))
    .execute();
  return [...own, ...ofLots].map((row) => row[column]);
}

function distinct(values: ReadonlyArray<string | null>): string[] {
  return [...new Set(values.filter((value): value is string => value !== null && value !== ""))].sort();
}
