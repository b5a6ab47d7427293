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

export const PROOF_FILE_FORMAT = "tracegate-batch-proof";
export const PROOF_FILE_VERSION = 1;

export interface BatchProofFile {
  format: typeof PROOF_FILE_FORMAT;
  version: typeof PROOF_FILE_VERSION;
  document: { hash: Hash; kind: DocumentKind; issuer: Id; cid?: string; name?: string };
  batch: { root: Hash; count: number; tx: string; block: string };
  proof: Hash[];
}

/** The file is not a proof file this version reads; the message says which field is wrong. */
export class ProofFileError extends Error {
  constructor(message: string) {
    super(`not a valid TraceGate proof file: ${message}`);
    this.name = "ProofFileError";
  }
}

/** Whether `text` claims to be a proof file (it may still be invalid: parse it to know). */
export function isProofFileText(text: string): boolean {
  if (!text.trimStart().startsWith("{")) return false;
  try {
    return (JSON.parse(text) as { format?: unknown }).format === PROOF_FILE_FORMAT;
  } catch {
    return false;
  }
}

export function serializeProofFile(proof: BatchProofFile): string {
  return `${JSON.stringify(proof, null, 2)}\n`;
}

export function parseProofFile(json: string): BatchProofFile {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ProofFileError("it is not JSON");
  }
  const file = object(value, "the file");
  if (file.format !== PROOF_FILE_FORMAT) throw new ProofFileError(`format must be "${PROOF_FILE_FORMAT}"`);
  if (file.version !== PROOF_FILE_VERSION) {
    throw new ProofFileError(`version ${String(file.version)} is not supported (this TraceGate reads version ${PROOF_FILE_VERSION}): upgrade TraceGate`);
  }
  const document = object(file.document, "document");
  const batch = object(file.batch, "batch");
  if (!Array.isArray(file.proof)) throw new ProofFileError("proof must be a list of hashes");
  const kind = document.kind as DocumentKind;
  if (!DOCUMENT_KINDS.includes(kind)) throw new ProofFileError(`document.kind must be one of ${DOCUMENT_KINDS.join(", ")}`);
  const count = batch.count;
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1) throw new ProofFileError("batch.count must be a positive whole number");
  return {
    format: PROOF_FILE_FORMAT,
    version: PROOF_FILE_VERSION,
    document: {
      hash: field(assertHash, document.hash, "document.hash") as Hash,
      kind,
      issuer: field(assertId, document.issuer, "document.issuer"),
      ...optionalText(document, "cid"),
      ...optionalText(document, "name"),
    },
    batch: {
      root: field(assertHash, batch.root, "batch.root") as Hash,
      count,
      tx: text(batch.tx, "batch.tx"),
      block: text(batch.block, "batch.block"),
    },
    proof: file.proof.map((step, index) => field(assertHash, step, `proof[${index}]`) as Hash),
  };
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ProofFileError(`${name} must be an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, name: string): string {
  if (typeof value !== "string" || value.length === 0) throw new ProofFileError(`${name} must be a non-empty string`);
  return value;
}

function optionalText(record: Record<string, unknown>, key: "cid" | "name"): Partial<Record<typeof key, string>> {
  return record[key] === undefined ? {} : { [key]: text(record[key], `document.${key}`) };
}

/** Runs a domain format check, reporting a failure as a proof file error. */
function field(check: (value: string, field: string) => string, value: unknown, name: string): string {
  try {
    return check(text(value, name), name);
  } catch (error) {
    if (error instanceof ProofFileError) throw error;
    throw new ProofFileError(`${name} is malformed (${error instanceof Error ? error.message : String(error)})`);
  }
}
