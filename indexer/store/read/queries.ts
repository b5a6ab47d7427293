/** What auditors ask the store, answered from its maintained tables (never by folding raw events). */
import type { Kysely } from "kysely";
import type { CustodyEvent, Id, MaterialBalance, Period } from "../../../domain/index.js";
import { SECONDS_PER_DAY } from "../write/balances.js";
import type { Database } from "../schema.js";
import { eventsById } from "./events.js";

/** Every custody event that wrote lot `lot`, in ledger order. */
export async function lotHistory(db: Kysely<Database>, lot: Id): Promise<CustodyEvent[]> {
  const rows = await db.selectFrom("lot_transitions").select("event_id").where("lot", "=", lot).orderBy("event_id").execute();
  return (await eventsById(db, rows.map(({ event_id }) => event_id))).map(({ event }) => event as CustodyEvent);
}

/**
 * The material balance of `enterprise` for `material` over `period`, from the day buckets: opening is
 * every bucket before the period, movements every bucket in it. Buckets are UTC days, so the period
 * must start and end at midnight UTC.
 */
export async function materialBalance(db: Kysely<Database>, enterprise: Id, material: Id, period: Period): Promise<MaterialBalance> {
  if (period.from % SECONDS_PER_DAY !== 0n || period.to % SECONDS_PER_DAY !== 0n) {
    throw new RangeError(`balances are kept per UTC day: the period ${period.from}..${period.to} must start and end at midnight`);
  }
  const buckets = await db
    .selectFrom("material_balances")
    .select(["day", "received", "consumed", "destroyed"])
    .where("enterprise", "=", enterprise)
    .where("material", "=", material)
    .where("day", "<", period.to)
    .execute();
  const balance: MaterialBalance = { enterprise, material, opening: 0n, received: 0n, consumed: 0n, destroyed: 0n, closing: 0n };
  for (const bucket of buckets) {
    const [received, consumed, destroyed] = [BigInt(bucket.received), BigInt(bucket.consumed), BigInt(bucket.destroyed)];
    if (bucket.day < period.from) {
      balance.opening += received - consumed - destroyed;
    } else {
      balance.received += received;
      balance.consumed += consumed;
      balance.destroyed += destroyed;
    }
  }
  balance.closing = balance.opening + balance.received - balance.consumed - balance.destroyed;
  return balance;
}
