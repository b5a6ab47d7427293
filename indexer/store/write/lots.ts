/**
 * Lots: every transition (lot_transitions, the history), the current state (lots) and the finished
 * stays per stage and facility (stage_stays, counted in stay_durations), from custody events.
 */
import type { Kysely, Selectable } from "kysely";
import type { CustodyEvent, Lot } from "../../../domain/index.js";
import { LOT_COLUMN_NAMES, lotColumns, lotOf } from "../lot-columns.js";
import type { Database, LotsTable } from "../schema.js";
import { chunks, insertRows, type InsertEnding } from "./insert-rows.js";
import type { Positioned } from "./positioned.js";
import { countStays } from "./stay-durations.js";

type LotRow = Selectable<LotsTable>;

/** Every column of lots but its key. */
const LOT_ROW_COLUMNS: Array<keyof LotRow> = [...LOT_COLUMN_NAMES, "last_event", "stage_since", "stage_event"];

/**
 * The lot's row after event `lastEvent`; it has been in its stage since `stageSince` (event `stageEvent`).
 * `columns`: the lot's, when its transition row already made them.
 */
function lotRow(lot: Lot, lastEvent: bigint, stageSince: bigint, stageEvent: bigint, columns = lotColumns(lot)): LotRow {
  return { id: lot.id, ...columns, last_event: lastEvent, stage_since: stageSince, stage_event: stageEvent };
}

async function readLots(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, LotRow>> {
  const lots = new Map<string, LotRow>();
  for (const chunk of chunks(ids)) {
    for (const row of await db.selectFrom("lots").selectAll().where("id", "in", chunk).execute()) lots.set(row.id, row);
  }
  return lots;
}

/** Inserts new lots and replaces the rows of known ones. */
const REPLACE_LOT: InsertEnding<"lots"> = {
  name: "replace lot",
  finish: (query) =>
    query.onConflict((conflict) =>
      conflict.column("id").doUpdateSet((eb) => Object.fromEntries(LOT_ROW_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)]))),
    ),
};

async function writeLots(db: Kysely<Database>, rows: readonly LotRow[]): Promise<void> {
  await insertRows(db, "lots", rows, REPLACE_LOT);
}

/** The quantity a lot held just before an event (recorded for the inputs of splits and transforms). */
export type QuantityBefore = (lot: string, eventId: bigint) => { quantity: string } | undefined;

/** Events whose findings compare their inputs with what those lots held before (findings/event-findings.ts). */
export const DIVIDING: ReadonlySet<string> = new Set(["split", "transform"]);

/**
 * Applies custody events, in chain order, to lots, their history and their stays. Returns what the
 * inputs of the batch's splits and transforms held just before each: the lots' rows are at hand here,
 * where the findings would otherwise read each lot's history back.
 */
export async function applyLots(db: Kysely<Database>, events: ReadonlyArray<Positioned<CustodyEvent>>): Promise<QuantityBefore> {
  // Only lots that existed before this batch need reading: a transition from NONE creates its lot.
  const existing = new Set<string>();
  for (const { event } of events) for (const { from, lot } of event.transitions) if (from !== "NONE") existing.add(lot.id);
  const current = await readLots(db, [...existing]);
  const touched = new Set<string>();
  const transitions: Array<Database["lot_transitions"]> = [];
  const stays: Array<Database["stage_stays"]> = [];
  const held = new Map<string, { quantity: string }>();
  for (const { id, event } of events) {
    if (DIVIDING.has(event.action)) {
      for (const { from, lot } of event.transitions) {
        const previous = from === "NONE" ? undefined : current.get(lot.id);
        if (previous !== undefined) held.set(`${id}:${lot.id}`, { quantity: previous.quantity });
      }
    }
    for (const [position, { from, lot }] of event.transitions.entries()) {
      const columns = lotColumns(lot);
      transitions.push({ event_id: id, position: BigInt(position), lot: lot.id, from_state: from, ...columns });
      touched.add(lot.id);
      const previous = current.get(lot.id);
      if (previous === undefined) {
        if (from !== "NONE") throw new Error(`event ${id} moves lot ${lot.id} from ${from}, but the store has no such lot`);
        current.set(lot.id, lotRow(lot, id, event.time, id, columns));
      } else if (previous.state === lot.state && previous.location === lot.location) {
        current.set(lot.id, lotRow(lot, id, previous.stage_since, previous.stage_event, columns));
      } else {
        stays.push({
          lot: lot.id,
          entered_event: previous.stage_event,
          state: previous.state,
          facility: previous.location,
          entered_at: previous.stage_since,
          left_at: event.time,
          duration: event.time - previous.stage_since,
          left_event: id,
        });
        current.set(lot.id, lotRow(lot, id, event.time, id, columns));
      }
    }
  }
  await writeLots(
    db,
    [...touched].map((id) => current.get(id)!),
  );
  await insertRows(db, "lot_transitions", transitions);
  await insertRows(db, "stage_stays", stays);
  await countStays(db, stays, 1n);
  return (lot, eventId) => held.get(`${eventId}:${lot}`);
}

