// Document kinds in words, for the pages' headings and sentences (the ledger's codes stay visible beside them).
/** @type {Record<string, string>} */
const KIND_NAMES = {
  DECLARATION: "Customs declaration",
  MANIFEST: "Manifest",
  CO: "Certificate of origin",
  PERMIT: "Permit",
  INSPECTION: "Inspection record",
  CLEARANCE: "Clearance",
  NORM: "Consumption norm",
  BALANCE_REPORT: "Balance report",
  TRANSIT: "Transit declaration",
  SEAL_TRACK: "Seal track",
};

/** @type {(kind: string) => string} */
export const kindName = (kind) => KIND_NAMES[kind] ?? kind;
