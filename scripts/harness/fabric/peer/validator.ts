/**
 * Fabric's commit-time checks on an endorsed transaction's read-write set, against the state as
 * committed so far (earlier valid transactions of the same block included): every key read must still
 * have the version read (else MVCC_READ_CONFLICT), and every range scanned must still hold exactly
 * the keys and versions seen (else PHANTOM_READ_CONFLICT).
 */
import type { ReadWriteSet } from "./rwset.js";
import { compareKeys, sameVersion, type StateDb } from "./state-db.js";

export type ReadValidation = "VALID" | "MVCC_READ_CONFLICT" | "PHANTOM_READ_CONFLICT";

export function validateReads(db: StateDb, sets: readonly ReadWriteSet[]): ReadValidation {
  for (const set of sets) {
    if (set.reads.some(([key, version]) => !sameVersion(db.get(key)?.version, version))) return "MVCC_READ_CONFLICT";
    for (const range of set.ranges) {
      const last = range.reads.at(-1)?.[0];
      const now = db.range(range.start, range.end).filter(([key]) => range.exhausted || (last !== undefined && compareKeys(key, last) <= 0));
      const same =
        now.length === range.reads.length &&
        now.every(([key, entry], index) => {
          const [readKey, readVersion] = range.reads[index]!;
          return key === readKey && sameVersion(entry.version, readVersion);
        });
      if (!same) return "PHANTOM_READ_CONFLICT";
    }
  }
  return "VALID";
}
