/**
 * The hashes the custody contract stores for lots, read in bulk: the reads asked for in one turn of the
 * event loop go out as one `lotHashes` call (up to READS_PER_CALL lots each), so a capture job's dry
 * run reading a thousand lots makes two calls, not a thousand. A deployment older than `lotHashes`
 * (a chain kept from an earlier version) is read one `lotHash` call per lot, as before.
 */
import type { Id } from "../../domain/index.js";
import type { ChainReader } from "./chain-reads.js";
import { encodeId } from "./ids.js";

const READS_PER_CALL = 500;

interface Waiting {
  resolve(hash: string): void;
  reject(error: unknown): void;
}

export class LotHashReads {
  private waiting = new Map<Id, Waiting[]>();
  /** False once the deployment has shown it has no `lotHashes`. */
  private bulk = true;

  constructor(private readonly reader: ChainReader) {}

  read(id: Id): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) queueMicrotask(() => void this.flush());
      const list = this.waiting.get(id) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(id, list);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    const ids = [...batch.keys()];
    for (let start = 0; start < ids.length; start += READS_PER_CALL) {
      const slice = ids.slice(start, start + READS_PER_CALL);
      try {
        const hashes = await this.hashes(slice);
        slice.forEach((id, i) => batch.get(id)!.forEach(({ resolve }) => resolve(hashes[i]!)));
      } catch (error) {
        for (const id of slice) batch.get(id)!.forEach(({ reject }) => reject(error));
      }
    }
  }

  private async hashes(ids: readonly Id[]): Promise<string[]> {
    if (this.bulk) {
      try {
        const [hashes] = await this.reader.call("CustodyRegistry", "lotHashes", [ids.map((id) => encodeId(id))]);
        return [...hashes];
      } catch {
        // Read one by one below: if that works, this deployment lacks lotHashes; if not, its error is the one to give.
      }
    }
    const hashes = await Promise.all(ids.map(async (id) => (await this.reader.call("CustodyRegistry", "lotHash", [encodeId(id)]))[0] as string));
    this.bulk = false;
    return hashes;
  }
}
