/**
 * The content of a BALANCE_REPORT document: the closing stock of processing materials an enterprise
 * declares for a period. The ledger anchors only the report's SHA-256, so the API reads declared
 * figures from a report presented to it and trusts them only when those exact bytes are anchored
 * (see reconciliation.ts).
 *
 *   { "format": "tracegate-balance-report", "version": 1, "enterprise": "ENT-1",
 *     "period": { "from": "2027-01-15T00:00:00Z", "to": "2027-01-20T00:00:00Z" },
 *     "materials": [ { "material": "FABRIC", "closing": "0" }, { "material": "THREAD", "closing": "40" } ] }
 *
 * Quantities are decimal strings in the lot's unit (never floats); the period is [from, to) in UTC.
 */
import { assertId, TraceGateError, type Id, type Period } from "../domain/index.js";
import { ledgerTimeIso } from "./ledger-time.js";

export const BALANCE_REPORT_FORMAT = "tracegate-balance-report";
export const BALANCE_REPORT_VERSION = 1;

export interface BalanceReport {
  enterprise: Id;
  period: Period;
  /** Declared closing stock per material. */
  closing: Map<Id, bigint>;
}

export class BalanceReportError extends Error {
  constructor(message: string) {
    super(`not a valid TraceGate balance report: ${message}`);
    this.name = "BalanceReportError";
  }
}

export function serializeBalanceReport(report: BalanceReport): string {
  return `${JSON.stringify(
    {
      format: BALANCE_REPORT_FORMAT,
      version: BALANCE_REPORT_VERSION,
      enterprise: report.enterprise,
      period: { from: ledgerTimeIso(report.period.from), to: ledgerTimeIso(report.period.to) },
      materials: [...report.closing].map(([material, closing]) => ({ material, closing: closing.toString() })),
    },
    null,
    2,
  )}\n`;
}

export function parseBalanceReport(text: string): BalanceReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BalanceReportError("it is not JSON");
  }
  const report = value as { format?: unknown; version?: unknown; enterprise?: unknown; period?: { from?: unknown; to?: unknown }; materials?: unknown };
  if (report?.format !== BALANCE_REPORT_FORMAT) throw new BalanceReportError(`format must be "${BALANCE_REPORT_FORMAT}"`);
  if (report.version !== BALANCE_REPORT_VERSION) throw new BalanceReportError(`version ${String(report.version)} is not supported`);
  const enterprise = id(report.enterprise, "enterprise");
  const period = { from: seconds(report.period?.from, "period.from"), to: seconds(report.period?.to, "period.to") };
  if (period.from >= period.to) throw new BalanceReportError("period.from must be before period.to");
  if (!Array.isArray(report.materials)) throw new BalanceReportError("materials must be a list");
  const closing = new Map<Id, bigint>();
  for (const [index, row] of (report.materials as Array<{ material?: unknown; closing?: unknown }>).entries()) {
    if (typeof row?.material !== "string" || typeof row.closing !== "string" || !/^(0|[1-9][0-9]*)$/.test(row.closing)) {
      throw new BalanceReportError(`materials[${index}] must be { "material": id, "closing": "decimal" }`);
    }
    const material = id(row.material, `materials[${index}].material`);
    if (closing.has(material)) throw new BalanceReportError(`${material} is listed twice`);
    closing.set(material, BigInt(row.closing));
  }
  return { enterprise, period, closing };
}

function id(value: unknown, name: string): Id {
  try {
    if (typeof value === "string") return assertId(value, name);
  } catch (error) {
    if (!(error instanceof TraceGateError)) throw error;
  }
  throw new BalanceReportError(`${name} must be an id (1 to 31 printable ASCII characters)`);
}

function seconds(value: unknown, name: string): bigint {
  const time = typeof value === "string" ? Date.parse(value) : NaN;
  if (Number.isNaN(time) || time % 1000 !== 0) throw new BalanceReportError(`${name} must be an ISO date-time in whole seconds`);
  return BigInt(time / 1000);
}
