/**
 * Material balance buckets: what each custody event moved into or out of an enterprise's production
 * stock of a material, and how its transforms' consumption stood against their norms, summed per UTC
 * day. The movements are the domain's own (`movementsOf`, the step of the reference fold
 * `materialFigures`); sums are bigint in TypeScript, stored as decimals.
 */
import type { Kysely } from "kysely";
import {
  addMovements,
  anyMovement,
  movedPairs,
  movementsOf,
  MOVING_ACTIONS,
  NO_MOVEMENTS,
  stockChange,
  type CustodyEvent,
  type Id,
  type Movements,
} from "../../../domain/index.js";
import { eventsById } from "../read/events.js";
import type { Database } from "../schema.js";
import { chunks, insertRows, type InsertEnding } from "./insert-rows.js";
import type { Positioned } from "./positioned.js";

export const SECONDS_PER_DAY = 86_400n;

/** Each figure of the domain's Movements and the bucket column that sums it. */
export const BUCKET_COLUMNS = {
  received: "received",
  consumed: "consumed",
  destroyed: "destroyed",
  allowed: "allowed",
  overConsumed: "over_consumed",
  overAllowed: "over_allowed",
} as const satisfies Record<keyof Movements, keyof Database["material_balances"]>;

const FIGURES = Object.keys(BUCKET_COLUMNS) as Array<keyof Movements>;

/** A stored bucket's figures as the domain's Movements. */
export function movementsOfRow(row: Pick<Database["material_balances"], (typeof BUCKET_COLUMNS)[keyof Movements]>): Movements {
  return Object.fromEntries(FIGURES.map((figure) => [figure, BigInt(row[BUCKET_COLUMNS[figure]])])) as unknown as Movements;
}

interface Bucket {
  enterprise: string;
  material: string;
  day: bigint;
  moved: Movements;
  events: bigint;
}

const keyOf = (enterprise: string, material: string, day: bigint) => JSON.stringify([enterprise, material, day.toString()]);

/** Per bucket, what `events` moved (negated when `sign` is -1n, to take them back out). */
function movementsByBucket(events: ReadonlyArray<Positioned<CustodyEvent>>, sign: 1n | -1n): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const { event } of events) {
    const day = event.time - (event.time % SECONDS_PER_DAY);
    for (const [enterprise, material] of movedPairs(event)) {
      const moved = movementsOf(event, enterprise, material);
      if (!anyMovement(moved)) continue;
      const key = keyOf(enterprise, material, day);
      const bucket = buckets.get(key) ?? { enterprise, material, day, moved: { ...NO_MOVEMENTS }, events: 0n };
      bucket.moved = addMovements(bucket.moved, moved, sign);
      bucket.events += sign;
      buckets.set(key, bucket);
    }
  }
  return buckets;
}

const REPLACE_TOTALS: InsertEnding<"material_balances"> = {
  name: "replace totals",
  finish: (query) =>
    query.onConflict((conflict) =>
      conflict.columns(["enterprise", "material", "day"]).doUpdateSet((eb) => ({
        ...Object.fromEntries(Object.values(BUCKET_COLUMNS).map((column) => [column, eb.ref(`excluded.${column}`)])),
        events: eb.ref("excluded.events"),
        closing: eb.ref("excluded.closing"),
      })),
    ),
};

/** One enterprise's material: its deltas in day order, from the first day they touch. */
interface Pair {
  enterprise: string;
  material: string;
  from: bigint;
  deltas: Bucket[];
}

function pairsOf(buckets: Iterable<Bucket>): Pair[] {
  const pairs = new Map<string, Pair>();
  for (const bucket of buckets) {
    const key = JSON.stringify([bucket.enterprise, bucket.material]);
    const pair = pairs.get(key) ?? { enterprise: bucket.enterprise, material: bucket.material, from: bucket.day, deltas: [] };
    pair.deltas.push(bucket);
    if (bucket.day < pair.from) pair.from = bucket.day;
    pairs.set(key, pair);
  }
  return [...pairs.values()];
}

/**
 * Adds the movements of `events` to their buckets (sign 1n), or takes them back out (sign -1n, for a
 * rollback), dropping buckets no event moves any more, and carries each bucket's closing stock from the
 * one before it. Events come in ledger order, so only a pair's latest days change and the closings
 * rewritten are those from the first day touched on (usually one or two rows).
 */
