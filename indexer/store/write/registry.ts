/** Registered organisations and facilities (members stay in the events table: nothing queries them). */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import { insertRows } from "./insert-rows.js";
import { ofType, type Positioned } from "./positioned.js";

export async function applyRegistry(db: Kysely<Database>, events: readonly Positioned[]): Promise<void> {
  await insertRows(
    db,
    "organisations",
    ofType(events, "organisationRegistered").map(({ id, event }) => ({ id: event.id, kind: event.kind, event_id: id })),
  );
  await insertRows(
    db,
    "facilities",
    ofType(events, "facilityRegistered").map(({ id, event }) => ({ id: event.id, kind: event.kind, operator: event.operator, event_id: id })),
  );
}

/** Forgets what events from `firstId` on registered. */
export async function revertRegistry(db: Kysely<Database>, firstId: bigint): Promise<void> {
  await db.deleteFrom("organisations").where("event_id", ">=", firstId).execute();
  await db.deleteFrom("facilities").where("event_id", ">=", firstId).execute();
}
