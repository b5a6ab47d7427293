import { createHash } from "node:crypto";
import type { Hash } from "./types.js";

/** SHA-256 of the exact bytes of a document, as anchored on every ledger. */
export function documentHash(bytes: Uint8Array | string): Hash {
  return `0x${createHash("sha256").update(bytes).digest("hex")}`;
}
