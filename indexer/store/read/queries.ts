/** What auditors ask the store, answered from its maintained tables (never by folding raw events). */
import type { Kysely } from "kysely";
import {
  addMovements,
  figuresFrom,
  NO_MOVEMENTS,
  type CustodyEvent,
  type Id,
  type MaterialBalance,
  type Movements,
  type NormUse,
  type Period,
} from "../../../domain/index.js";
import { BUCKET_COLUMNS, closingBefore, movementsOfRow, SECONDS_PER_DAY } from "../write/balances.js";
import type { Database } from "../schema.js";
import { eventsById } from "./events.js";

/** Every custody event that wrote lot `lot`, in ledger order. */
export async function lotHistory(db: Kysely<Database>, lot: Id): Promise<CustodyEvent[]> {
  const rows = await db.selectFrom("lot_transitions").select("event_id").where("lot", "=", lot).orderBy("event_id").execute();
  return (
    await eventsById(
      db,
      rows.map(({ event_id }) => event_id),
    )
  ).map(({ event }) => event as CustodyEvent);
}

/**
 * The material balance of `enterprise` for `material` over `period`, and its norm use, from the day
 * buckets: opening is the closing stock of the last bucket before the period, movements every bucket in
 * it. Two index reads, whatever the history before the period. Buckets are UTC days, so the period must
 * start and end at midnight UTC.
 */
export async function materialFigures(db: Kysely<Database>, enterprise: Id, material: Id, period: Period): Promise<{ balance: MaterialBalance; use: NormUse }> {
  if (period.from % SECONDS_PER_DAY !== 0n || period.to % SECONDS_PER_DAY !== 0n) {
    throw new RangeError(`balances are kept per UTC day: the period ${period.from}..${period.to} must start and end at midnight`);
  }
  const [opening, buckets] = await Promise.all([
    closingBefore(db, enterprise, material, period.from),
    db
      .selectFrom("material_balances")
      .select(Object.values(BUCKET_COLUMNS))
      .where("enterprise", "=", enterprise)
      .where("material", "=", material)
      .where("day", ">=", period.from)
      .where("day", "<", period.to)
      .execute(),
  ]);
  let during: Movements = { ...NO_MOVEMENTS };
  for (const bucket of buckets) during = addMovements(during, movementsOfRow(bucket));
  return figuresFrom(enterprise, material, opening, during);
}

export async function materialBalance(db: Kysely<Database>, enterprise: Id, material: Id, period: Period): Promise<MaterialBalance> {
  return (await materialFigures(db, enterprise, material, period)).balance;
}
