/** The CLI's exit codes (documented in --help) and which errors lead to each. */
import { TraceGateError } from "../../domain/index.js";
import { ProofFileError } from "../anchoring/proof-file.js";
import { AmbiguousDocumentIdError } from "../anchoring/versions.js";
import { DocumentError } from "../documents/errors.js";
import { LedgerConfigurationError } from "../ledger.js";

export const EXIT = {
  OK: 0,
  /** A verification failed: the document is not VALID, or fetched bytes do not match their anchor. */
  VERIFICATION_FAILED: 1,
  /** Wrong command line, configuration or input file. */
  USAGE: 2,
  /** The ledger or the document store could not be reached or failed. */
  UNAVAILABLE: 3,
  /** The ledger's rules refused the action, or the document was not shared with this organisation. */
  REFUSED: 4,
  /** No such lot or document. */
  NOT_FOUND: 5,
  /** Interrupted (Ctrl-C), as shells report SIGINT: work sent to a node goes on there. */
  INTERRUPTED: 130,
} as const;

/** A mistake in the command line or configuration; the message says what to do. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** What was asked for does not exist on the ledger or in the store. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** The TraceGate node could not be reached, or failed (HTTP 5xx): the message says what to try. */
export class NodeUnavailableError extends Error {
  override name = "NodeUnavailableError";
}

/** The node will not act for this token's organisation and role (HTTP 403). */
export class NodeRefusedError extends Error {
  override name = "NodeRefusedError";
}

/** The node refused an event, with the domain's (or the EPCIS mapping's) code and its reason. */
export class EventRefusedError extends Error {
  override name = "EventRefusedError";
  constructor(
    readonly code: string,
    readonly reason: string,
    readonly eventId: string,
  ) {
    super(`${code}: ${reason} (event ${eventId}; nothing was applied)`);
  }
}

/** The ledger's argument checks: mistakes in what was typed or given, as the client's own checks find them. */
const ARGUMENT_CODES = new Set(["INVALID_ARGUMENT", "INVALID_QUANTITY", "REASON_REQUIRED", "TEXT_TOO_LONG", "DOCUMENT_EMPTY"]);
/** The ledger's rules refusing an action on a lot or document that does not exist: "no such lot or document". */
const NOT_FOUND_CODES = new Set(["UNKNOWN_LOT", "UNKNOWN_DOCUMENT", "UNKNOWN_BATCH"]);
const DOCUMENT_EXIT: Partial<Record<DocumentError["code"], number>> = {
  INVALID_ARGUMENT: EXIT.USAGE,
  INVALID_CID: EXIT.USAGE,
  INVALID_KEY: EXIT.USAGE,
  NOT_FOUND: EXIT.NOT_FOUND,
  NOT_A_RECIPIENT: EXIT.REFUSED,
  DECRYPTION_FAILED: EXIT.REFUSED,
  INTEGRITY: EXIT.VERIFICATION_FAILED,
};

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof LedgerConfigurationError || error instanceof ProofFileError) return EXIT.USAGE;
  if (error instanceof AmbiguousDocumentIdError) return EXIT.USAGE;
  if (error instanceof NotFoundError) return EXIT.NOT_FOUND;
  if (error instanceof TraceGateError || error instanceof EventRefusedError) return refusalExit(error.code);
  if (error instanceof NodeRefusedError) return EXIT.REFUSED;
  if (error instanceof DocumentError) return DOCUMENT_EXIT[error.code] ?? EXIT.UNAVAILABLE;
  return EXIT.UNAVAILABLE;
}

/** A refusal's exit code, by its code: the same whether the ledger refused directly or through a node. */
function refusalExit(code: string): number {
  return ARGUMENT_CODES.has(code) ? EXIT.USAGE : NOT_FOUND_CODES.has(code) ? EXIT.NOT_FOUND : EXIT.REFUSED;
}
