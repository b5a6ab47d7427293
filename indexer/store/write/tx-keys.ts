/**
 * Transactions are found by `events.tx_key`, the first 64 bits of their id, rather than by the id
 * itself: an index of 8-byte keys stays a few hundred pages where one of 66-character hashes grew to
 * thousands, each dirtied by a random insert in every batch. A key is a hint: readers also match the id.
 */
import { createHash } from "node:crypto";

/**
 * The key of a transaction id: its first 16 hex digits (after any 0x) as a signed 64-bit integer, for
 * the EVM's and Fabric's hex ids; the first 8 bytes of its SHA-256 for any other id.
 */
export function txKey(tx: string): bigint {
  const hex = tx.startsWith("0x") ? tx.slice(2, 18) : tx.slice(0, 16);
  const digits = /^[0-9a-fA-F]{16}$/.test(hex) ? hex : createHash("sha256").update(tx).digest("hex").slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${digits}`));
}
