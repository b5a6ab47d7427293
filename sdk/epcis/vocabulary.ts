/**
 * The EPCIS 2.0 vocabulary of custody: standard CBV values where one means the same thing; customs
 * steps, states and documents CBV has no word for are TraceGate's own, under the `tg:` prefix, declared
 * in the project's JSON-LD context (served at /epcis/context.jsonld and inlined in every document).
 */
import type { DocumentKind, LotState, SealAlert } from "../../domain/index.js";
import { EPCIS_TABLE } from "./table.js";

export const TG_NAMESPACE = "https://tracegate.dev/epcis/";
export const EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";

export const DISPOSITIONS: Record<LotState, string | undefined> = {
  NONE: undefined,
  DECLARED: "tg:declared",
  ARRIVED: "tg:awaiting_clearance",
  IN_WAREHOUSE: "tg:bonded",
  HELD: "tg:held",
  CLEARED: "tg:cleared",
  RELEASED: "tg:released",
  EXPORTED: "tg:exported",
  IN_PRODUCTION: "in_progress",
  PRODUCED: "active",
  SPLIT: "tg:split",
  DESTROYED: "destroyed",
  IN_TRANSIT: "in_transit",
};

/** CBV 2.0 business transaction types: `cert` (a certificate) and `testres` (a test result) fit two kinds. */
export const BIZ_TRANSACTION_TYPES: Record<DocumentKind, string> = {
  DECLARATION: "tg:declaration",
  MANIFEST: "tg:manifest",
  CO: "cert",
  PERMIT: "tg:permit",
  INSPECTION: "testres",
  CLEARANCE: "tg:clearance",
  NORM: "tg:consumption_norm",
  BALANCE_REPORT: "tg:balance_report",
  TRANSIT: "tg:transit_declaration",
  SEAL_TRACK: "tg:seal_track",
};

/** A seal device's report of whether its seal is closed (booleanValue): sdk/transit/seal-report.ts. */
export const SEAL_CLOSED_REPORT = "tg:seal_closed";

/**
 * An electronic seal's alert as an EPCIS 2.0 sensorReport: TraceGate's own type, and the standard
 * exception it is (an alarm on the goods, or an error condition of the device itself).
 */
export const SEAL_ALERT_REPORTS: Record<SealAlert, { type: string; exception: "ALARM_CONDITION" | "ERROR_CONDITION" }> = {
  OPENED: { type: "tg:seal_opened", exception: "ALARM_CONDITION" },
  ROUTE_DEVIATION: { type: "tg:route_deviation", exception: "ALARM_CONDITION" },
  LONG_STOP: { type: "tg:long_stop", exception: "ALARM_CONDITION" },
  LOW_BATTERY: { type: "tg:low_battery", exception: "ERROR_CONDITION" },
};

/** Extension fields TraceGate EPCIS events carry (top level, ilmd, and inside tg:normDeviations). */
export const EXTENSION_FIELDS = [
  "tg:actor",
  "tg:ledgerTransaction",
  "tg:ledgerBlock",
  "tg:reason",
  "tg:flagged",
  "tg:normDeviations",
  "tg:material",
  "tg:hsCode",
  "tg:direction",
  "tg:preferenceClaimed",
  "tg:permitRequired",
  "tg:expected",
  "tg:consumed",
  "tg:seal",
  "tg:deadline",
  "tg:sealIntact",
];

/** The project's JSON-LD context: the `tg` prefix and every term it defines, each mapped to its IRI. */
export function tracegateContext(): Record<string, string> {
  const terms = [
    ...Object.values(EPCIS_TABLE).map((row) => row.bizStep),
    ...Object.values(DISPOSITIONS),
    ...Object.values(BIZ_TRANSACTION_TYPES),
    ...Object.values(SEAL_ALERT_REPORTS).map((report) => report.type),
    SEAL_CLOSED_REPORT,
    ...EXTENSION_FIELDS,
  ].filter((term): term is string => term?.startsWith("tg:") ?? false);
  return { tg: TG_NAMESPACE, ...Object.fromEntries([...new Set(terms)].sort().map((term) => [term, `${TG_NAMESPACE}${term.slice(3)}`])) };
}
