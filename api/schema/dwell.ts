/** Dwell times: where goods wait. Customs sees every facility; operators see their own facilities. */
import { dwellTimes, facilitiesOperatedBy, type DwellTime } from "../read/dwell.js";
import { builder } from "./builder.js";
import { LotStateEnum, PeriodInput, periodOf } from "./scalars.js";

const DwellTimeRef = builder.objectRef<DwellTime>("DwellTime").implement({
  description: "Finished stays of lots in one state at one facility; durations in seconds.",
  fields: (t) => ({
    stage: t.field({ type: LotStateEnum, resolve: (row) => row.state as never }),
    facility: t.string({ nullable: true, description: "Null for lots declared but not yet arrived anywhere.", resolve: (row) => row.facility || null }),
    stays: t.exposeInt("stays"),
    p50: t.int({ description: "Median stay, seconds.", resolve: (row) => Number(row.p50) }),
    p90: t.int({ description: "Nine stays in ten were at most this long, seconds.", resolve: (row) => Number(row.p90) }),
    max: t.int({ description: "Longest stay, seconds.", resolve: (row) => Number(row.max) }),
  }),
});

builder.queryFields((t) => ({
  dwellTimes: t.field({
    type: [DwellTimeRef],
    description: "p50/p90/max time lots spent per stage and facility (stays that ended in the period), slowest first.",
    authScopes: (_root, _args, { viewer }) => viewer !== null && viewer.audience !== "issuer",
    args: { stage: t.arg({ type: LotStateEnum }), facility: t.arg.string(), period: t.arg({ type: PeriodInput }) },
    resolve: async (_root, { stage, facility, period }, { db, viewer }) =>
      dwellTimes(db, {
        state: stage,
        facility,
        period: period ? periodOf(period) : null,
        ...(viewer!.isAuditor ? {} : { facilities: await facilitiesOperatedBy(db, viewer!.org) }),
      }),
  }),
}));
