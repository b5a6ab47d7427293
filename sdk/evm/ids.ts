/**
 * Scalars between the domain and the ABI: ids as bytes32 short strings, hashes, enums by index.
 * Ids are checked in the domain's format (`assertId`) before encoding, as the contracts check them.
 * Decoding never throws on what a contract could have emitted: a contract deployed before the
 * contracts checked ids may have emitted any 32 bytes where an id belongs.
 */
import { encodeBytes32String, ZeroHash } from "ethers";
import { assertHash, assertId, type Hash, type Id } from "../../domain/index.js";

/**
 * Told of each value of a log that the domain's format refuses (only a contract deployed before the
 * contracts checked ids, CIDs and reasons emits them), with what it is and its raw bytes in 0x hex.
 */
export type MalformedValueSink = (what: "id" | "string" | "cid", raw: string) => void;

export function encodeId(id: Id, field = "id"): string {
  return encodeBytes32String(assertId(id, field));
}

/**
 * The domain id a bytes32 short string holds. A word that is not one (not 1 to 31 printable ASCII
 * characters then zero bytes) decodes as itself, the word in lowercase 0x hex: 66 characters, so it
 * can never be taken for an id (at most 31), the same word always gives the same string, and nothing
 * of it is lost. `malformed` hears of it.
 */
export function decodeId(word: string, malformed?: MalformedValueSink): Id {
  const bytes = Buffer.from(word.slice(2), "hex");
  let length = 0;
  while (length < 32 && bytes[length]! >= 0x21 && bytes[length]! <= 0x7e) length++;
  let end = length;
  while (end < 32 && bytes[end] === 0) end++;
  if (length === 0 || length === 32 || end !== 32 || bytes.length !== 32) {
    const hex = word.toLowerCase();
    malformed?.("id", hex);
    return hex;
  }
  return bytes.toString("latin1", 0, length);
}

/** An optional id (a lot's location before it arrives, its seal and destination when not in transit): "" is bytes32(0). */
export function encodeOptionalId(id: Id | "", field: string): string {
  return id === "" ? ZeroHash : encodeId(id, field);
}

export function decodeOptionalId(word: string, malformed?: MalformedValueSink): Id | "" {
  return word === ZeroHash ? "" : decodeId(word, malformed);
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
