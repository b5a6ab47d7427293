import { fail } from "./errors.js";
import type { Hash, Id, QuantityPart } from "./types.js";

/*
 * The limits on everything an action writes to a ledger, where it stays for good: every limit the
 * rules set, in one place. Lengths of text are in bytes of UTF-8, as the contracts measure them.
 */

/** Quantities are whole units below 2^96, so every product in norm arithmetic fits 256 bits. */
export const MAX_QUANTITY = (1n << 96n) - 1n;
/** Upper bound on the parts of a split, the inputs or outputs of a transform, the inputs of a norm. */
export const MAX_PARTS = 32;
/** Waste allowance is at most 100%. */
export const MAX_WASTE_BPS = 10_000;
/** Longest id (printable ASCII, so characters are bytes): a bytes32 short string on the EVM. */
export const MAX_ID_LENGTH = 31;
/** Longest IPFS CID of a document, printable ASCII (a CIDv1 in base32 is 59). */
export const MAX_CID_LENGTH = 128;
/** Longest Fabric MSP id an organisation is registered with, printable ASCII. */
export const MAX_MSP_ID_LENGTH = 128;
/**
 * Longest reason of a hold, destruction or revocation, in bytes of UTF-8: a paragraph (about 170 to
 * 500 characters of Vietnamese). Every history that includes the action carries it.
 */
export const MAX_REASON_BYTES = 500;
/**
 * Most custody actions in one atomic batch (one ledger transaction): 100 ordinary actions fit an EVM
 * transaction's gas limit with room to spare; larger jobs are split into several batches.
 */
export const MAX_BATCH_ACTIONS = 100;
/** Longest transit under seal: its deadline is at most 30 days after the sealing. */
export const MAX_TRANSIT_SECONDS = 30n * 24n * 3600n;
/** Most steps of a batch proof: a batch holds at most 2^32-1 documents, so its tree is at most 32 deep. */
export const MAX_PROOF_STEPS = 32;

const ID_PATTERN = new RegExp(`^[\\x21-\\x7e]{1,${MAX_ID_LENGTH}}$`);
const HASH_PATTERN = /^0x[0-9a-f]{64}$/;
export const ZERO_HASH: Hash = `0x${"0".repeat(64)}`;

export function assertId(value: string, field: string): Id {
  if (!ID_PATTERN.test(value)) {
    fail("INVALID_ARGUMENT", `${field} must be 1 to ${MAX_ID_LENGTH} printable ASCII characters without spaces`, { field });
  }
  return value;
}

export function assertHash(value: string, field: string): Hash {
  if (!HASH_PATTERN.test(value) || value === ZERO_HASH) {
    fail("INVALID_ARGUMENT", `${field} must be a non-zero 32-byte hash in lowercase 0x hex`, { field });
  }
  return value as Hash;
}

export function assertQuantity(value: bigint, field: string): bigint {
  if (value < 1n || value > MAX_QUANTITY) {
    fail("INVALID_QUANTITY", `${field} is ${value}, outside 1..2^96-1`, { field });
  }
  return value;
}

/** A surrogate code unit that is not half of a pair (a `u` pattern reads a pair as one code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A reason is any non-empty, well-formed Unicode text (Vietnamese included) of at most
 * MAX_REASON_BYTES bytes of UTF-8: no lone surrogate, so that it has a UTF-8 form. The contracts
 * refuse reasons that are not valid UTF-8 alike. Checked in this order on every ledger: empty, too
 * long (a lone surrogate counts 3 bytes, as the bytes a contract would receive for it), malformed.
 */
export function assertReason(value: string): string {
  if (value.length === 0) fail("REASON_REQUIRED", "a reason is required");
  return assertText(value, "reason");
}

/** Free text that may be empty (an unseal's remark, an alert's detail), with a reason's limits and checks in its order. */
export function assertText(value: string, field: string): string {
  assertTextLength(value, MAX_REASON_BYTES, field);
  if (LONE_SURROGATE.test(value)) {
    fail("INVALID_ARGUMENT", `${field} must be well-formed Unicode text (valid UTF-8)`, { field });
  }
  return value;
}

/** Free text of at most `maximum` bytes of UTF-8 (TEXT_TOO_LONG). */
export function assertTextLength(value: string, maximum: number, field: string): void {
  const length = Buffer.byteLength(value, "utf8");
  if (length > maximum) {
    fail("TEXT_TOO_LONG", `${field} is ${length} bytes of UTF-8, more than the ${maximum} allowed`, {
      field,
      length: String(length),
      maximum: String(maximum),
    });
  }
}

/** SHA-256 of zero bytes: what a failed download, a truncated copy or `touch` anchors. */
export const EMPTY_DOCUMENT_HASH: Hash = "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** A document's hash (assertHash) that is not the hash of an empty document (DOCUMENT_EMPTY). */
export function assertDocumentHash(value: string, field: string): Hash {
  assertHash(value, field);
  if (value === EMPTY_DOCUMENT_HASH) {
    fail("DOCUMENT_EMPTY", `${field} is the SHA-256 of an empty document (0 bytes): an empty file proves nothing`, { field, hash: value });
  }
  return value as Hash;
}

/** Validates a list of lot parts: 1..MAX_PARTS entries, valid ids and quantities. */
export function assertParts(parts: readonly QuantityPart[], field: string, minimum: number): void {
  if (parts.length < minimum || parts.length > MAX_PARTS) {
    fail("INVALID_ARGUMENT", `${field} must have ${minimum} to ${MAX_PARTS} entries`, { field });
  }
  for (const part of parts) {
    assertId(part.lot, `${field}.lot`);
    assertQuantity(part.quantity, `${field}.quantity`);
  }
}

export function assertDistinct(ids: readonly string[], field: string): void {
  if (new Set(ids).size !== ids.length) {
    fail("INVALID_ARGUMENT", `${field} contains the same id twice`, { field });
  }
}
