/**
 * The reasons a transit's events carry, written and read in one place. An unseal's event holds the seal
 * check's outcome (sealCheck) and an alert's its name and detail (alertReason), worded alike on every
 * ledger (the contracts build the same strings); the readers take the actions' fields back from them,
 * for EPCIS, the indexer's findings and the EVM codec.
 */
import { SEAL_ALERTS, type SealAlert } from "./types.js";

const BROKEN = "SEAL_BROKEN";
const OVERDUE = "OVERDUE";

/**
 * What the seal check at the destination decides: a broken seal, or an arrival after the deadline,
 * holds the lot where it arrived, with a reason every ledger words alike.
 */
export function sealCheck(intact: boolean, overdue: boolean, remark: string): { held: boolean; reason: string } {
  if (!intact) return { held: true, reason: `${BROKEN}: ${remark}` };
  if (overdue) return { held: true, reason: remark === "" ? OVERDUE : `${OVERDUE}: ${remark}` };
  return { held: false, reason: remark };
}

/** An alert's reason: its name, then ": detail" when a detail is given. */
export function alertReason(alert: SealAlert, detail: string): string {
  return detail === "" ? alert : `${alert}: ${detail}`;
}

/** Whether the unseal found its seal intact: a broken seal is the one flagged outcome worded SEAL_BROKEN. */
export function sealIntactOf(flagged: boolean, reason: string): boolean {
  return !(flagged && reason.startsWith(`${BROKEN}: `));
}

/**
 * The remark the unseal gave, from the reason its event recorded: a flagged outcome's reason is the
 * remark behind what the seal check wrote (SEAL_BROKEN, OVERDUE); an unflagged one is the remark itself.
 */
export function sealRemark(intact: boolean, flagged: boolean, reason: string): string {
  if (!flagged) return reason;
  const prefix = intact ? OVERDUE : BROKEN;
  if (reason === prefix) return "";
  return reason.startsWith(`${prefix}: `) ? reason.slice(prefix.length + 2) : reason;
}

/** The alert and its detail an alert's reason was made of ("<alert>" or "<alert>: <detail>"); undefined when it is none. */
export function alertOf(reason: string): { alert: SealAlert; detail: string } | undefined {
  const colon = reason.indexOf(": ");
  const alert = (colon < 0 ? reason : reason.slice(0, colon)) as SealAlert;
  if (!SEAL_ALERTS.includes(alert)) return undefined;
  return { alert, detail: colon < 0 ? "" : reason.slice(colon + 2) };
}
