/**
 * Material balance buckets: what each custody event moved into or out of an enterprise's production
 * stock of a material, summed per UTC day. The movements are the domain's own (`movementsOf`, the
 * step of the reference fold `materialBalance`); sums are bigint in TypeScript, stored as decimals.
 */
import type { Kysely } from "kysely";
import { movementsOf, type CustodyEvent } from "../../../domain/index.js";
import type { Database } from "../schema.js";
import { chunks, insertRows, type InsertEnding } from "./insert-rows.js";
import type { Positioned } from "./positioned.js";

export const SECONDS_PER_DAY = 86_400n;

interface Bucket {
  enterprise: string;
  material: string;
  day: bigint;
  received: bigint;
  consumed: bigint;
  destroyed: bigint;
  events: bigint;
}

const keyOf = (enterprise: string, material: string, day: bigint) => JSON.stringify([enterprise, material, day.toString()]);

/** Per bucket, what `events` moved (negated when `sign` is -1n, to take them back out). */
function movementsByBucket(events: ReadonlyArray<Positioned<CustodyEvent>>, sign: 1n | -1n): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const { event } of events) {
    const day = event.time - (event.time % SECONDS_PER_DAY);
    const pairs = new Set(event.transitions.map(({ lot }) => JSON.stringify([lot.owner, lot.material])));
    for (const pair of pairs) {
      const [enterprise, material] = JSON.parse(pair) as [string, string];
      const moves = movementsOf(event, enterprise, material);
      if (moves.received === 0n && moves.consumed === 0n && moves.destroyed === 0n) continue;
      const key = keyOf(enterprise, material, day);
      const bucket = buckets.get(key) ?? { enterprise, material, day, received: 0n, consumed: 0n, destroyed: 0n, events: 0n };
      bucket.received += sign * moves.received;
      bucket.consumed += sign * moves.consumed;
      bucket.destroyed += sign * moves.destroyed;
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
        received: eb.ref("excluded.received"),
        consumed: eb.ref("excluded.consumed"),
        destroyed: eb.ref("excluded.destroyed"),
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
  for (const chunk of chunks(deltas, 7)) {
    const stored = await db
      .selectFrom("material_balances")
      .selectAll()
      .where((eb) =>
        eb(eb.refTuple("enterprise", "material", "day"), "in", chunk.map(({ enterprise, material, day }) => eb.tuple(enterprise, material, day))),
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
      kept.push({
        enterprise: delta.enterprise,
        material: delta.material,
        day: delta.day,
        received: (BigInt(row?.received ?? 0) + delta.received).toString(),
        consumed: (BigInt(row?.consumed ?? 0) + delta.consumed).toString(),
        destroyed: (BigInt(row?.destroyed ?? 0) + delta.destroyed).toString(),
        events,
      });
    }
    await insertRows(db, "material_balances", kept, REPLACE_TOTALS);
    if (emptied.length > 0) {
      await db
        .deleteFrom("material_balances")
        .where((eb) =>
          eb(eb.refTuple("enterprise", "material", "day"), "in", emptied.map(({ enterprise, material, day }) => eb.tuple(enterprise, material, day))),
        )
        .execute();
    }
  }
}
