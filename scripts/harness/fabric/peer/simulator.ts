/**
 * One transaction's simulation on an endorsing peer: reads see committed state only (a transaction
 * never reads its own writes, as in Fabric), every read and range scan is recorded with the version
 * seen, and writes are only collected, to be applied if the ordered transaction validates.
 */
import type { ReadWriteSet, RangeRead } from "./rwset.js";
import type { KeyModification, StateDb, Version } from "./state-db.js";

export class TxSimulator {
  private readonly reads = new Map<string, Version | undefined>();
  private readonly ranges: RangeRead[] = [];
  private readonly writes = new Map<string, Uint8Array | null>();

  constructor(
    private readonly db: StateDb,
    private readonly namespace: string,
  ) {}

  getState(key: string): Uint8Array {
    const entry = this.db.get(key);
    if (!this.reads.has(key)) this.reads.set(key, entry?.version);
    return entry?.value ?? new Uint8Array();
  }

  /** The whole range at once (the chaincode's iterator is exhausted in one response). */
  getStateByRange(start: string, end: string): Array<[string, Uint8Array]> {
    const entries = this.db.range(start, end);
    this.ranges.push({ start, end, exhausted: true, reads: entries.map(([key, entry]) => [key, entry.version]) });
    return entries.map(([key, entry]) => [key, entry.value]);
  }

  /** History is not part of the read set: Fabric does not re-validate history queries. */
  getHistory(key: string): readonly KeyModification[] {
    return this.db.history(key);
  }

  putState(key: string, value: Uint8Array): void {
    this.writes.set(key, value);
  }

  deleteState(key: string): void {
    this.writes.set(key, null);
  }

  results(): ReadWriteSet {
    return { namespace: this.namespace, reads: [...this.reads], ranges: this.ranges, writes: [...this.writes] };
  }
}
