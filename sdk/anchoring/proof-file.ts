/**
 * The proof file of one document of an anchored Merkle batch: what its holder needs, with the document,
 * to verify it against the root on the ledger. Everything in it is checked against the ledger, never
 * trusted: the proof must lead from the document's SHA-256 to an anchored root, and kind and issuer
 * must be the batch's. The CID only says where the encrypted copy may be fetched.
 *
 *   { "format": "tracegate-batch-proof", "version": 1,
 *     "document": { "hash": "0x…", "kind": "CO", "issuer": "VCCI-HCM", "cid": "bafk…", "name": "co-17.pdf" },
 *     "batch": { "root": "0x…", "count": 1000, "tx": "0x…", "block": "1234" },
 *     "proof": ["0x…", …] }
 */
import { assertHash, assertId, DOCUMENT_KINDS, type DocumentKind, type Hash, type Id } from "../../domain/index.js";
import {
  array,
  checkedBy,
  decodeAs,
  FormatError,
  isPlainObject,
  literal,
  object,
  oneOf,
  parseJson,
  positiveInteger,
  refined,
  string,
} from "../../domain/json-shapes.js";

export const PROOF_FILE_FORMAT = "tracegate-batch-proof";
export const PROOF_FILE_VERSION = 1;

export interface BatchProofFile {
  format: typeof PROOF_FILE_FORMAT;
  version: typeof PROOF_FILE_VERSION;
  document: { hash: Hash; kind: DocumentKind; issuer: Id; cid?: string; name?: string };
  batch: { root: Hash; count: number; tx: string; block: string };
  proof: Hash[];
}

/** The file is not a proof file this version reads; the message says which field is wrong (`field`). */
export class ProofFileError extends FormatError {
  constructor(message: string, field: string) {
    super(`not a valid TraceGate proof file: ${message}`, field);
  }
}

const text = refined(string, (value) => value.length > 0, "a non-empty string");
const hash = checkedBy(assertHash, "a non-zero 32-byte hash in lowercase 0x hex");

const proofFileShape = object({
  format: literal(PROOF_FILE_FORMAT),
  version: literal(PROOF_FILE_VERSION),
  document: object({ hash, kind: oneOf(DOCUMENT_KINDS), issuer: checkedBy(assertId, "an id (1 to 31 printable ASCII characters)") }, { cid: text, name: text }),
  batch: object({ root: hash, count: positiveInteger, tx: text, block: text }),
  proof: array(hash),
});

/** Whether `text` claims to be a proof file (it may still be invalid: parse it to know). */
export function isProofFileText(text: string): boolean {
  if (!text.trimStart().startsWith("{")) return false;
  try {
    const value = parseJson(text);
    return isPlainObject(value) && value.format === PROOF_FILE_FORMAT;
  } catch {
    return false;
  }
}

export function serializeProofFile(proof: BatchProofFile): string {
  return `${JSON.stringify(proof, null, 2)}\n`;
}

export function parseProofFile(json: string): BatchProofFile {
  return decodeAs(
    (where, path) => new ProofFileError(where, path),
    () => {
      const value = parseJson(json);
      // The version first, so that a newer file is told to upgrade rather than what it has that is new.
      if (isPlainObject(value) && value.format === PROOF_FILE_FORMAT && value.version !== PROOF_FILE_VERSION) {
        throw new ProofFileError(
          `version ${String(value.version)} is not supported (this TraceGate reads version ${PROOF_FILE_VERSION}): upgrade TraceGate`,
          "version",
        );
      }
      return proofFileShape(value, "");
    },
  );
}
