/**
 * Reconciliation of an enterprise's processing materials over a period: per material, the book (the
 * domain's balance over the stored buckets), consumption against what the norms allow for the products
 * made in the period (the buckets' norm use), and the closing stock it declared in its anchored
 * BALANCE_REPORT (domain `reconcile`, `discrepanciesOf`), with each discrepancy and the events behind it.
 *
 * The declared figures come from the report's content, which the caller presents (the store holds
 * only its hash): they count only if those exact bytes are anchored, VALID, as a BALANCE_REPORT of
 * this enterprise for exactly this period.
 */
import type { Kysely } from "kysely";
import {
  discrepanciesOf,
  documentHash,
  movementsOf,
  reconcile,
  type CustodyEvent,
  type DiscrepancyKind,
  type Id,
  type MaterialBalance,
  type Period,
  type Reconciliation,
} from "../domain/index.js";
import type { Database } from "../indexer/store/index.js";
import type { Verdict } from "../sdk/anchoring/verdict.js";
import { BalanceReportError, parseBalanceReport } from "../sdk/balance-report.js";
import type { Loaders } from "./loaders.js";
import { materialsMoved, storedMaterialFigures } from "./read/balances.js";
import { flaggedTransformIds, normsOf, stockMoveIds } from "./read/production.js";
import type { StoreVerifier } from "./verification.js";

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

export async function reconcileEnterprise(
  { db, loaders, verifier }: Sources,
  enterprise: Id,
  period: Period,
  reportText?: string,
): Promise<ReconciliationResult> {
  const { report, declared } = reportText === undefined ? { report: null, declared: null } : await checkReport(verifier, enterprise, period, reportText);
  const norms = await normsOf(db, enterprise);
  const materials = new Set([
    ...(await materialsMoved(db, enterprise, period.to)),
    ...norms.flatMap((norm) => norm.inputs.map((input) => input.material)),
    ...(declared?.keys() ?? []),
  ]);
  const flagged = lazy(() => flaggedTransformIds(db, enterprise, period));
  const rows: ReconciliationRow[] = [];
  for (const material of [...materials].sort()) {
    const { balance, use } = await storedMaterialFigures(db, enterprise, material, period);
    const row = reconcile(balance, use, declared === null ? null : (declared.get(material) ?? null));
    const overNorm = async () => {
      const records = await loaders.events(await flagged());
      return records.filter(({ event }) => movementsOf(event as CustodyEvent, enterprise, material).overConsumed > 0n).map(({ id }) => id);
    };
    const stockEvents = async () => {
      const records = await loaders.events(await stockMoveIds(db, enterprise, material, period));
      return records.filter(({ event }) => movesStock(event as CustodyEvent, enterprise, material)).map(({ id }) => id);
    };
    const discrepancies = discrepanciesOf(row, declared !== null).map(({ kind, amount }): Discrepancy => {
      switch (kind) {
        case "CONSUMED_OVER_NORM":
          return {
            kind,
            amount,
            explanation: `transforms over their norm consumed ${row.overNormConsumed} ${material} where the norm allows ${row.overNormAllowed} for what they produced (waste included); over the period, ${row.consumed} consumed against ${row.expected} allowed for the products made`,
            eventIds: overNorm,
          };
        case "NOT_DECLARED":
          return { kind, amount, explanation: `the balance report does not declare ${material}; the books close at ${row.book}`, eventIds: stockEvents };
        case "STOCK_MISMATCH":
          return {
            kind,
            amount,
            explanation: `the balance report declares a closing stock of ${row.declared} ${material}; the books close at ${row.book}`,
            eventIds: stockEvents,
          };
      }
    });
    rows.push({ ...row, balance, discrepancies });
  }
  return { enterprise, period, report, rows };
}

async function checkReport(
  verifier: StoreVerifier,
  enterprise: Id,
  period: Period,
  text: string,
): Promise<{ report: ReportCheck; declared: Map<Id, bigint> | null }> {
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

function movesStock(event: CustodyEvent, enterprise: Id, material: Id): boolean {
  const { received, consumed, destroyed } = movementsOf(event, enterprise, material);
  return received !== 0n || consumed !== 0n || destroyed !== 0n;
}

/** `read` run once, on first use, for all the rows that need it. */
function lazy<T>(read: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= read());
}
