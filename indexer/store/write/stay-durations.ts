/**
 * How many finished stays each facility-stage has, per duration bucket (stay_durations), kept with
 * stage_stays. A percentile is then found by summing a few hundred bucket counts and stepping within
 * one bucket, instead of counting and walking the facility-stage's whole history: findings read
 * a median and a p95 for every facility-stage a batch touches, and the history only grows.
 *
 * Buckets are exact below 64 seconds, then 32 per doubling (each about 3% wide), so a facility-stage
 * has at most a few hundred of them whatever its number of stays.
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import { insertRows, type InsertEnding } from "./insert-rows.js";

const EXACT_BELOW = 64n;
const PER_DOUBLING = 32n;

/** Binary digits of a positive value: one conversion, where a loop of bigint shifts cost ~1 µs a stay. */
function bitLength(value: bigint): bigint {
  return BigInt(value.toString(2).length);
}

/** The bucket a duration counts in: monotone, so buckets in order hold durations in order. */
export function durationBucket(duration: bigint): bigint {
  if (duration < EXACT_BELOW) return duration;
  const shift = bitLength(duration) - 6n;
  return EXACT_BELOW + (shift - 1n) * PER_DOUBLING + ((duration >> shift) - PER_DOUBLING);
}

/** The shortest duration in a bucket. */
export function bucketStart(bucket: bigint): bigint {
  if (bucket < EXACT_BELOW) return bucket;
  const above = bucket - EXACT_BELOW;
  return (PER_DOUBLING + (above % PER_DOUBLING)) << (above / PER_DOUBLING + 1n);
}

/** A stay, or `stays` stays of one duration. */
type Stay = Pick<Database["stage_stays"], "state" | "facility" | "duration"> & { stays?: bigint };

const ADD_STAYS: InsertEnding<"stay_durations"> = {
  name: "add stays",
  finish: (query) =>
    query.onConflict((conflict) =>
      conflict.columns(["state", "facility", "bucket"]).doUpdateSet((eb) => ({ stays: eb("stay_durations.stays", "+", eb.ref("excluded.stays")) })),
    ),
};

/** Counts `stays` in (sign 1n) or out (sign -1n, a rollback): a bucket left empty is deleted. */
export async function countStays(db: Kysely<Database>, stays: readonly Stay[], sign: 1n | -1n): Promise<void> {
  const counts = new Map<string, Database["stay_durations"]>();
  for (const { state, facility, duration, stays: times = 1n } of stays) {
    const bucket = durationBucket(duration);
    const key = `${state}\n${facility}\n${bucket}`;
    const row = counts.get(key) ?? { state, facility, bucket, stays: 0n };
    row.stays += sign * times;
    counts.set(key, row);
  }
  if (counts.size === 0) return;
  await insertRows(db, "stay_durations", [...counts.values()], ADD_STAYS);
  if (sign < 0n) await db.deleteFrom("stay_durations").where("stays", "=", 0n).execute();
}
