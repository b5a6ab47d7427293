/** The atomic custody batches the gas bench measures, by size, and their row labels (shared with the targets). */

/** Sizes of the atomic custody batches measured (one transaction each). */
export const CUSTODY_BATCH_SIZES = [10, 100] as const;

/** New lots declared, or customs taking lots from the gate to release (five actions per lot). */
export type CustodyBatchKind = "declare" | "movements";

export function custodyBatchLabel(size: number, kind: CustodyBatchKind): string {
  return kind === "declare" ? `batch of ${size}: declare (new lots)` : `batch of ${size}: arrive, hold, unhold, clear, release (${size / 5} lots)`;
}
