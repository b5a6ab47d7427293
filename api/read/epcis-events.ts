/**
 * The candidates of an EPCIS events query, in event id order from a position (keyset paging): the
 * conditions SQL can decide from indexed columns (custody kind, period, facility, lots, ids), narrowed
 * to the events the viewer may see. The caller tests each candidate as shown to the viewer for the rest.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../indexer/store/schema.js";
import type { Viewer } from "../auth/viewer.js";
import { ofLots, visibleOnly } from "./event-log.js";
import { eventIdRange } from "./events.js";

export interface EpcisCandidates {
  kinds: readonly string[];
  period: { from: bigint; to: bigint } | null;
  facilities: readonly string[] | null;
  /** Every set must have a lot in the event. */
  lotSets: ReadonlyArray<readonly string[]>;
  ids: readonly bigint[] | null;
}

export async function findEpcisCandidates(db: Kysely<Database>, viewer: Viewer, filter: EpcisCandidates, after: bigint, limit: number): Promise<bigint[]> {
  if (filter.kinds.length === 0 || filter.facilities?.length === 0 || filter.ids?.length === 0) return [];
  let query = db.selectFrom("events").select("id").where("kind", "in", [...filter.kinds]).where("id", ">", after);
  if (filter.facilities) query = query.where("facility", "in", [...filter.facilities]);
  if (filter.ids) query = query.where("id", "in", [...filter.ids]);
  for (const lots of filter.lotSets) query = ofLots(query, lots, viewer);
  if (filter.period) {
    const { first, end } = await eventIdRange(db, filter.period);
    query = query.where("id", ">=", first).where("id", "<", end);
  }
  return (await visibleOnly(query, viewer).orderBy("id").limit(limit).execute()).map((row) => row.id);
}
