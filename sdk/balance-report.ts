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
import { assertId, type Id, type Period } from "../domain/index.js";
import { array, checkedBy, decimal, decodeAs, FormatError, isPlainObject, literal, object, parseJson, refined, string, toJson } from "../domain/json-shapes.js";
import { ledgerTimeIso } from "./ledger-time.js";

export const BALANCE_REPORT_FORMAT = "tracegate-balance-report";
export const BALANCE_REPORT_VERSION = 1;

export interface BalanceReport {
  enterprise: Id;
  period: Period;
  /** Declared closing stock per material. */
  closing: Map<Id, bigint>;
}

/** The text is not a balance report this version reads; the message says which field is wrong (`field`). */
export class BalanceReportError extends FormatError {
  constructor(message: string, field: string) {
    super(`not a valid TraceGate balance report: ${message}`, field);
  }
}

const id = checkedBy(assertId, "an id (1 to 31 printable ASCII characters)");
const seconds = refined(string, (text) => Date.parse(text) % 1000 === 0, "an ISO date-time in whole seconds");
const reportShape = object({
  format: literal(BALANCE_REPORT_FORMAT),
  version: literal(BALANCE_REPORT_VERSION),
  enterprise: id,
  period: object({ from: seconds, to: seconds }),
  materials: array(object({ material: id, closing: refined(decimal, (closing) => closing >= 0n, 'a whole number ≥ 0 as a decimal string such as "40"') })),
});

export function serializeBalanceReport(report: BalanceReport): string {
  const materials = [...report.closing].map(([material, closing]) => ({ material, closing }));
  const period = { from: ledgerTimeIso(report.period.from), to: ledgerTimeIso(report.period.to) };
  return `${toJson({ format: BALANCE_REPORT_FORMAT, version: BALANCE_REPORT_VERSION, enterprise: report.enterprise, period, materials }, 2)}\n`;
}

export function parseBalanceReport(text: string): BalanceReport {
  return decodeAs(
    (where, path) => new BalanceReportError(where, path),
    () => {
      const value = parseJson(text);
      if (isPlainObject(value) && value.format === BALANCE_REPORT_FORMAT && value.version !== BALANCE_REPORT_VERSION) {
        throw new BalanceReportError(`version ${String(value.version)} is not supported`, "version");
      }
      const report = reportShape(value, "");
      const period = { from: BigInt(Date.parse(report.period.from) / 1000), to: BigInt(Date.parse(report.period.to) / 1000) };
      if (period.from >= period.to) throw new BalanceReportError("period.from must be before period.to", "period");
      const closing = new Map<Id, bigint>();
      for (const [index, { material, closing: quantity }] of report.materials.entries()) {
        if (closing.has(material)) throw new BalanceReportError(`${material} is listed twice`, `materials[${index}].material`);
        closing.set(material, quantity);
      }
      return { enterprise: report.enterprise, period, closing };
    },
  );
}
