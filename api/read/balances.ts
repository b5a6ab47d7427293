/**
 * Material balances over any period. The indexer's reader answers for whole UTC days from its day
 * buckets; for a period that starts or ends inside a day, the API asks it for the whole days around
 * the period and then takes back out the movements of the hours outside it, event by event, with the
 * domain's own `movementsOf`. So any period gives the figures of the domain's reference fold.
 */
import type { Kysely } from "kysely";
import { movementsOf, type CustodyEvent, type Id, type MaterialBalance, type Period } from "../../domain/index.js";
import { materialBalance } from "../../indexer/store/read/queries.js";
import type { Database } from "../../indexer/store/schema.js";
import { SECONDS_PER_DAY } from "../../indexer/store/write/balances.js";
import { eventIdRange, eventRecords } from "./events.js";

/** The custody actions that move production stock (domain `movementsOf`). */
export const STOCK_MOVES = ["receive", "transform", "destroy"] as const;

export async function storedMaterialBalance(db: Kysely<Database>, enterprise: Id, material: Id, period: Period): Promise<MaterialBalance> {
  const days = { from: period.from - mod(period.from, SECONDS_PER_DAY), to: period.to + mod(SECONDS_PER_DAY - mod(period.to, SECONDS_PER_DAY), SECONDS_PER_DAY) };
  const balance = await materialBalance(db, enterprise, material, days);
  const outside = async (range: Period, opening: boolean) => {
    for (const event of await stockMoves(db, range)) {
      const { received, consumed, destroyed } = movementsOf(event, enterprise, material);
      balance.received -= received;
      balance.consumed -= consumed;
      balance.destroyed -= destroyed;
      if (opening) balance.opening += received - consumed - destroyed;
    }
  };
  await outside({ from: days.from, to: period.from }, true); // before the period: opening stock
  await outside({ from: period.to, to: days.to }, false); // after it: not counted
  balance.closing = balance.opening + balance.received - balance.consumed - balance.destroyed;
  return balance;
}

const mod = (a: bigint, b: bigint) => ((a % b) + b) % b;

/** The custody events that moved production stock in [from, to). */
async function stockMoves(db: Kysely<Database>, range: Period): Promise<CustodyEvent[]> {
  if (range.from >= range.to) return [];
  const { first, end } = await eventIdRange(db, range);
  const ids = await db.selectFrom("events").select("id").where("id", ">=", first).where("id", "<", end).where("kind", "in", [...STOCK_MOVES]).execute();
  return (await eventRecords(db, ids.map((row) => row.id))).map(({ event }) => event as CustodyEvent);
}

/** Materials an enterprise moved in production before `before`. */
export async function materialsMoved(db: Kysely<Database>, enterprise: Id, before: bigint): Promise<Id[]> {
  const rows = await db.selectFrom("material_balances").select("material").distinct().where("enterprise", "=", enterprise).where("day", "<", before).execute();
  return rows.map((row) => row.material);
}
