/** Pages of the event log by filter, narrowed to what the viewer may see (the audit trail, EPCIS). */
import type { Kysely, SelectQueryBuilder } from "kysely";
import type { Database } from "../../indexer/store/index.js";
import type { Viewer } from "../auth/viewer.js";
import { eventIdRange } from "./events.js";
import { visibleLots } from "./lots.js";
import { countRows, paged, type Page } from "./page.js";

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
  return (await paged(await matchingEvents(db, viewer, filter), "id", page).execute()).map((row) => row.id);
}

/** How many events match `filter` among those the viewer may see: what findEventIds pages through. */
export async function countEvents(db: Kysely<Database>, viewer: Viewer, filter: EventFilter): Promise<number> {
  return countRows(await matchingEvents(db, viewer, filter));
}

async function matchingEvents(db: Kysely<Database>, viewer: Viewer, filter: EventFilter): Promise<EventIdQuery> {
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
  return visibleOnly(query, viewer, await visibilityShape(db, viewer));
}

type EventIdQuery = SelectQueryBuilder<Database, "events", { id: bigint }>;

/**
 * The events that wrote one of these lots. Outside customs only a lot the viewer may see matches: the
 * events it sees show no other lot, so matching one would tell which of them concerned it.
 */
export function ofLots(query: EventIdQuery, lots: readonly string[], viewer: Viewer): EventIdQuery {
  return query.where("id", "in", (eb) => {
    const events = eb
      .selectFrom("lot_transitions")
      .select("event_id")
      .where("lot", "in", [...lots]);
    return viewer.isAuditor ? events : events.where("lot", "in", visibleLots(eb.selectFrom("lots"), viewer).select("lots.id"));
  });
}

/** A viewer who may see this many lots finds its events by probing each event in id order (EXISTS), one who may see fewer from its lots' transitions (IN). */
const PROBE_FROM_LOTS = 1_000;

/**
 * How SQL narrows events to a viewer's, so that a page costs what the page reads: customs sees all;
 * one who may see no lot (an issuer) only its own; for the others, `id IN (the transitions of its lots)`
 * reads every transition of every lot it may see for each page (tens of ms for a warehouse holding
 * 7,000 lots), while `EXISTS` per event stops at the page's end but reads every event between two of
 * the viewer's, so it is used only for a viewer who may see many lots (a dense share of the events).
 */
export type VisibilityShape = "all" | "own" | "lots" | "probe";

export async function visibilityShape(db: Kysely<Database>, viewer: Viewer): Promise<VisibilityShape> {
  if (viewer.isAuditor) return "all";
  if (viewer.audience === "issuer") return "own";
  const many = await visibleLots(db.selectFrom("lots").select("lots.id"), viewer)
    .offset(PROBE_FROM_LOTS - 1)
    .limit(1)
    .executeTakeFirst();
  return many === undefined ? "lots" : "probe";
}

/** Only the events the viewer may see: its own, and those of lots it may see now (Visibility.canSeeEvent). */
export function visibleOnly(query: EventIdQuery, viewer: Viewer, shape: VisibilityShape): EventIdQuery {
  switch (shape) {
    case "all":
      return query;
    case "own":
      return query.where("actor", "=", viewer.org);
    case "lots":
      return query.where((eb) =>
        eb.or([
          eb("actor", "=", viewer.org),
          eb(
            "id",
            "in",
            eb
              .selectFrom("lot_transitions")
              .select("event_id")
              .where("lot", "in", visibleLots(eb.selectFrom("lots"), viewer).select("lots.id")),
          ),
        ]),
      );
    case "probe":
      return query.where((eb) =>
        eb.or([
          eb("actor", "=", viewer.org),
          eb.exists(
            visibleLots(
              eb
                .selectFrom("lot_transitions")
                .innerJoin("lots", "lots.id", "lot_transitions.lot")
                .select("lot_transitions.event_id")
                .whereRef("lot_transitions.event_id", "=", "events.id"),
              viewer,
            ),
          ),
        ]),
      );
  }
}
