/** Why an EPCIS event could not be mapped, before any ledger rule is asked. */
export const EPCIS_ERROR_CODES = ["MALFORMED_EVENT", "UNKNOWN_BIZ_STEP", "UNMAPPABLE_EVENT", "INVALID_SETTING"] as const;
export type EpcisErrorCode = (typeof EPCIS_ERROR_CODES)[number];

export class EpcisMappingError extends Error {
  readonly code: EpcisErrorCode;
  /** The event field at fault, as a path ("quantityList.0.quantity"). */
  readonly field: string;

  constructor(code: EpcisErrorCode, field: string, message: string) {
    super(`${code}: ${field}: ${message}`);
    this.name = "EpcisMappingError";
    this.code = code;
    this.field = field;
  }
}

export function refuse(code: EpcisErrorCode, field: string, message: string): never {
  throw new EpcisMappingError(code, field, message);
}

/** `raw` as a JSON object, or a MALFORMED_EVENT refusal naming `field`. */
export function objectAt(raw: unknown, field: string): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) refuse("MALFORMED_EVENT", field, "must be an object");
  return raw as Record<string, unknown>;
}

/** `raw` as a JSON list, or a MALFORMED_EVENT refusal naming `field`. */
export function listAt(raw: unknown, field: string): unknown[] {
  if (!Array.isArray(raw)) refuse("MALFORMED_EVENT", field, "must be a list");
  return raw;
}
