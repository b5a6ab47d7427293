/**
 * Scalars between the domain and the ABI: ids as bytes32 short strings, hashes, enums by index.
 * The contracts only check that ids and hashes are non-zero; the finer format (domain `assertId`,
 * `assertHash`) is checked here, before encoding.
 */
import { decodeBytes32String, encodeBytes32String, ZeroHash } from "ethers";
import { assertHash, assertId, type Hash, type Id } from "../../domain/index.js";

export function encodeId(id: Id, field = "id"): string {
  return encodeBytes32String(assertId(id, field));
}

export function decodeId(word: string): Id {
  return decodeBytes32String(word);
}

/** A lot's location: "" (not arrived yet) is bytes32(0). */
export function encodeLocation(location: Id | ""): string {
  return location === "" ? ZeroHash : encodeId(location, "location");
}

export function decodeLocation(word: string): Id | "" {
  return word === ZeroHash ? "" : decodeId(word);
}

export function encodeHash(hash: Hash, field = "hash"): string {
  return assertHash(hash, field);
}

/** An optional hash (a lot's declaration, clear's CO and permit): null is bytes32(0). */
export function encodeOptionalHash(hash: Hash | null, field = "hash"): string {
  return hash === null ? ZeroHash : encodeHash(hash, field);
}

export function decodeHash(word: string): Hash {
  return word.toLowerCase() as Hash;
}

export function decodeOptionalHash(word: string): Hash | null {
  return word === ZeroHash ? null : decodeHash(word);
}

/** A domain enum value's number on the EVM: its index in the domain array. */
export function enumIndex<T extends string>(values: readonly T[], value: T): number {
  const index = values.indexOf(value);
  if (index < 0) throw new RangeError(`${value} is not one of ${values.join(", ")}`);
  return index;
}

export function enumValue<T extends string>(values: readonly T[], index: bigint | number): T {
  const value = values[Number(index)];
  if (value === undefined) throw new RangeError(`${index} is not an index of ${values.join(", ")}`);
  return value;
}
