/**
 * The committed world state of one chaincode namespace, as a peer's state database keeps it: each key
 * with its value and the version (block, transaction) that last wrote it, plus every key's history.
 * Keys sort by their UTF-8 bytes, as in LevelDB.
 */

export interface Version {
  block: number;
  tx: number;
}

export interface VersionedValue {
  value: Uint8Array;
  version: Version;
}

export interface KeyModification {
  txId: string;
  /** Seconds since the epoch, the transaction's timestamp. */
  timestamp: bigint;
  value: Uint8Array;
  isDelete: boolean;
}

/** A write of a transaction: a value, or null to delete the key. */
export type Write = [key: string, value: Uint8Array | null];

export function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  return a?.block === b?.block && a?.tx === b?.tx;
}

export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

export class StateDb {
  private readonly entries = new Map<string, VersionedValue>();
  private readonly histories = new Map<string, KeyModification[]>();

  get(key: string): VersionedValue | undefined {
    return this.entries.get(key);
  }

  /** Keys in [start, end) in key order; an empty `end` means no upper bound. */
  range(start: string, end: string): Array<[string, VersionedValue]> {
    return [...this.entries].filter(([key]) => compareKeys(key, start) >= 0 && (end === "" || compareKeys(key, end) < 0)).sort(([a], [b]) => compareKeys(a, b));
  }

  /** Newest first, as GetHistoryForKey returns it. */
  history(key: string): readonly KeyModification[] {
    return [...(this.histories.get(key) ?? [])].reverse();
  }

  apply(writes: readonly Write[], version: Version, txId: string, timestamp: bigint): void {
    for (const [key, value] of writes) {
      if (value === null) this.entries.delete(key);
      else this.entries.set(key, { value, version });
      const history = this.histories.get(key) ?? [];
      history.push({ txId, timestamp, value: value ?? new Uint8Array(), isDelete: value === null });
      this.histories.set(key, history);
    }
  }

  /** An independent copy: the state a fresh channel starts from. */
  copy(): StateDb {
    const copy = new StateDb();
    for (const [key, entry] of this.entries) copy.entries.set(key, entry);
    for (const [key, history] of this.histories) copy.histories.set(key, [...history]);
    return copy;
  }
}
