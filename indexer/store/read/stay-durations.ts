/** Percentiles of a facility-stage's finished stays, from its bucket counts (write/stay-durations.ts). */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import { bucketStart } from "../write/stay-durations.js";

export interface StayGroup {
  state: string;
  facility: string;
}

/**
 * How many finished stays a facility-stage has, and the duration at each percent (nearest rank: the
 * ⌈n·p/100⌉-th shortest). Each is one step into its bucket on the (state, facility, duration) index.
 */
export async function stayPercentiles(
  db: Kysely<Database>,
  { state, facility }: StayGroup,
  percents: readonly bigint[],
): Promise<{ stays: bigint; at: bigint[] }> {
  const buckets = await db
    .selectFrom("stay_durations")
    .select(["bucket", "stays"])
    .where("state", "=", state)
    .where("facility", "=", facility)
    .orderBy("bucket")
    .execute();
  const stays = buckets.reduce((sum, { stays }) => sum + BigInt(stays), 0n);
  const at: bigint[] = [];
  for (const percent of percents) {
    if (stays === 0n) {
      at.push(0n);
      continue;
    }
    // The rank's bucket, and how many shorter stays come before it.
    let before = (stays * percent + 99n) / 100n - 1n;
    let index = 0;
    while (before >= BigInt(buckets[index]!.stays)) before -= BigInt(buckets[index++]!.stays);
    const row = await db
      .selectFrom("stage_stays")
      .select("duration")
      .where("state", "=", state)
      .where("facility", "=", facility)
      .where("duration", ">=", bucketStart(BigInt(buckets[index]!.bucket)))
      .orderBy("duration")
      .limit(1)
      .offset(Number(before))
      .executeTakeFirstOrThrow();
    at.push(BigInt(row.duration));
  }
  return { stays, at };
}

/** The facilities with finished stays in `state`. */
export async function facilitiesWithStays(db: Kysely<Database>, state: string): Promise<string[]> {
  return (await db.selectFrom("stay_durations").select("facility").distinct().where("state", "=", state).execute()).map(({ facility }) => facility);
}

/** Every facility-stage with finished stays. */
export async function groupsWithStays(db: Kysely<Database>): Promise<StayGroup[]> {
  return db.selectFrom("stay_durations").select(["state", "facility"]).distinct().execute();
}
