/**
 * Stays far beyond the usual, judged against distributions: a lot's stay against its facility-stage's
 * own finished stays (above their p95 and more than k× their median, among enough of them; scope: the
 * facility-stage), and a facility whose median stay at a stage is k× the other facilities' usual
 * median for it (scope: the stage). Both are recomputed whenever a stay in their scope ends, with
 * nearest-rank percentiles from the stays' bucket counts.
 */
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import { facilitiesWithStays, stayPercentiles, type StayGroup } from "../store/read/stay-durations.js";
import { chunks } from "../store/write/insert-rows.js";
import { duration, isoDay, type Finding } from "./finding.js";
import type { FindingSettings } from "./settings.js";

/** A stage at a facility in words: a lot in transit is on its way from the facility that sealed it. */
const stageAt = (state: string, facility: string) => (state === "IN_TRANSIT" ? `in transit under seal from ${facility}` : `in ${state} at ${facility}`);

export const stayScope = (state: string, facility: string) => `stay ${state} ${facility}`;
export const slowScope = (state: string) => `slow ${state}`;

/** The facility-stages of the stays that events from `firstId` on ended for `lots`. */
export async function groupsEndedFor(db: Kysely<Database>, lots: readonly string[], firstId: bigint): Promise<StayGroup[]> {
  const groups = new Map<string, StayGroup>();
  for (const chunk of chunks(lots)) {
    const rows = await db
      .selectFrom("stage_stays")
      .select(["state", "facility"])
      .distinct()
      .where("lot", "in", chunk)
      .where("left_event", ">=", firstId)
      .execute();
    for (const row of rows) groups.set(stayScope(row.state, row.facility), row);
  }
  return [...groups.values()];
}

interface Distribution {
  stays: bigint;
  median: bigint;
  p95: bigint;
}

async function medianAndP95(db: Kysely<Database>, group: StayGroup): Promise<Distribution> {
  const { stays, at } = await stayPercentiles(db, group, [50n, 95n]);
  return { stays, median: at[0]!, p95: at[1]! };
}

/** Whole ratio of two durations, one decimal. */
const ratio = (value: bigint, base: bigint) => {
  const tenths = base === 0n ? 0n : (value * 10n) / base;
  return `${tenths / 10n}.${tenths % 10n}`;
};

export async function longStayFindings(db: Kysely<Database>, groups: readonly StayGroup[], settings: FindingSettings): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const group of groups) {
    const { stays, median, p95 } = await medianAndP95(db, group);
    if (stays < BigInt(settings.minStays)) continue;
    const beyond = BigInt(settings.longStayFactor) * median;
    const long = await db
      .selectFrom("stage_stays")
      .innerJoin("lot_transitions", (join) =>
        join.onRef("lot_transitions.event_id", "=", "stage_stays.entered_event").onRef("lot_transitions.lot", "=", "stage_stays.lot"),
      )
      .select([
        "stage_stays.lot",
        "stage_stays.entered_event",
        "stage_stays.entered_at",
        "stage_stays.left_at",
        "stage_stays.left_event",
        "stage_stays.duration",
        "lot_transitions.owner",
      ])
      .where("stage_stays.state", "=", group.state)
      .where("stage_stays.facility", "=", group.facility)
      .where("stage_stays.duration", ">", p95 > beyond ? p95 : beyond)
      .execute();
    for (const stay of long) {
      const times = median === 0n ? 20n : BigInt(stay.duration) / median;
      findings.push({
        id: `LONG_STAY:${stay.entered_event}:${stay.lot}`,
        kind: "LONG_STAY",
        severity: 45 + Number(times > 20n ? 20n : times),
        subjectKind: "lot",
        subject: stay.lot,
        enterprise: stay.owner,
        lot: stay.lot,
        facility: group.facility,
        document: null,
        time: stay.left_at,
        event: stay.left_event,
        scope: stayScope(group.state, group.facility),
        explanation: `${stay.lot} (${stay.owner}) ${group.state === "IN_TRANSIT" ? "spent" : "stayed"} ${duration(stay.duration)} ${stageAt(group.state, group.facility)}${group.state === "IN_TRANSIT" ? ", sealed" : " from"} ${isoDay(stay.entered_at)}: above that stage's p95 there (${duration(p95)}) and ${ratio(stay.duration, median)}× its median (${duration(median)}) over ${stays} stays.`,
        evidence: {
          events: [String(stay.entered_event), String(stay.left_event)],
          documents: [],
          figures: { seconds: String(stay.duration), medianSeconds: String(median), p95Seconds: String(p95), stays: String(stays) },
        },
      });
    }
  }
  return findings;
}

/** The stay that ended last at a facility-stage. */
async function latestStay(db: Kysely<Database>, { state, facility }: StayGroup): Promise<{ left_event: bigint; left_at: bigint }> {
  return db
    .selectFrom("stage_stays")
    .select(["left_event", "left_at"])
    .where("state", "=", state)
    .where("facility", "=", facility)
    .orderBy("left_event", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
}

export async function slowFacilityFindings(db: Kysely<Database>, states: readonly string[], settings: FindingSettings): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const state of states) {
    const facilities = (await facilitiesWithStays(db, state)).filter((facility) => facility !== "");
    // Every facility's median is needed to judge each one: p95 and the latest stay only for those found slow.
    const measured: Array<StayGroup & { stays: bigint; median: bigint }> = [];
    for (const facility of facilities) {
      const { stays, at } = await stayPercentiles(db, { state, facility }, [50n]);
      if (stays >= BigInt(settings.minStays)) measured.push({ state, facility, stays, median: at[0]! });
    }
    for (const slow of measured) {
      const others = measured
        .filter((other) => other.facility !== slow.facility)
        .map((other) => other.median)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (others.length < 2) continue;
      const usual = others[Math.ceil(others.length / 2) - 1]!;
      if (slow.median <= BigInt(settings.slowFacilityFactor) * usual) continue;
      const group = { ...slow, p95: (await stayPercentiles(db, slow, [95n])).at[0]!, last: await latestStay(db, slow) };
      const times = usual === 0n ? 20n : group.median / usual;
      findings.push({
        id: `SLOW_FACILITY:${state}:${group.facility}`,
        kind: "SLOW_FACILITY",
        severity: 70 + Number(times > 20n ? 20n : times),
        subjectKind: "facility",
        subject: group.facility,
        enterprise: null,
        lot: null,
        facility: group.facility,
        document: null,
        time: group.last.left_at,
        event: group.last.left_event,
        scope: slowScope(state),
        explanation: `Lots wait ${duration(group.median)} (median of ${group.stays} stays, p95 ${duration(group.p95)}) ${stageAt(state, group.facility)}: ${ratio(group.median, usual)}× the usual ${duration(usual)} at the other ${others.length} facilities for that stage.`,
        evidence: {
          events: [String(group.last.left_event)],
          documents: [],
          figures: {
            medianSeconds: String(group.median),
            p95Seconds: String(group.p95),
            stays: String(group.stays),
            usualMedianSeconds: String(usual),
            otherFacilities: String(others.length),
          },
        },
      });
    }
  }
  return findings;
}
