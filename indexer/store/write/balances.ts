/**
 * Material balance buckets: what each custody event moved into or out of an enterprise's production
 * stock of a material, and how its transforms' consumption stood against their norms, summed per UTC
 * day. The movements are the domain's own (`movementsOf`, the step of the reference fold
 * `materialFigures`); sums are bigint in TypeScript, stored as decimals.
 */
import type { Kysely } from "kysely";
import { addMovements, anyMovement, movedPairs, movementsOf, MOVING_ACTIONS, NO_MOVEMENTS, type CustodyEvent, type Movements } from "../../../domain/index.js";
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
      })),
    ),
};

/**
 * Adds the movements of `events` to their buckets (sign 1n), or takes them back out (sign -1n, for a
 * rollback), dropping buckets no event moves any more.
 */
export async function moveBalances(db: Kysely<Database>, events: ReadonlyArray<Positioned<CustodyEvent>>, sign: 1n | -1n): Promise<void> {
  const deltas = [...movementsByBucket(events, sign).values()];
  for (const chunk of chunks(deltas, 10)) {
    const stored = await db
      .selectFrom("material_balances")
      .selectAll()
      .where((eb) =>
        eb(
          eb.refTuple("enterprise", "material", "day"),
          "in",
          chunk.map(({ enterprise, material, day }) => eb.tuple(enterprise, material, day)),
        ),
      )
      .execute();
    const totals = new Map(stored.map((row) => [keyOf(row.enterprise, row.material, row.day), row]));
    const kept: Array<Database["material_balances"]> = [];
    const emptied: Bucket[] = [];
    for (const delta of chunk) {
      const row = totals.get(keyOf(delta.enterprise, delta.material, delta.day));
      const events = (row?.events ?? 0n) + delta.events;
      if (events === 0n) {
        emptied.push(delta);
        continue;
      }
      const moved = addMovements(row === undefined ? NO_MOVEMENTS : movementsOfRow(row), delta.moved);
      kept.push({
        enterprise: delta.enterprise,
        material: delta.material,
        day: delta.day,
        ...(Object.fromEntries(FIGURES.map((figure) => [BUCKET_COLUMNS[figure], moved[figure].toString()])) as Record<
          (typeof BUCKET_COLUMNS)[keyof Movements],
          string
        >),
        events,
      });
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
