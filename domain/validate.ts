import { fail } from "./errors.js";
import type { Hash, Id, QuantityPart } from "./types.js";

/** Quantities are whole units below 2^96, so every product in norm arithmetic fits 256 bits. */
export const MAX_QUANTITY = (1n << 96n) - 1n;
/** Upper bound on the parts of a split, the inputs or outputs of a transform, the inputs of a norm. */
export const MAX_PARTS = 32;
/** Waste allowance is at most 100%. */
export const MAX_WASTE_BPS = 10_000;

const ID_PATTERN = /^[\x21-\x7e]{1,31}$/;
const HASH_PATTERN = /^0x[0-9a-f]{64}$/;
export const ZERO_HASH: Hash = `0x${"0".repeat(64)}`;

export function assertId(value: string, field: string): Id {
  if (!ID_PATTERN.test(value)) {
    fail("INVALID_ARGUMENT", `${field} must be 1 to 31 printable ASCII characters without spaces`, { field });
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
 * A reason is any non-empty, well-formed Unicode text (Vietnamese included): no lone surrogate, so
 * that it has a UTF-8 form. The contracts refuse reasons that are not valid UTF-8 alike.
 */
export function assertReason(value: string): string {
  if (value.length === 0) fail("REASON_REQUIRED", "a reason is required");
  if (LONE_SURROGATE.test(value)) {
    fail("INVALID_ARGUMENT", "reason must be well-formed Unicode text (valid UTF-8)", { field: "reason" });
  }
  return value;
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
