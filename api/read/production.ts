/** What reconciliation needs beyond balances: an enterprise's norms, its exports, the events behind its stock. */
import type { Kysely } from "kysely";
import type { Id, NormRegisteredEvent, Norm, Period } from "../../domain/index.js";
import { decodePayload } from "../../indexer/payload.js";
import type { Database } from "../../indexer/store/schema.js";
import { STOCK_MOVES } from "./balances.js";
import { eventIdRange } from "./events.js";

export interface RegisteredNorm {
  eventId: bigint;
  norm: Norm;
}

/** Every norm the enterprise registered, in chain order (a later one for a product replaces the earlier). */
export async function normsOf(db: Kysely<Database>, enterprise: Id): Promise<RegisteredNorm[]> {
  const rows = await db.selectFrom("events").select(["id", "payload"]).where("actor", "=", enterprise).where("kind", "=", "normRegistered").orderBy("id").execute();
  return rows.map((row) => ({ eventId: row.id, norm: (decodePayload(row.payload) as NormRegisteredEvent).norm }));
}

export interface ExportedLot {
  eventId: bigint;
  lot: Id;
  product: Id;
  quantity: bigint;
}

/** The enterprise's lots that departed (were exported) during the period. */
export async function exportsOf(db: Kysely<Database>, enterprise: Id, period: Period): Promise<ExportedLot[]> {
  const { first, end } = await eventIdRange(db, period);
  const rows = await db
    .selectFrom("events")
    .innerJoin("lot_transitions", "lot_transitions.event_id", "events.id")
    .select(["events.id", "lot_transitions.lot", "lot_transitions.material", "lot_transitions.quantity"])
    .where("events.kind", "=", "depart")
    .where("events.id", ">=", first)
    .where("events.id", "<", end)
    .where("lot_transitions.owner", "=", enterprise)
    .orderBy("events.id")
    .execute();
  return rows.map((row) => ({ eventId: row.id, lot: row.lot, product: row.material, quantity: BigInt(row.quantity) }));
}

/** Ids of the events that moved the enterprise's production stock of a material during the period. */
export async function stockMoveIds(db: Kysely<Database>, enterprise: Id, material: Id, period: Period, kinds: readonly string[] = STOCK_MOVES): Promise<bigint[]> {
  const { first, end } = await eventIdRange(db, period);
  const rows = await db
    .selectFrom("events")
    .select("id")
    .where("id", ">=", first)
    .where("id", "<", end)
    .where("kind", "in", [...kinds])
    .where("id", "in", (eb) =>
      eb
        .selectFrom("lot_transitions")
        .select("event_id")
        .where("lot", "in", (inner) => inner.selectFrom("lots").select("lots.id").where("lots.owner", "=", enterprise).where("lots.material", "=", material)),
    )
    .orderBy("id")
    .execute();
  return rows.map((row) => row.id);
}
