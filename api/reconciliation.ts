/**
 * Reconciliation of an enterprise's processing materials over a period: per material, the book
 * (the domain's balance over the stored buckets), what the norms allow for the products it exported
 * (domain `expectedConsumption`), and the closing stock it declared in its anchored BALANCE_REPORT
 * (domain `reconcile`), with each discrepancy and a way to the events behind it.
 *
 * The declared figures come from the report's content, which the caller presents (the store holds
 * only its hash): they count only if those exact bytes are anchored, VALID, as a BALANCE_REPORT of
 * this enterprise for exactly this period.
 */
import type { Kysely } from "kysely";
import {
  documentHash,
  expectedConsumption,
  movementsOf,
  reconcile,
  type CustodyEvent,
  type Id,
  type MaterialBalance,
  type Norm,
  type Period,
  type Reconciliation,
} from "../domain/index.js";
import type { Database } from "../indexer/store/schema.js";
import type { Verdict } from "../sdk/anchoring/verdict.js";
import { BalanceReportError, parseBalanceReport } from "./balance-report.js";
import type { Loaders } from "./loaders.js";
import { materialsMoved, storedMaterialBalance } from "./read/balances.js";
import { exportsOf, normsOf, stockMoveIds, type RegisteredNorm } from "./read/production.js";
import type { StoreVerifier } from "./verification.js";

export type DiscrepancyKind = "CONSUMED_OVER_NORM" | "CONSUMED_UNDER_NORM" | "STOCK_MISMATCH" | "NOT_DECLARED";

export interface Discrepancy {
  kind: DiscrepancyKind;
  amount: bigint;
  explanation: string;
  /** The events behind it, in ledger order (read only when asked for). */
  eventIds(): Promise<bigint[]>;
}

export interface ReconciliationRow extends Reconciliation {
  balance: MaterialBalance;
  discrepancies: Discrepancy[];
}

export interface ReportCheck {
  hash: string;
  verdict: Verdict;
  /** Whether its figures were used as the declared closing stock. */
  accepted: boolean;
  problem: string | null;
}

export interface ReconciliationResult {
  enterprise: Id;
  period: Period;
  report: ReportCheck | null;
  rows: ReconciliationRow[];
}

interface Sources {
  db: Kysely<Database>;
  loaders: Loaders;
  verifier: StoreVerifier;
}

export async function reconcileEnterprise({ db, loaders, verifier }: Sources, enterprise: Id, period: Period, reportText?: string): Promise<ReconciliationResult> {
  const { report, declared } = reportText === undefined ? { report: null, declared: null } : await checkReport(verifier, enterprise, period, reportText);
  const norms = await normsOf(db, enterprise);
  const exported = (await exportsOf(db, enterprise, period)).flatMap((exportedLot) => {
    const norm = normInForce(norms, exportedLot.product, exportedLot.eventId);
    return norm === undefined ? [] : [{ ...exportedLot, norm }];
  });
  const materials = new Set([
    ...(await materialsMoved(db, enterprise, period.to)),
    ...norms.flatMap(({ norm }) => norm.inputs.map((input) => input.material)),
    ...(declared?.keys() ?? []),
  ]);
  const rows: ReconciliationRow[] = [];
  for (const material of [...materials].sort()) {
    const balance = await storedMaterialBalance(db, enterprise, material, period);
    const row = reconcile(balance, expectedConsumption(exported, material), declared === null ? null : (declared.get(material) ?? null));
    const usedBy = exported.filter(({ norm }) => norm.inputs.some((input) => input.material === material)).map(({ eventId }) => eventId);
    const consumptionEvents = async () => sorted([...(await stockMoveIds(db, enterprise, material, period, ["transform"])), ...usedBy]);
    const stockEvents = async () => {
      const records = await loaders.events(await stockMoveIds(db, enterprise, material, period));
      return records.filter(({ event }) => moves(event as CustodyEvent, enterprise, material)).map(({ id }) => id);
    };
    const discrepancies: Discrepancy[] = [];
    if (row.consumptionDifference !== 0n) {
      const over = row.consumptionDifference > 0n;
      discrepancies.push({
        kind: over ? "CONSUMED_OVER_NORM" : "CONSUMED_UNDER_NORM",
        amount: row.consumptionDifference,
        explanation: `${row.consumed} ${material} consumed in production; the norms allow ${row.expected} for the products exported in the period`,
        eventIds: consumptionEvents,
      });
    }
    if (declared !== null && row.declared === null) {
      discrepancies.push({ kind: "NOT_DECLARED", amount: row.book, explanation: `the balance report does not declare ${material}; the books close at ${row.book}`, eventIds: stockEvents });
    } else if (row.stockDifference !== null && row.stockDifference !== 0n) {
      discrepancies.push({
        kind: "STOCK_MISMATCH",
        amount: row.stockDifference,
        explanation: `the balance report declares a closing stock of ${row.declared} ${material}; the books close at ${row.book}`,
        eventIds: stockEvents,
      });
    }
    rows.push({ ...row, balance, discrepancies });
  }
  return { enterprise, period, report, rows };
}

async function checkReport(verifier: StoreVerifier, enterprise: Id, period: Period, text: string): Promise<{ report: ReportCheck; declared: Map<Id, bigint> | null }> {
  const hash = documentHash(text);
  const verdict = await verifier.verifyHash(hash);
  const refuse = (problem: string) => ({ report: { hash, verdict, accepted: false, problem }, declared: null });
  if (verdict.verdict !== "VALID") return refuse("these exact bytes are not a VALID anchored document (see the verdict)");
  if (verdict.anchor?.kind !== "BALANCE_REPORT" || verdict.anchor.issuer !== enterprise) {
    return refuse(`the document is a ${verdict.anchor?.kind} issued by ${verdict.anchor?.issuer}, not a BALANCE_REPORT of ${enterprise}`);
  }
  try {
    const report = parseBalanceReport(text);
    if (report.enterprise !== enterprise) return refuse(`the report is about ${report.enterprise}`);
    if (report.period.from !== period.from || report.period.to !== period.to) return refuse("the report covers another period");
    return { report: { hash, verdict, accepted: true, problem: null }, declared: report.closing };
  } catch (error) {
    if (error instanceof BalanceReportError) return refuse(error.message);
    throw error;
  }
}

/** The product's norm as it stood when the export happened: the last registered before it. */
function normInForce(norms: readonly RegisteredNorm[], product: Id, before: bigint): Norm | undefined {
  return norms.filter(({ eventId, norm }) => norm.product === product && eventId < before).at(-1)?.norm;
}

function moves(event: CustodyEvent, enterprise: Id, material: Id): boolean {
  const { received, consumed, destroyed } = movementsOf(event, enterprise, material);
  return received !== 0n || consumed !== 0n || destroyed !== 0n;
}

const sorted = (ids: readonly bigint[]) => [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
