/**
 * What the EPCIS discovery lists (eventTypes, bizSteps, dispositions, bizLocations, readPoints) draw on:
 * the custody kinds, facilities and lot states of the events a viewer may see. Each known kind and
 * facility is probed with one indexed query that stops at the first event the viewer may see (the
 * narrowing of event-log.ts), instead of reading every event.
 */
import type { Kysely } from "kysely";
import { CUSTODY_ACTIONS, LOT_STATES } from "../../domain/index.js";
import type { Database } from "../../indexer/store/index.js";
import type { Viewer } from "../auth/viewer.js";
import { visibilityShape, visibleOnly } from "./event-log.js";
import { visibleLots } from "./lots.js";

/** Every state a lot can be in (index 0 of LOT_STATES is "no state"). */
const STATES = LOT_STATES.filter((state) => state !== "NONE");

/** The custody actions of the events the viewer may see. */
export async function visibleKinds(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  const shape = await visibilityShape(db, viewer);
  return probe([...CUSTODY_ACTIONS], (kind) =>
    visibleOnly(db.selectFrom("events").select("id").where("kind", "=", kind), viewer, shape)
      .limit(1)
      .executeTakeFirst(),
  );
}

/** The facilities of the custody events the viewer may see. */
export async function visibleFacilities(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  const shape = await visibilityShape(db, viewer);
  const facilities = (await db.selectFrom("facilities").select("id").orderBy("id").execute()).map((row) => row.id);
  return probe(facilities, (id) =>
    visibleOnly(db.selectFrom("events").select("id").where("facility", "=", id).where("lot", "is not", null), viewer, shape)
      .limit(1)
      .executeTakeFirst(),
  );
}

/** The states the viewer's events left its lots in (customs: every lot). */
export async function visibleStates(db: Kysely<Database>, viewer: Viewer): Promise<string[]> {
  if (viewer.isAuditor)
    return probe(STATES, (state) => db.selectFrom("lot_transitions").select("event_id").where("state", "=", state).limit(1).executeTakeFirst());
  const rows = await db
    .selectFrom("lot_transitions")
    .select("state")
    .distinct()
    .where("lot", "in", visibleLots(db.selectFrom("lots"), viewer).select("lots.id"))
    .execute();
  return rows.map((row) => row.state).sort();
}

async function probe<T>(values: readonly T[], first: (value: T) => Promise<unknown>): Promise<T[]> {
  const found = await Promise.all(values.map(first));
  return values.filter((_value, index) => found[index] !== undefined);
}
