/**
 * The EPCIS 2.0 vocabulary of custody events. Standard CBV values where one means the same thing;
 * customs steps and states CBV has no word for are TraceGate's own, under the `tg:` prefix, declared
 * in the project's JSON-LD context (served at /epcis/context.jsonld and inlined in every document).
 */
import type { CustodyActionType, DocumentKind, LotState } from "../../domain/index.js";

export const TG_NAMESPACE = "https://tracegate.dev/epcis/";
export const EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";

export const BIZ_STEPS: Record<CustodyActionType, string> = {
  declare: "tg:declaring",
  arrive: "arriving",
  store: "storing",
  hold: "holding",
  unhold: "tg:releasing_hold",
  clear: "tg:clearing",
  release: "tg:releasing",
  depart: "departing",
  receive: "receiving",
  transform: "tg:processing",
  split: "tg:splitting",
  destroy: "destroying",
};

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

export const BIZ_TRANSACTION_TYPES: Record<DocumentKind, string> = {
  DECLARATION: "tg:declaration",
  MANIFEST: "tg:manifest",
  CO: "tg:certificate_of_origin",
  PERMIT: "tg:permit",
  INSPECTION: "tg:inspection",
  CLEARANCE: "tg:clearance",
  NORM: "tg:consumption_norm",
  BALANCE_REPORT: "tg:balance_report",
};

/** Extension fields every TraceGate EPCIS event carries. */
export const EXTENSION_FIELDS = ["tg:actor", "tg:ledgerTransaction", "tg:ledgerBlock", "tg:reason", "tg:flagged"];

/** The project's JSON-LD context: the `tg` prefix and every term it defines, each mapped to its IRI. */
export function tracegateContext(): Record<string, string> {
  const terms = [...Object.values(BIZ_STEPS), ...Object.values(DISPOSITIONS), ...Object.values(BIZ_TRANSACTION_TYPES), ...EXTENSION_FIELDS].filter(
    (term): term is string => term?.startsWith("tg:") ?? false,
  );
  return { tg: TG_NAMESPACE, ...Object.fromEntries([...new Set(terms)].sort().map((term) => [term, `${TG_NAMESPACE}${term.slice(3)}`])) };
}
