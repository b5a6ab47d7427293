/**
 * Material balances and norm use over any period. The indexer's reader answers for whole UTC days from
 * its day buckets; for a period that starts or ends inside a day, the API asks it for the whole days
 * around the period and then takes back out the movements of the hours outside it, event by event, with
 * the domain's own `movementsOf`. So any period gives the figures of the domain's reference fold.
 */
import { sql, type Kysely } from "kysely";
import {
  addMovements,
  figuresFrom,
  movementsOf,
  stockChange,
  MOVING_ACTIONS,
  type CustodyEvent,
  type Id,
  type MaterialBalance,
  type Movements,
  type NormUse,
  type Period,
} from "../../domain/index.js";
import { materialFigures } from "../../indexer/store/index.js";
import type { Database } from "../../indexer/store/index.js";
import { SECONDS_PER_DAY } from "../../indexer/store/index.js";
import { eventIdRange, eventRecords } from "./events.js";

export async function storedMaterialFigures(
  db: Kysely<Database>,
  enterprise: Id,
  material: Id,
  period: Period,
): Promise<{ balance: MaterialBalance; use: NormUse }> {
  const days = {
    from: period.from - mod(period.from, SECONDS_PER_DAY),
    to: period.to + mod(SECONDS_PER_DAY - mod(period.to, SECONDS_PER_DAY), SECONDS_PER_DAY),
  };
  const { balance, use } = await materialFigures(db, enterprise, material, days);
  let opening = balance.opening;
  let during: Movements = { ...balance, ...use };
  for (const event of await stockMoves(db, { from: days.from, to: period.from })) {
    const moved = movementsOf(event, enterprise, material);
    during = addMovements(during, moved, -1n);
    opening += stockChange(moved); // before the period: opening stock
  }
  for (const event of await stockMoves(db, { from: period.to, to: days.to })) during = addMovements(during, movementsOf(event, enterprise, material), -1n); // after it: not counted
  return figuresFrom(enterprise, material, opening, during);
}

export async function storedMaterialBalance(db: Kysely<Database>, enterprise: Id, material: Id, period: Period): Promise<MaterialBalance> {
  return (await storedMaterialFigures(db, enterprise, material, period)).balance;
}

const mod = (a: bigint, b: bigint) => ((a % b) + b) % b;

/** The custody events that moved production stock in [from, to). */
async function stockMoves(db: Kysely<Database>, range: Period): Promise<CustodyEvent[]> {
  if (range.from >= range.to) return [];
  const { first, end } = await eventIdRange(db, range);
  const ids = await db
    .selectFrom("events")
    .select("id")
    .where("id", ">=", first)
    .where("id", "<", end)
    .where("kind", "in", [...MOVING_ACTIONS])
    .execute();
  return (
    await eventRecords(
      db,
      ids.map((row) => row.id),
    )
  ).map(({ event }) => event as CustodyEvent);
}

/**
 * Materials an enterprise moved in production before `before`, in text order. One index seek per
 * material (a loose index scan over the buckets' key): a distinct over the buckets would read every day
 * of every year.
 */
export async function materialsMoved(db: Kysely<Database>, enterprise: Id, before: bigint): Promise<Id[]> {
  const next = (after: ReturnType<typeof sql>) => sql`(select material from material_balances
    where enterprise = ${enterprise} and material > ${after} and day < ${before} order by material limit 1)`;
  const { rows } = await sql<{ material: string }>`with recursive moved(material) as (
      select ${next(sql`''`)}
      union all
      select ${next(sql`moved.material`)} from moved where moved.material is not null
    )
    select material from moved where material is not null`.execute(db);
  return rows.map((row) => row.material);
}
