/** Events back out of the store, as the ledger emitted them (payload.ts says how they are kept). */
import type { Kysely } from "kysely";
import { CUSTODY_ACTIONS, type CustodyActionType, type LotState, type LotTransition } from "../../../domain/index.js";
import type { IndexedEvent } from "../../events.js";
import { decodeCustodyEvent, decodePayload } from "../../payload.js";
import { lotOf } from "../lot-columns.js";
import type { Database } from "../schema.js";
import { keyChunks } from "./key-chunks.js";
import type { Positioned } from "../write/positioned.js";

const isCustody = (kind: string) => CUSTODY_ACTIONS.includes(kind as CustodyActionType);

type EventRow = Pick<Database["events"], "id" | "kind" | "actor" | "facility" | "time" | "payload">;

function assemble(rows: readonly EventRow[], transitionRows: ReadonlyArray<Database["lot_transitions"]>): Positioned[] {
  const transitions = new Map<bigint, LotTransition[]>();
  for (const row of [...transitionRows].sort((a, b) => (a.position < b.position ? -1 : 1))) {
    const list = transitions.get(row.event_id) ?? [];
    list.push({ from: row.from_state as LotState, lot: lotOf(row.lot, row) });
    transitions.set(row.event_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    event: isCustody(row.kind) ? decodeCustodyEvent(row, row.payload, transitions.get(row.id) ?? []) : decodePayload(row.payload),
  }));
}

const COLUMNS = ["id", "kind", "actor", "facility", "time", "payload"] as const;

/** Every event from id `firstId` on, in chain order. */
export async function eventsFrom(db: Kysely<Database>, firstId: bigint): Promise<Positioned[]> {
  const rows = await db.selectFrom("events").select(COLUMNS).where("id", ">=", firstId).orderBy("id").execute();
  const transitions = await db.selectFrom("lot_transitions").selectAll().where("event_id", ">=", firstId).execute();
  return assemble(rows, transitions);
}

const PLACE_COLUMNS = ["block_number", "tx_hash", "event_index", "epcis_hash"] as const;

/** An event's row: where the chain recorded it as well as what it says. */
export type PlacedRow = Pick<Database["events"], (typeof COLUMNS)[number] | (typeof PLACE_COLUMNS)[number]>;

/** Events and their rows by id, in chain order; `rowsOf` reads a chunk's rows (as many columns as its caller needs). */
async function byId<R extends EventRow>(
  db: Kysely<Database>,
  ids: readonly bigint[],
  rowsOf: (chunk: bigint[]) => Promise<R[]>,
): Promise<Array<{ row: R; event: IndexedEvent }>> {
  const found: Array<{ row: R; event: IndexedEvent }> = [];
  for (const chunk of keyChunks(ids)) {
    // Both at once: on PostgreSQL each read is a round trip.
    const [rows, transitions] = await Promise.all([rowsOf(chunk), db.selectFrom("lot_transitions").selectAll().where("event_id", "in", chunk).execute()]);
    const events = assemble(rows, transitions);
    for (const [index, row] of rows.entries()) found.push({ row, event: events[index]!.event });
  }
  return found.sort((a, b) => (a.row.id < b.row.id ? -1 : 1));
}

/** The events with these ids, in chain order, each with its row: where the chain recorded it too. */
export function placedEventsById(db: Kysely<Database>, ids: readonly bigint[]): Promise<Array<{ row: PlacedRow; event: IndexedEvent }>> {
  return byId(db, ids, (chunk) =>
    db
      .selectFrom("events")
      .select([...COLUMNS, ...PLACE_COLUMNS])
      .where("id", "in", chunk)
      .execute(),
  );
}

/** The events with these ids, in chain order (only the columns every store version has: migrations read them). */
export async function eventsById(db: Kysely<Database>, ids: readonly bigint[]): Promise<Positioned[]> {
  const found = await byId(db, ids, (chunk) => db.selectFrom("events").select(COLUMNS).where("id", "in", chunk).execute());
  return found.map(({ row, event }) => ({ id: row.id, event }));
}
