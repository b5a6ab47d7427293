/** Reading what commands are given: files, hashes, proof files. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { assertHash, assertId, MAX_ID_LENGTH, type Hash, type Id } from "../../domain/index.js";
import { isProofFileText, parseProofFile, type BatchProofFile } from "../anchoring/proof-file.js";
import type { BaseContext } from "./command.js";
import { UsageError } from "./exit-codes.js";

export function hash(value: string, option: string): Hash {
  try {
    return assertHash(value.toLowerCase(), option);
  } catch {
    throw new UsageError(`${option} must be a document's SHA-256 as 0x followed by 64 hex digits`);
  }
}

/** A lot id as the ledger's rules take it; anything else is a mistake in the command line, not a missing lot. */
export function lotId(value: string): Id {
  if (!isId(value)) throw new UsageError(`"${value}" is not a lot id: 1 to ${MAX_ID_LENGTH} printable ASCII characters without spaces`);
  return value;
}

/** Whether `value` may be an id of a lot or document. */
export function isId(value: string): boolean {
  try {
    assertId(value, "id");
    return true;
  } catch {
    return false;
  }
}

export async function readInput(context: BaseContext, file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(resolve(context.cwd, file)));
  } catch {
    // "0x…" that is no file was meant as a hash: say what is wrong with it rather than with a path.
    if (/^0x/i.test(file)) throw new UsageError(`${file} is not a document hash (0x followed by 64 hex digits) nor a file here`);
    throw new UsageError(`cannot read ${file}: check the path`);
  }
}

/** A 0x-prefixed 64-digit hex string: a document hash, not a file name. */
export function looksLikeHash(value: string): boolean {
  return /^0x[0-9a-fA-F]{64}$/.test(value);
}

/** The file's bytes and, when it is a proof file, its parsed content. */
export async function readDocumentOrProof(context: BaseContext, file: string): Promise<{ bytes: Uint8Array; proof: BatchProofFile | undefined }> {
  const bytes = await readInput(context, file);
  const text = bytes.length < 1_000_000 ? Buffer.from(bytes).toString("utf8") : "";
  return { bytes, proof: isProofFileText(text) ? parseProofFile(text) : undefined };
}
