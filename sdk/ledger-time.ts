/**
 * Ledger time (whole seconds since 1970, as a block or a Fabric transaction records it) as ISO 8601
 * in UTC, for every reader: verification, the API's DateTime, EPCIS, reports, messages. A ledger may
 * hold any 64-bit time (a chain mined far ahead, a Fabric client's clock), beyond what a JavaScript
 * Date holds (±8.64e12 s), where `new Date(...).toISOString()` throws; this never does, and never
 * clamps: an auditor sees the time the ledger recorded, however absurd.
 */
import type { LedgerTime } from "../domain/index.js";

const DAY = 86_400n;

/**
 * `seconds` as `Date.prototype.toISOString` writes it ("2026-03-01T08:30:00.000Z"; years outside
 * 0000-9999 as ±YYYYYY), exactly, over the whole bigint range: years beyond six digits get more. A
 * number is floored; a non-finite number (never a ledger time) is written as itself ("NaN").
 */
export function ledgerTimeIso(seconds: LedgerTime | number): string {
  if (typeof seconds === "number") {
    if (!Number.isFinite(seconds)) return String(seconds);
    seconds = BigInt(Math.floor(seconds));
  }
  const days = floorDiv(seconds, DAY);
  const { year, month, day } = civilFromDays(days);
  const second = seconds - days * DAY;
  return `${isoYear(year)}-${pad(month, 2)}-${pad(day, 2)}T${pad(second / 3600n, 2)}:${pad((second / 60n) % 60n, 2)}:${pad(second % 60n, 2)}.000Z`;
}

/** The proleptic Gregorian date `days` after 1970-01-01 (H. Hinnant's civil_from_days, in bigint). */
function civilFromDays(days: bigint): { year: bigint; month: bigint; day: bigint } {
  const z = days + 719_468n;
  const era = floorDiv(z, 146_097n);
  const dayOfEra = z - era * 146_097n;
  const yearOfEra = (dayOfEra - dayOfEra / 1_460n + dayOfEra / 36_524n - dayOfEra / 146_096n) / 365n;
  const dayOfYear = dayOfEra - (365n * yearOfEra + yearOfEra / 4n - yearOfEra / 100n);
  const shiftedMonth = (5n * dayOfYear + 2n) / 153n; // March = 0
  const month = shiftedMonth < 10n ? shiftedMonth + 3n : shiftedMonth - 9n;
  return { year: yearOfEra + era * 400n + (month <= 2n ? 1n : 0n), month, day: dayOfYear - (153n * shiftedMonth + 2n) / 5n + 1n };
}

function isoYear(year: bigint): string {
  if (year >= 0n && year <= 9_999n) return pad(year, 4);
  return `${year < 0n ? "-" : "+"}${pad(year < 0n ? -year : year, 6)}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient;
}

function pad(value: bigint, width: number): string {
  return value.toString().padStart(width, "0");
}
