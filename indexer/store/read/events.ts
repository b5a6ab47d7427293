/** Events back out of the store, as the ledger emitted them (payload.ts says how they are kept). */
import type { Kysely } from "kysely";
import { CUSTODY_ACTIONS, type CustodyActionType, type LotState, type LotTransition } from "../../../domain/index.js";
import { decodeCustodyEvent, decodePayload } from "../../payload.js";
import { lotOf } from "../lot-columns.js";
import type { Database } from "../schema.js";
import { chunks } from "../write/insert-rows.js";
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

/** The events with these ids, in chain order. */
export async function eventsById(db: Kysely<Database>, ids: readonly bigint[]): Promise<Positioned[]> {
  const events: Positioned[] = [];
  for (const chunk of chunks(ids)) {
    // Both at once: on PostgreSQL each read is a round trip.
    const [rows, transitions] = await Promise.all([
      db.selectFrom("events").select(COLUMNS).where("id", "in", chunk).execute(),
      db.selectFrom("lot_transitions").selectAll().where("event_id", "in", chunk).execute(),
    ]);
    events.push(...assemble(rows, transitions));
  }
  return events.sort((a, b) => (a.id < b.id ? -1 : 1));
}