export async function moveBalances(db: Kysely<Database>, events: ReadonlyArray<Positioned<CustodyEvent>>, sign: 1n | -1n): Promise<void> {
  for (const chunk of chunks(pairsOf(movementsByBucket(events, sign).values()), 10)) {
    const [stored, before] = await Promise.all([
      db
        .selectFrom("material_balances")
        .selectAll()
        .where((eb) =>
          eb.or(chunk.map((pair) => eb.and([eb("enterprise", "=", pair.enterprise), eb("material", "=", pair.material), eb("day", ">=", pair.from)]))),
        )
        .execute(),
      Promise.all(chunk.map((pair) => closingBefore(db, pair.enterprise, pair.material, pair.from))),
    ]);
    const kept: Array<Database["material_balances"]> = [];
    const emptied: Bucket[] = [];
    for (const [index, pair] of chunk.entries()) {
      const days = new Map<bigint, { row?: Database["material_balances"]; delta?: Bucket }>();
      for (const row of stored) if (row.enterprise === pair.enterprise && row.material === pair.material) days.set(row.day, { row });
      for (const delta of pair.deltas) days.set(delta.day, { ...days.get(delta.day), delta });
      let closing = before[index]!;
      for (const day of [...days.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        const { row, delta } = days.get(day)!;
        const events = (row?.events ?? 0n) + (delta?.events ?? 0n);
        if (events === 0n) {
          emptied.push(delta!);
          continue;
        }
        const moved = addMovements(row === undefined ? NO_MOVEMENTS : movementsOfRow(row), delta?.moved ?? NO_MOVEMENTS);
        closing += stockChange(moved);
        kept.push({
          enterprise: pair.enterprise,
          material: pair.material,
          day,
          ...(Object.fromEntries(FIGURES.map((figure) => [BUCKET_COLUMNS[figure], moved[figure].toString()])) as Record<
            (typeof BUCKET_COLUMNS)[keyof Movements],
            string
          >),
          events,
          closing: closing.toString(),
        });
      }
    }
    await insertRows(db, "material_balances", kept, REPLACE_TOTALS);
    if (emptied.length > 0) {
      await db
        .deleteFrom("material_balances")
        .where((eb) =>
          eb(
            eb.refTuple("enterprise", "material", "day"),
            "in",
            emptied.map(({ enterprise, material, day }) => eb.tuple(enterprise, material, day)),
          ),
        )
        .execute();
    }
  }
}

/** Events per slice when the buckets are rebuilt from the whole history. */
const REBUILD_SLICE = 5_000;

/** Recomputes every bucket from the stored events (a migration that adds a figure uses it). */
export async function rebuildBalances(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom("material_balances").execute();
  let after = -1n;
  for (;;) {
    const ids = await db
      .selectFrom("events")
      .select("id")
      .where("kind", "in", [...MOVING_ACTIONS])
      .where("id", ">", after)
      .orderBy("id")
      .limit(REBUILD_SLICE)
      .execute();
    if (ids.length === 0) return;
    after = ids.at(-1)!.id;
    await moveBalances(
      db,
      (await eventsById(
        db,
        ids.map((row) => row.id),
      )) as Array<Positioned<CustodyEvent>>,
      1n,
    );
  }
}

/** Buckets per page when the closings are computed over the stored buckets. */
const CLOSING_PAGE = 5_000;

/** Computes every bucket's closing stock from the stored buckets, in day order per enterprise's material (migration 0014). */
export async function fillClosings(db: Kysely<Database>): Promise<void> {
  let last: Database["material_balances"] | undefined;
  let closing = 0n;
  for (;;) {
    let page = db.selectFrom("material_balances").selectAll();
    if (last !== undefined) {
      const after = last;
      page = page.where((eb) => eb(eb.refTuple("enterprise", "material", "day"), ">", eb.tuple(after.enterprise, after.material, after.day)));
    }
    const rows = await page.orderBy("enterprise").orderBy("material").orderBy("day").limit(CLOSING_PAGE).execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      if (last === undefined || row.enterprise !== last.enterprise || row.material !== last.material) closing = 0n;
      closing += stockChange(movementsOfRow(row));
      row.closing = closing.toString();
      last = row;
    }
    await insertRows(db, "material_balances", rows, REPLACE_TOTALS);
  }
}

/** The enterprise's stock of the material when day `day` opens: its last bucket's closing before it (0 if none). */
export async function closingBefore(db: Kysely<Database>, enterprise: Id, material: Id, day: bigint): Promise<bigint> {
  const row = await db
    .selectFrom("material_balances")
    .select("closing")
    .where("enterprise", "=", enterprise)
    .where("material", "=", material)
    .where("day", "<", day)
    .orderBy("day", "desc")
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? 0n : BigInt(row.closing);
}
