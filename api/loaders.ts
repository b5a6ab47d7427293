/**
 * Per-request DataLoaders: every lot, event, document or organisation a query touches is read once,
 * and the reads of one tick are batched into one query per table (no N+1 through nested fields).
 */
import DataLoader from "dataloader";
import type { Kysely } from "kysely";
import type { Organisation, OrgKind } from "../domain/index.js";
import type { Database } from "../indexer/store/index.js";
import { keyChunks } from "../indexer/store/index.js";
import type { AnchoredDocument } from "../sdk/ledger.js";
import { readCompiled } from "./read/compiled.js";
import { documentLots, documentsByHash, type IssuedDocument } from "./read/documents.js";
import { eventRecords, type EventRecord } from "./read/events.js";
import { arrivalEventIds, lotsById, type LotRecord } from "./read/lots.js";

/** A loader over a batch read that returns a map (absent keys load as undefined). */
function mapLoader<K, V>(read: (keys: readonly K[]) => Promise<Map<K, V>>): DataLoader<K, V | undefined> {
  return new DataLoader(async (keys) => {
    const found = await read(keys);
    return keys.map((key) => found.get(key));
  });
}

export class Loaders {
  readonly lot: DataLoader<string, LotRecord | undefined>;
  readonly event: DataLoader<bigint, EventRecord | undefined>;
  readonly document: DataLoader<string, AnchoredDocument | undefined>;
  /** The lots a document concerns (subjects and the lots of the events that relied on it). */
  readonly documentLots: DataLoader<string, string[] | undefined>;
  readonly organisation: DataLoader<string, Organisation | undefined>;
  /** The id of a lot's border arrival event. */
  readonly arrival: DataLoader<string, bigint | undefined>;

  /** `shown` cuts each event down to what the caller may see (Visibility.shownEvents): every event a query reads comes through it. */
  constructor(db: Kysely<Database>, shown: (records: EventRecord[]) => Promise<EventRecord[]>) {
    this.lot = mapLoader((ids) => lotsById(db, ids));
    this.event = mapLoader(async (ids) => new Map((await shown(await eventRecords(db, ids))).map((record) => [record.id, record])));
    this.document = mapLoader(async (hashes) => this.issued(await documentsByHash(db, hashes)));
    this.documentLots = mapLoader((hashes) => documentLots(db, hashes));
    this.arrival = mapLoader((lots) => arrivalEventIds(db, lots));
    this.organisation = mapLoader(async (ids) => {
      const organisations = new Map<string, Organisation>();
      for (const chunk of keyChunks(ids)) {
        for (const row of await readCompiled(db, `organisations:${chunk.length}`, chunk, () =>
          db.selectFrom("organisations").select(["id", "kind"]).where("id", "in", chunk),
        )) {
          organisations.set(row.id, { id: row.id, kind: row.kind as OrgKind });
        }
      }
      return organisations;
    });
  }

  /** Forgets what was read (a subscription outlives the state it first read). */
  clearAll(): void {
    for (const loader of [this.lot, this.event, this.document, this.documentLots, this.organisation, this.arrival] as Array<DataLoader<never, unknown>>)
      loader.clearAll();
  }

  /** Lots by id, leaving out ids no lot has. */
  async lots(ids: readonly string[]): Promise<LotRecord[]> {
    return (await this.lot.loadMany(ids)).filter((lot): lot is LotRecord => lot !== undefined && !(lot instanceof Error));
  }

  /** Documents by hash, each issuer's registration kept for the verdict that checks it next. */
  private issued(found: readonly IssuedDocument[]): Map<string, AnchoredDocument> {
    for (const { issuer } of found) if (issuer !== undefined) this.organisation.prime(issuer.id, issuer);
    return new Map(found.map(({ document }) => [document.hash, document]));
  }

  async events(ids: readonly bigint[]): Promise<EventRecord[]> {
    return (await this.event.loadMany(ids)).filter((event): event is EventRecord => event !== undefined && !(event instanceof Error));
  }

  async documents(hashes: readonly string[]): Promise<AnchoredDocument[]> {
    return (await this.document.loadMany(hashes)).filter((document): document is AnchoredDocument => document !== undefined && !(document instanceof Error));
  }
}