/**
 * Takes back custody events from `firstId` on (`removed`): their transitions and the stays they ended
 * are deleted, and each lot they wrote is rebuilt from what remains — its last remaining transition,
 * in its stage since the last remaining stay ended (or since its first event) — or deleted if nothing does.
 */
export async function revertLots(db: Kysely<Database>, removed: ReadonlyArray<Positioned<CustodyEvent>>, firstId: bigint): Promise<void> {
  await db.deleteFrom("lot_transitions").where("event_id", ">=", firstId).execute();
  const lots = [...new Set(removed.flatMap(({ event }) => event.transitions.map(({ lot }) => lot.id)))];
  for (const chunk of chunks(lots)) {
    const ended = await db
      .deleteFrom("stage_stays")
      .where("lot", "in", chunk)
      .where("left_event", ">=", firstId)
      .returning(["state", "facility", "duration"])
      .execute();
    await countStays(db, ended, -1n);
    const spans = await db
      .selectFrom("lot_transitions")
      .select((eb) => ["lot", eb.fn.min("event_id").as("first"), eb.fn.max("event_id").as("last")])
      .where("lot", "in", chunk)
      .groupBy("lot")
      .execute();
    const lastStays = new Map<string, { left_at: bigint; left_event: bigint }>();
    for (const stay of await db.selectFrom("stage_stays").select(["lot", "left_at", "left_event"]).where("lot", "in", chunk).execute()) {
      if ((lastStays.get(stay.lot)?.left_event ?? -1n) < stay.left_event) lastStays.set(stay.lot, stay);
    }
    const lastTransitions = new Map<string, Database["lot_transitions"]>();
    const firstTimes = new Map<bigint, bigint>();
    for (const part of chunks(spans, 2)) {
      const transitions = await db
        .selectFrom("lot_transitions")
        .selectAll()
        .where((eb) =>
          eb(
            eb.refTuple("lot", "event_id"),
            "in",
            part.map(({ lot, last }) => eb.tuple(lot, last)),
          ),
        )
        .execute();
      for (const transition of transitions) lastTransitions.set(transition.lot, transition);
      const events = await db
        .selectFrom("events")
        .select(["id", "time"])
        .where(
          "id",
          "in",
          part.map(({ first }) => first),
        )
        .execute();
      for (const { id, time } of events) firstTimes.set(id, time);
    }
    const rows = spans.map(({ lot, first, last }) => {
      const state = lotOf(lot, lastTransitions.get(lot)!);
      const stay = lastStays.get(lot);
      return stay === undefined ? lotRow(state, last, firstTimes.get(first)!, first) : lotRow(state, last, stay.left_at, stay.left_event);
    });
    const remaining = new Set(rows.map(({ id }) => id));
    const gone = chunk.filter((id) => !remaining.has(id));
    if (gone.length > 0) await db.deleteFrom("lots").where("id", "in", gone).execute();
    await writeLots(db, rows);
  }
}
