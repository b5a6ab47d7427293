/**
 * A transit's events carry less than their actions: an unseal's event holds the seal check's outcome
 * (domain `sealCheck`), an alert's its reason. These read the actions' fields back from them.
 */
import { SEAL_ALERTS, type SealAlert } from "../../domain/index.js";

const BROKEN = "SEAL_BROKEN";
const OVERDUE = "OVERDUE";

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
