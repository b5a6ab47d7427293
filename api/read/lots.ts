/** Lots: current state by id, and pages of lots by filter. */
import type { Kysely, SelectQueryBuilder } from "kysely";
import type { Lot } from "../../domain/index.js";
import { lotOf } from "../../indexer/store/index.js";
import type { Database } from "../../indexer/store/index.js";
import { keyChunks } from "../../indexer/store/index.js";
import type { Viewer } from "../auth/viewer.js";
import { readCompiled } from "./compiled.js";
import { eventIdRange } from "./events.js";
import { countRows, paged, type Page } from "./page.js";

/** A lot's current state and since when it has been in its stage. */
export interface LotRecord extends Lot {
  stageSince: bigint;
  lastEvent: bigint;
}

export async function lotsById(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, LotRecord>> {
  const lots = new Map<string, LotRecord>();
  for (const chunk of keyChunks(ids)) {
    for (const row of await readCompiled(db, `lots:${chunk.length}`, chunk, () => db.selectFrom("lots").selectAll().where("id", "in", chunk))) {
      lots.set(row.id, { ...lotOf(row.id, row), stageSince: row.stage_since, lastEvent: row.last_event });
    }
  }
  return lots;
}

export interface LotFilter {
  owner?: string | null;
  custodian?: string | null;
  state?: string | null;
  /** Where the lot is now. */
  facility?: string | null;
  hsCode?: string | null;
  material?: string | null;
  /** Lots with at least one event in [from, to). */
  period?: { from: bigint; to: bigint } | null;
}

/** Only the lots the viewer may see (the same rule as Viewer.canSeeLot, in SQL). */
export function visibleLots<O>(query: SelectQueryBuilder<Database, "lots", O>, viewer: Viewer): SelectQueryBuilder<Database, "lots", O> {
  switch (viewer.audience) {
    case "auditor":
      return query;
    case "enterprise":
      return query.where("lots.owner", "=", viewer.org);
    case "warehouse":
      return query.where((eb) =>
        eb.or([
          eb("lots.custodian", "=", viewer.org),
          eb.and([
            eb("lots.seal", "!=", ""),
            eb("lots.destination", "in", eb.selectFrom("facilities").select("facilities.id").where("facilities.operator", "=", viewer.org)),
          ]),
        ]),
      );
    case "issuer":
      return query.where((eb) => eb.val(1), "=", 0);
  }
}

/** The lots matching `filter` that the viewer may see. */
async function matchingLots(db: Kysely<Database>, viewer: Viewer, filter: LotFilter) {
  let query = visibleLots(db.selectFrom("lots"), viewer);
  if (filter.owner) query = query.where("owner", "=", filter.owner);
  if (filter.custodian) query = query.where("custodian", "=", filter.custodian);
  if (filter.state) query = query.where("state", "=", filter.state);
  if (filter.facility) query = query.where("location", "=", filter.facility);
  if (filter.hsCode) query = query.where("hs_code", "=", filter.hsCode);
  if (filter.material) query = query.where("material", "=", filter.material);
  if (filter.period) {
    const { first, end } = await eventIdRange(db, filter.period);
    query = query.where("id", "in", (eb) => eb.selectFrom("lot_transitions").select("lot").where("event_id", ">=", first).where("event_id", "<", end));
  }
  return query;
}

/** A page of the lots matching `filter` that the viewer may see, in id order. */
export async function findLots(db: Kysely<Database>, viewer: Viewer, filter: LotFilter, page: Page<string>): Promise<LotRecord[]> {
  const rows = await paged((await matchingLots(db, viewer, filter)).selectAll(), "id", page).execute();
  return rows.map((row) => ({ ...lotOf(row.id, row), stageSince: row.stage_since, lastEvent: row.last_event }));
}

/** How many lots match `filter` among those the viewer may see. */
export async function countLots(db: Kysely<Database>, viewer: Viewer, filter: LotFilter): Promise<number> {
  return countRows(await matchingLots(db, viewer, filter));
}

/** Ids of the events that wrote lot `lot`, in chain order: its history. */
export async function lotEventIds(db: Kysely<Database>, lot: string, page: Page<bigint>): Promise<bigint[]> {
  const shape = `lotEvents:${page.after !== undefined}:${page.before !== undefined}:${page.inverted}`;
  const parameters = [lot, page.after, page.before, page.limit].filter((parameter) => parameter !== undefined);
  const rows = await readCompiled(db, shape, parameters, () =>
    paged(db.selectFrom("lot_transitions").select("event_id").where("lot", "=", lot), "event_id", page),
  );
  return rows.map((row) => row.event_id);
}

/** How many events wrote lot `lot`: the length of its history (one row per event in `lot_transitions`). */
export async function countLotEvents(db: Kysely<Database>, lot: string): Promise<number> {
  return countRows(db.selectFrom("lot_transitions").where("lot", "=", lot));
}

/** Per lot, the event that brought it across the border (its `arrive`), if it had one. */
export async function arrivalEventIds(db: Kysely<Database>, lots: readonly string[]): Promise<Map<string, bigint>> {
  const arrivals = new Map<string, bigint>();
  for (const chunk of keyChunks(lots)) {
    const rows = await db
      .selectFrom("lot_transitions")
      .innerJoin("events", "events.id", "lot_transitions.event_id")
      .select((eb) => ["lot_transitions.lot", eb.fn.min("lot_transitions.event_id").as("event_id")])
      .where("lot_transitions.lot", "in", chunk)
      .where("events.kind", "=", "arrive")
      .groupBy("lot_transitions.lot")
      .execute();
    for (const row of rows) arrivals.set(row.lot, BigInt(row.event_id));
  }
  return arrivals;
}
