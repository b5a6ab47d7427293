/**
 * Stable error codes shared by every ledger (domain, EVM contracts, Fabric chaincode).
 * The Solidity custom error for a code is its PascalCase form (ILLEGAL_TRANSITION -> IllegalTransition).
 */
export const ERROR_CODES = [
  "INVALID_ARGUMENT",
  "INVALID_QUANTITY",
  "REASON_REQUIRED",
  "UNKNOWN_ORGANISATION",
  "ALREADY_REGISTERED",
  "UNKNOWN_LOT",
  "LOT_EXISTS",
  "UNKNOWN_FACILITY",
  "WRONG_FACILITY_KIND",
  "NOT_AUTHORIZED",
  "ILLEGAL_TRANSITION",
  "GOODS_MISMATCH",
  "UNKNOWN_DOCUMENT",
  "DOCUMENT_EXISTS",
  "DOCUMENT_KIND_MISMATCH",
  "DOCUMENT_ISSUER_MISMATCH",
  "DOCUMENT_INVALID",
  "DOCUMENT_REQUIRED",
  "ISSUER_NOT_ENTITLED",
  "UNKNOWN_BATCH",
  "INVALID_PROOF",
  "UNKNOWN_NORM",
  "QUANTITY_UNAVAILABLE",
  "QUANTITY_NOT_CONSERVED",
  "TEXT_TOO_LONG",
  "DOCUMENT_EMPTY",
  "WRONG_DESTINATION",
  "SEAL_MISMATCH",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a caller should do about each code: errors say what to do next. */
const NEXT_STEP: Record<ErrorCode, string> = {
  INVALID_ARGUMENT: "fix the request's fields and send it again",
  INVALID_QUANTITY: "use a whole number of units between 1 and 2^96-1",
  REASON_REQUIRED: "state the reason for this action",
  UNKNOWN_ORGANISATION: "ask customs to register the organisation first",
  ALREADY_REGISTERED: "this id is registered already; use it, or register under another id",
  UNKNOWN_LOT: "check the lot id; declare the lot before acting on it",
  LOT_EXISTS: "choose a lot id that is not in use",
  UNKNOWN_FACILITY: "check the facility code or ask customs to register the facility",
  WRONG_FACILITY_KIND: "use a facility of the kind this action needs",
  NOT_AUTHORIZED: "act with an account of the organisation and role that the rule names",
  ILLEGAL_TRANSITION: "look up the lot's current state; this action is not allowed from it",
  GOODS_MISMATCH: "declare exactly the goods of the produced lot",
  UNKNOWN_DOCUMENT: "anchor the document first, or check its hash",
  DOCUMENT_EXISTS: "this exact document is already anchored; reference it instead",
  DOCUMENT_KIND_MISMATCH: "reference a document of the kind this action needs",
  DOCUMENT_ISSUER_MISMATCH: "reference a document issued by the organisation the rule names",
  DOCUMENT_INVALID: "reference the current, unrevoked version of the document",
  DOCUMENT_REQUIRED: "attach the document this lot requires",
  ISSUER_NOT_ENTITLED: "this organisation kind may not issue this document kind",
  UNKNOWN_BATCH: "anchor the batch root first, or check it",
  INVALID_PROOF: "use the proof produced with this batch",
  UNKNOWN_NORM: "register the product's consumption norm first",
  QUANTITY_UNAVAILABLE: "use at most the quantity the lot still holds",
  QUANTITY_NOT_CONSERVED: "make the parts add up exactly to the whole",
  TEXT_TOO_LONG: "shorten the text to the limit the message names, in bytes of UTF-8; put longer details in an anchored document",
  DOCUMENT_EMPTY: "an empty file, 0 bytes, is nothing to anchor: check the download and anchor the complete file",
  WRONG_DESTINATION: "unseal the lot at the destination its transit was sealed for",
  SEAL_MISMATCH: "report the alert against the lot that this seal closes",
};

export class TraceGateError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, details: Record<string, string> = {}) {
    super(`${code}: ${message} (${NEXT_STEP[code]})`);
    this.name = "TraceGateError";
    this.code = code;
    this.details = details;
  }
}

export function fail(code: ErrorCode, message: string, details?: Record<string, string>): never {
  throw new TraceGateError(code, message, details);
}

/** What a caller should do about a refusal with this code, in plain words (the end of every message). */
export function nextStep(code: ErrorCode): string {
  return NEXT_STEP[code];
}

export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

/** ILLEGAL_TRANSITION -> IllegalTransition, the name of the matching Solidity custom error. */
export function solidityErrorName(code: ErrorCode): string {
  return code
    .toLowerCase()
    .split("_")
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

/**
 * A batch refused at action `index` (from 0): the code is that action's own, so a batch refusal reads
 * like the refusal of the action alone, and nothing of the batch is applied.
 */
export class BatchRefusedError extends TraceGateError {
  readonly index: number;
  /** The refused action's own error, as it would have been alone. */
  readonly refusal: TraceGateError;

  constructor(index: number, inner: TraceGateError) {
    super(inner.code, `batch action ${index}: ${bareMessage(inner)}`, inner.details);
    this.name = "BatchRefusedError";
    this.index = index;
    this.refusal = inner;
  }
}

/** The message without its leading code (for a client that shows the code apart); it ends with what to do next. */
export function withoutCode(error: { code: string; message: string }): string {
  return error.message.startsWith(`${error.code}: `) ? error.message.slice(error.code.length + 2) : error.message;
}

/** An error's message without its leading code and trailing next step, as it was given to the constructor. */
function bareMessage(error: TraceGateError): string {
  const suffix = ` (${NEXT_STEP[error.code]})`;
  const message = error.message.slice(error.code.length + 2);
  return message.endsWith(suffix) ? message.slice(0, -suffix.length) : message;
}
