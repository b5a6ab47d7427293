/** Material balances and reconciliations: an enterprise's own, or any for customs. */
import type { MaterialBalance } from "../../domain/index.js";
import { storedMaterialBalance } from "../read/balances.js";
import type { EventRecord } from "../read/events.js";
import { reconcileEnterprise, type Discrepancy, type ReconciliationResult, type ReconciliationRow, type ReportCheck } from "../reconciliation.js";
import { builder } from "./builder.js";
import { connection, eventKey } from "./pagination.js";
import { EventConnection, EventRef, VerdictRef } from "./refs.js";
import { PeriodInput, periodOf } from "./scalars.js";

const quantity = <T>(read: (value: T) => bigint) => ({ type: "Quantity" as const, resolve: read });

const MaterialBalanceRef = builder.objectRef<MaterialBalance>("MaterialBalance").implement({
  description: "opening + received − consumed − destroyed = closing, in production, over the period.",
  fields: (t) => ({
    enterprise: t.exposeString("enterprise"),
    material: t.exposeString("material"),
    opening: t.field(quantity((balance) => balance.opening)),
    received: t.field({ ...quantity((balance: MaterialBalance) => balance.received), description: "Received into production." }),
    consumed: t.field({ ...quantity((balance: MaterialBalance) => balance.consumed), description: "Consumed by transforms." }),
    destroyed: t.field({ ...quantity((balance: MaterialBalance) => balance.destroyed), description: "Destroyed while in production." }),
    closing: t.field(quantity((balance) => balance.closing)),
  }),
});

const DiscrepancyRef = builder.objectRef<Discrepancy>("Discrepancy").implement({
  fields: (t) => ({
    kind: t.field({
      type: builder.enumType("DiscrepancyKind", {
        values: {
          CONSUMED_OVER_NORM: { description: "Transforms consumed more than their norm allows (waste included) for what they produced" },
          STOCK_MISMATCH: { description: "The declared closing stock differs from the books" },
          NOT_DECLARED: { description: "The balance report leaves the material out" },
        },
      }),
      resolve: (discrepancy) => discrepancy.kind,
    }),
    amount: t.field({
      ...quantity((discrepancy: Discrepancy) => discrepancy.amount),
      description: "CONSUMED_OVER_NORM: what the transforms over their norm consumed beyond it; STOCK_MISMATCH: declared − book; NOT_DECLARED: the book.",
    }),
    explanation: t.exposeString("explanation"),
    events: t.connection(
      {
        type: EventRef,
        description: "The events behind the discrepancy, in ledger order.",
        resolve: async (discrepancy, args, { loaders }) => {
          const ids = await discrepancy.eventIds();
          return connection(
            args,
            eventKey((record: EventRecord) => record.id),
            async ({ after, before, limit, inverted }) => {
              const inPage = ids.filter((id) => (after === undefined || id > after) && (before === undefined || id < before));
              return loaders.events((inverted ? inPage.reverse() : inPage).slice(0, limit));
            },
          );
        },
      },
      EventConnection,
    ),
  }),
});

const ReconciliationRowRef = builder.objectRef<ReconciliationRow>("ReconciliationRow").implement({
  fields: (t) => ({
    material: t.exposeString("material"),
    balance: t.field({ type: MaterialBalanceRef, resolve: (row) => row.balance }),
    book: t.field({ ...quantity((row: ReconciliationRow) => row.book), description: "Closing stock by the ledger's books." }),
    consumed: t.field(quantity((row) => row.consumed)),
    expected: t.field({
      ...quantity((row: ReconciliationRow) => row.expected),
      description: "What the norms allow for the products made in the period: Σ over its transforms of norm × produced × (1 + waste), each rounded up.",
    }),
    declared: t.field({
      type: "Quantity",
      nullable: true,
      description: "Closing stock declared in the accepted balance report.",
      resolve: (row) => row.declared,
    }),
    consumptionDifference: t.field({
      ...quantity((row: ReconciliationRow) => row.consumptionDifference),
      description: "consumed − expected: negative when the transforms used less than their norms allow, positive only if some went over.",
    }),
    overNormConsumed: t.field({
      ...quantity((row: ReconciliationRow) => row.overNormConsumed),
      description: "What the period's transforms that went over their norm for this material consumed of it (0 if none did).",
    }),
    overNormAllowed: t.field({
      ...quantity((row: ReconciliationRow) => row.overNormAllowed),
      description: "What their norms allowed those transforms, waste included.",
    }),
    stockDifference: t.field({ type: "Quantity", nullable: true, resolve: (row) => row.stockDifference }),
    discrepancies: t.field({ type: [DiscrepancyRef], resolve: (row) => row.discrepancies }),
  }),
});

const ReportCheckRef = builder.objectRef<ReportCheck>("BalanceReportCheck").implement({
  fields: (t) => ({
    hash: t.exposeString("hash", { description: "SHA-256 of the report as presented." }),
    accepted: t.exposeBoolean("accepted", { description: "Whether its figures were used as the declared closing stock." }),
    problem: t.exposeString("problem", { nullable: true }),
    verdict: t.field({ type: VerdictRef, resolve: (check) => check.verdict }),
  }),
});

const ReconciliationRef = builder.objectRef<ReconciliationResult>("Reconciliation").implement({
  fields: (t) => ({
    enterprise: t.exposeString("enterprise"),
    from: t.field({ type: "DateTime", resolve: (result) => result.period.from }),
    to: t.field({ type: "DateTime", resolve: (result) => result.period.to }),
    report: t.field({ type: ReportCheckRef, nullable: true, resolve: (result) => result.report }),
    rows: t.field({ type: [ReconciliationRowRef], resolve: (result) => result.rows }),
  }),
});

const ownEnterprise = (_root: unknown, args: { enterprise: string }, context: { viewer: { canSeeEnterprise(id: string): boolean } | null }) =>
  context.viewer?.canSeeEnterprise(args.enterprise) ?? false;

builder.queryFields((t) => ({
  materialBalance: t.field({
    type: MaterialBalanceRef,
    description: "An enterprise's production balance of one material over a period.",
    authScopes: ownEnterprise,
    args: { enterprise: t.arg.string({ required: true }), material: t.arg.string({ required: true }), period: t.arg({ type: PeriodInput, required: true }) },
    resolve: (_root, { enterprise, material, period }, { db }) => storedMaterialBalance(db, enterprise, material, periodOf(period)),
  }),
  reconciliation: t.field({
    type: ReconciliationRef,
    description:
      "Book vs expected by norm vs declared, per material. `report` is the BALANCE_REPORT's content (format: sdk/balance-report.ts); its declared figures count only if those exact bytes are anchored by the enterprise for this period.",
    authScopes: ownEnterprise,
    args: { enterprise: t.arg.string({ required: true }), period: t.arg({ type: PeriodInput, required: true }), report: t.arg.string() },
    resolve: (_root, { enterprise, period, report }, context) => reconcileEnterprise(context, enterprise, periodOf(period), report ?? undefined),
  }),
}));
