/** Dwell times: where goods wait. Customs sees every facility; operators see their own facilities. */
import type { LotRecord } from "../read/lots.js";
import { dwellTimes, facilitiesOperatedBy, longestStays, type DwellFilter, type DwellTime } from "../read/dwell.js";
import { builder } from "./builder.js";
import { LotRef } from "./refs.js";
import { LotStateEnum, PeriodInput, periodOf } from "./scalars.js";

/** How many of a row's longest stays it names: the lots an auditor opens first. */
const LONGEST_STAYS = 5;

type DwellRow = DwellTime & { period: DwellFilter["period"] };

const DwellStayRef = builder.objectRef<{ lot: LotRecord | null; duration: bigint }>("DwellStay").implement({
  description: "One finished stay.",
  fields: (t) => ({
    lot: t.field({ type: LotRef, nullable: true, description: "Null where the caller may not see the lot.", resolve: (stay) => stay.lot }),
    duration: t.int({ description: "Seconds.", resolve: (stay) => Number(stay.duration) }),
  }),
});

const DwellTimeRef = builder.objectRef<DwellRow>("DwellTime").implement({
  description: "Finished stays of lots in one state at one facility; durations in seconds.",
  fields: (t) => ({
    stage: t.field({ type: LotStateEnum, resolve: (row) => row.state as never }),
    facility: t.string({ nullable: true, description: "Null for lots declared but not yet arrived anywhere.", resolve: (row) => row.facility || null }),
    stays: t.exposeInt("stays"),
    p50: t.int({ description: "Median stay, seconds.", resolve: (row) => Number(row.p50) }),
    p90: t.int({ description: "Nine stays in ten were at most this long, seconds.", resolve: (row) => Number(row.p90) }),
    max: t.int({ description: "Longest stay, seconds.", resolve: (row) => Number(row.max) }),
    longest: t.field({
      type: [DwellStayRef],
      description: `The ${LONGEST_STAYS} longest stays, longest first: the lots behind p90 and the longest.`,
      resolve: async (row, _args, { db, loaders, viewer }) =>
        Promise.all(
          (await longestStays(db, row, row.period, LONGEST_STAYS)).map(async ({ lot: id, duration }) => {
            const lot = await loaders.lot.load(id);
            return { lot: lot !== undefined && viewer!.canSeeLot(lot) ? lot : null, duration };
          }),
        ),
    }),
  }),
});

builder.queryFields((t) => ({
  dwellTimes: t.field({
    type: [DwellTimeRef],
    description: "p50/p90/max time lots spent per stage and facility (stays that ended in the period), slowest first.",
    authScopes: (_root, _args, { viewer }) => viewer !== null && viewer.audience !== "issuer",
    args: { stage: t.arg({ type: LotStateEnum }), facility: t.arg.string(), period: t.arg({ type: PeriodInput }) },
    resolve: async (_root, { stage, facility, period }, { db, viewer }) => {
      const within = period ? periodOf(period) : null;
      const rows = await dwellTimes(db, {
        state: stage,
        facility,
        period: within,
        ...(viewer!.isAuditor ? {} : { facilities: await facilitiesOperatedBy(db, viewer!.org) }),
      });
      return rows.map((row) => ({ ...row, period: within }));
    },
  }),
}));
