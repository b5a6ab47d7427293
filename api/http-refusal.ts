/** What the plain-HTTP routes (verdicts, document content) refuse with, and how they read a hash. */
import type { Hash } from "../domain/index.js";

/** A refusal with its HTTP status, stable code (the pages branch on it) and any headers it needs. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const HASH = /^0x[0-9a-f]{64}$/i;

/** A SHA-256 named in a path or query, lower-cased; 400 with `refusal` for anything else. */
export function hashParameter(value: string, refusal: string): Hash {
  if (!HASH.test(value)) throw new Refusal(400, "BAD_REQUEST", refusal);
  return value.toLowerCase() as Hash;
}
