/** Pages of the event log by filter, narrowed to what the viewer may see (the audit trail, EPCIS). */
import type { Kysely, SelectQueryBuilder } from "kysely";
import type { Database } from "../../indexer/store/schema.js";
import type { Viewer } from "../auth/viewer.js";
import { eventIdRange } from "./events.js";
import { visibleLots } from "./lots.js";
import { paged, type Page } from "./page.js";

export interface EventFilter {
  /** Custody actions or event types (declare, transform, documentAnchored, …). */
  kinds?: readonly string[] | null;
  actor?: string | null;
  lot?: string | null;
  facility?: string | null;
  period?: { from: bigint; to: bigint } | null;
  /** Only the events the ledger flagged (true), or only the others (false). */
  flagged?: boolean | null;
}

/**
 * Ids of the events matching `filter` that the viewer may see: customs sees every event; anyone else
 * the events its organisation performed or issued, and the custody events of lots it may see now
 * (Visibility.canSeeEvent is the same rule for one event; Visibility.shownEvents cuts each down).
 */
export async function findEventIds(db: Kysely<Database>, viewer: Viewer, filter: EventFilter, page: Page<bigint>): Promise<bigint[]> {
  let query = db.selectFrom("events").select("id");
  if (filter.kinds && filter.kinds.length > 0) query = query.where("kind", "in", [...filter.kinds]);
  if (filter.actor) query = query.where("actor", "=", filter.actor);
  if (filter.facility) query = query.where("facility", "=", filter.facility);
  if (typeof filter.flagged === "boolean") query = query.where("flagged", "=", filter.flagged ? 1n : 0n);
  if (filter.lot) query = ofLots(query, [filter.lot], viewer);
  if (filter.period) {
    const { first, end } = await eventIdRange(db, filter.period);
    query = query.where("id", ">=", first).where("id", "<", end);
  }
  return (await paged(visibleOnly(query, viewer), "id", page).execute()).map((row) => row.id);
}

type EventIdQuery = SelectQueryBuilder<Database, "events", { id: bigint }>;

/**
 * The events that wrote one of these lots. Outside customs only a lot the viewer may see matches: the
 * events it sees show no other lot, so matching one would tell which of them concerned it.
 */
export function ofLots(query: EventIdQuery, lots: readonly string[], viewer: Viewer): EventIdQuery {
  return query.where("id", "in", (eb) => {
    const events = eb.selectFrom("lot_transitions").select("event_id").where("lot", "in", [...lots]);
    return viewer.isAuditor ? events : events.where("lot", "in", visibleLots(eb.selectFrom("lots"), viewer).select("lots.id"));
  });
}

/** Only the events the viewer may see: its own, and those of lots it may see now (Visibility.canSeeEvent). */
export function visibleOnly(query: EventIdQuery, viewer: Viewer): EventIdQuery {
  if (viewer.isAuditor) return query;
  return query.where((eb) =>
    eb.or([
      eb("actor", "=", viewer.org),
      eb("id", "in", eb.selectFrom("lot_transitions").select("event_id").where("lot", "in", visibleLots(eb.selectFrom("lots"), viewer).select("lots.id"))),
    ]),
  );
}
