/**
 * Stable error codes of the document store and the encryption envelope. They are the SDK's own
 * (documents never reach a ledger), so they live beside domain/errors.ts rather than in it.
 * Messages and details name CIDs and organisation ids, never key material.
 */
export const DOCUMENT_ERROR_CODES = [
  "INVALID_ARGUMENT",
  "INVALID_CID",
  "NOT_FOUND",
  "CORRUPT_BLOCK",
  "CID_MISMATCH",
  "STORE_UNAVAILABLE",
  "STORE_FAILED",
  "INVALID_KEY",
  "MALFORMED_ENVELOPE",
  "UNSUPPORTED_ENVELOPE_VERSION",
  "NOT_A_RECIPIENT",
  "DECRYPTION_FAILED",
  "INTEGRITY",
] as const;

export type DocumentErrorCode = (typeof DOCUMENT_ERROR_CODES)[number];

const NEXT_STEP: Record<DocumentErrorCode, string> = {
  INVALID_ARGUMENT: "fix the argument and call again",
  INVALID_CID: "pass the CID recorded in the document's anchor (a base32 CIDv1 such as bafk…)",
  NOT_FOUND: "check the CID; if another node stored the document, import its CAR (ipfs dag import) or connect to that node",
  CORRUPT_BLOCK: "restore the store's data directory from a backup or re-import the document's CAR",
  CID_MISMATCH: "keep the IPFS node's import settings at Kubo's defaults (Import.UnixFSFileMaxLinks 174, sha2-256)",
  STORE_UNAVAILABLE: "start the IPFS node or fix the RPC URL / data directory, then retry",
  STORE_FAILED: "see the cause; retry once the store is healthy",
  INVALID_KEY: "use an X25519 key in PEM, as made by generateOrganisationKeyPair",
  MALFORMED_ENVELOPE: "fetch the envelope again by its CID; this copy is truncated, altered or not an envelope",
  UNSUPPORTED_ENVELOPE_VERSION: "upgrade the TraceGate SDK to a version that reads this envelope",
  NOT_A_RECIPIENT: "ask the issuer to share the document with your organisation",
  DECRYPTION_FAILED: "use your organisation's current private key; if it is the right one, the envelope was altered: fetch it again",
  INTEGRITY: "do not use this document: it is not the anchored one; report it to the issuer",
};

export class DocumentError extends Error {
  readonly code: DocumentErrorCode;
  readonly details: Readonly<Record<string, string>>;

  constructor(code: DocumentErrorCode, message: string, details: Record<string, string> = {}, cause?: unknown) {
    super(`${code}: ${message} (${NEXT_STEP[code]})`, cause === undefined ? undefined : { cause });
    this.name = "DocumentError";
    this.code = code;
    this.details = details;
  }
}
