/** What reconciliation needs beyond balances: an enterprise's norms and the events behind its figures. */
import { sql, type Kysely } from "kysely";
import { MOVING_ACTIONS, type Id, type NormRegisteredEvent, type Norm, type Period } from "../../domain/index.js";
import { decodePayload } from "../../indexer/payload.js";
import type { Database } from "../../indexer/store/index.js";
import { eventIdRange } from "./events.js";

/** Every norm the enterprise registered, in chain order (a later one for a product replaces the earlier). */
export async function normsOf(db: Kysely<Database>, enterprise: Id): Promise<Norm[]> {
  // The kind as a literal: only then may an engine use the partial index events_norms.
  const rows = await db
    .selectFrom("events")
    .select("payload")
    .where("actor", "=", enterprise)
    .where("kind", "=", sql.lit("normRegistered"))
    .orderBy("id")
    .execute();
  return rows.map((row) => (decodePayload(row.payload) as NormRegisteredEvent).norm);
}

/** Ids of the transforms the ledger flagged (over their norm) that the enterprise performed during the period. */
export async function flaggedTransformIds(db: Kysely<Database>, enterprise: Id, period: Period): Promise<bigint[]> {
  const { first, end } = await eventIdRange(db, period);
  const rows = await db
    .selectFrom("events")
    .select("id")
    .where("flagged", "=", 1n)
    .where("id", ">=", first)
    .where("id", "<", end)
    .where("kind", "=", "transform")
    .where("actor", "=", enterprise)
    .orderBy("id")
    .execute();
  return rows.map((row) => row.id);
}

/** Ids of the events that moved the enterprise's production stock of a material during the period. */
export async function stockMoveIds(db: Kysely<Database>, enterprise: Id, material: Id, period: Period): Promise<bigint[]> {
  const { first, end } = await eventIdRange(db, period);
  const rows = await db
    .selectFrom("events")
    .select("id")
    .where("id", ">=", first)
    .where("id", "<", end)
    .where("kind", "in", [...MOVING_ACTIONS])
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
