/**
 * Dwell times: how long lots stayed in a state at a facility (finished stays), as nearest-rank
 * percentiles per state and facility. Each percentile is one ordered read of the index on
 * (state, facility, duration), so no group's durations are all loaded.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../indexer/store/index.js";

export interface DwellFilter {
  state?: string | null;
  facility?: string | null;
  /** Stays that ended in [from, to). */
  period?: { from: bigint; to: bigint } | null;
  /** Only these facilities (a non-customs viewer's own). */
  facilities?: readonly string[];
}

export interface DwellTime {
  state: string;
  facility: string;
  stays: number;
  p50: bigint;
  p90: bigint;
  max: bigint;
}

/** One finished stay: the lot, and how long it stayed. */
export interface DwellStay {
  lot: string;
  duration: bigint;
}

/** The finished stays a filter selects. */
function staysOf(db: Kysely<Database>, filter: DwellFilter) {
  let query = db.selectFrom("stage_stays");
  if (filter.state) query = query.where("state", "=", filter.state);
  if (filter.facility) query = query.where("facility", "=", filter.facility);
  if (filter.facilities) query = query.where("facility", "in", [...filter.facilities]);
  if (filter.period) query = query.where("left_at", ">=", filter.period.from).where("left_at", "<", filter.period.to);
  return query;
}

/** The `limit` longest stays of one state at one facility (in the filter's period), longest first. */
export async function longestStays(
  db: Kysely<Database>,
  row: Pick<DwellTime, "state" | "facility">,
  period: DwellFilter["period"],
  limit: number,
): Promise<DwellStay[]> {
  return staysOf(db, { state: row.state, period })
    .where("facility", "=", row.facility)
    .select(["lot", "duration"])
    .orderBy("duration", "desc")
    .orderBy("lot")
    .limit(limit)
    .execute();
}

export async function dwellTimes(db: Kysely<Database>, filter: DwellFilter): Promise<DwellTime[]> {
  if (filter.facilities?.length === 0) return [];
  const stays = () => staysOf(db, filter);
  const groups = await stays()
    .select((eb) => ["state", "facility", eb.fn.countAll<bigint>().as("stays"), eb.fn.max("duration").as("max")])
    .groupBy(["state", "facility"])
    .execute();
  /** The duration at 1-based rank `rank` in the group. */
  const at = async (state: string, facility: string, rank: bigint) =>
    (
      await stays()
        .select("duration")
        .where("state", "=", state)
        .where("facility", "=", facility)
        .orderBy("duration")
        .limit(1)
        .offset(Number(rank - 1n))
        .executeTakeFirstOrThrow()
    ).duration;
  const times: DwellTime[] = [];
  for (const { state, facility, stays: count, max } of groups) {
    const rank = (percent: bigint) => (count * percent + 99n) / 100n;
    times.push({
      state,
      facility,
      stays: Number(count),
      p50: await at(state, facility, rank(50n)),
      p90: await at(state, facility, rank(90n)),
      max: BigInt(max),
    });
  }
  // Slowest first: where goods wait longest for nine lots in ten.
  return times.sort((a, b) => (a.p90 !== b.p90 ? (a.p90 > b.p90 ? -1 : 1) : a.max !== b.max ? (a.max > b.max ? -1 : 1) : a.facility.localeCompare(b.facility)));
}

/** Facilities an organisation operates. */
export async function facilitiesOperatedBy(db: Kysely<Database>, org: string): Promise<string[]> {
  return (await db.selectFrom("facilities").select("id").where("operator", "=", org).execute()).map((row) => row.id);
}
