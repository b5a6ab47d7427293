/**
 * The hashes the custody contract stores for lots, read in bulk: the reads asked for in one turn of the
 * event loop go out as one `lotHashes` call (up to READS_PER_CALL lots each; DataLoader does the
 * gathering, as for the API's reads), so a capture job's dry run reading a thousand lots makes two
 * calls, not a thousand. A deployment older than `lotHashes` (a chain kept from an earlier version) is
 * read one `lotHash` call per lot, as before.
 */
import DataLoader from "dataloader";
import type { Id } from "../../domain/index.js";
import type { ChainReader } from "./chain-reads.js";
import { encodeId } from "./ids.js";

const READS_PER_CALL = 500;

export class LotHashReads {
  /** False once the deployment has shown it has no `lotHashes`. */
  private bulk = true;
  /** The calls go one after another: a deployment without `lotHashes` refuses it once, not per call. */
  private turn: Promise<unknown> = Promise.resolve();
  // Not cached: every read asks the chain, only the reads of one turn share a call.
  private readonly loader = new DataLoader<Id, string>((ids) => this.inTurn(ids), { cache: false, maxBatchSize: READS_PER_CALL });

  constructor(private readonly reader: ChainReader) {}

  read(id: Id): Promise<string> {
    return this.loader.load(id);
  }

  private inTurn(ids: readonly Id[]): Promise<string[]> {
    const hashes = this.turn.then(() => this.hashes(ids));
    this.turn = hashes.catch(() => undefined);
    return hashes;
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
