/** Lots' custody histories as holds and releases are judged from, read for many lots at once. */
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import { chunks } from "../store/write/insert-rows.js";

export interface Step {
  id: bigint;
  kind: string;
  time: bigint;
  state: string;
  from_state: string;
  location: string;
  owner: string;
  direction: string;
  material: string;
  quantity: string;
  unit: string;
}

/** Each lot's transitions with their events, in chain order: one query per chunk of lots, not one per lot. */
export async function historiesOf(db: Kysely<Database>, lots: readonly string[]): Promise<Map<string, Step[]>> {
  const histories = new Map<string, Step[]>(lots.map((lot) => [lot, []]));
  for (const chunk of chunks(lots)) {
    const rows = await db
      .selectFrom("lot_transitions")
      .innerJoin("events", "events.id", "lot_transitions.event_id")
      .select([
        "lot_transitions.lot",
        "events.id",
        "events.kind",
        "events.time",
        "lot_transitions.state",
        "lot_transitions.from_state",
        "lot_transitions.location",
        "lot_transitions.owner",
        "lot_transitions.direction",
        "lot_transitions.material",
        "lot_transitions.quantity",
        "lot_transitions.unit",
      ])
      .where("lot_transitions.lot", "in", chunk)
      .orderBy("events.id")
      .execute();
    for (const { lot, ...step } of rows) histories.get(lot)!.push(step);
  }
  return histories;
}
