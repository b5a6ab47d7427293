/**
 * The EPCIS 2.0 vocabulary of custody: standard CBV values where one means the same thing; customs
 * steps, states and documents CBV has no word for are TraceGate's own, under the `tg:` prefix, declared
 * in the project's JSON-LD context (served at /epcis/context.jsonld and inlined in every document).
 */
import type { DocumentKind, LotState } from "../../domain/index.js";
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
];

/** The project's JSON-LD context: the `tg` prefix and every term it defines, each mapped to its IRI. */
export function tracegateContext(): Record<string, string> {
  const terms = [
    ...Object.values(EPCIS_TABLE).map((row) => row.bizStep),
    ...Object.values(DISPOSITIONS),
    ...Object.values(BIZ_TRANSACTION_TYPES),
    ...EXTENSION_FIELDS,
  ].filter((term): term is string => term?.startsWith("tg:") ?? false);
  return { tg: TG_NAMESPACE, ...Object.fromEntries([...new Set(terms)].sort().map((term) => [term, `${TG_NAMESPACE}${term.slice(3)}`])) };
}
