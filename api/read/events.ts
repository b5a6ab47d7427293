/** Events as the API shows them: the indexer's decoded event plus where the chain recorded it. */
import type { Kysely } from "kysely";
import type { IndexedEvent } from "../../indexer/events.js";
import { eventsById } from "../../indexer/store/index.js";
import type { Database } from "../../indexer/store/index.js";
import { chunks } from "../../indexer/store/index.js";
import { readCompiled } from "./compiled.js";

export interface EventRecord {
  /** The store's event id: its place on the chain (block × 2^20 + index). */
  id: bigint;
  block: bigint;
  tx: string;
  index: number;
  time: bigint;
  kind: string;
  /** Custody actor, document or batch issuer, norm owner, registered organisation. */
  actor: string | null;
  /** A custody event's CBV 2.0 hash, of the whole event (its EPCIS eventID unless it was captured with one). */
  epcisHash: string | null;
  event: IndexedEvent;
}

/** The events with these ids, in chain order (unknown ids are left out). */
export async function eventRecords(db: Kysely<Database>, ids: readonly bigint[]): Promise<EventRecord[]> {
  const records: EventRecord[] = [];
  for (const chunk of chunks(ids)) {
    const [events, places] = await Promise.all([
      eventsById(db, chunk),
      readCompiled(db, `eventPlaces:${chunk.length}`, chunk, () =>
        db.selectFrom("events").select(["id", "block_number", "tx_hash", "event_index", "time", "kind", "actor", "epcis_hash"]).where("id", "in", chunk),
      ),
    ]);
    const placeOf = new Map(places.map((row) => [row.id, row]));
    for (const { id, event } of events) {
      const place = placeOf.get(id)!;
      records.push({
        id,
        block: place.block_number,
        tx: place.tx_hash,
        index: Number(place.event_index),
        time: place.time,
        kind: place.kind,
        actor: place.actor,
        epcisHash: place.epcis_hash,
        event,
      });
    }
  }
  return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Larger than any event id. */
export const NO_EVENT = (1n << 63n) - 1n;

/**
 * The event ids of a period: events with time in [from, to) are exactly those with id in [first, end),
 * because ledger time never decreases along the chain.
 */
export async function eventIdRange(db: Kysely<Database>, period: { from: bigint; to: bigint }): Promise<{ first: bigint; end: bigint }> {
  const firstAt = async (time: bigint) =>
    (await db.selectFrom("events").select("id").where("time", ">=", time).orderBy("time").orderBy("id").limit(1).executeTakeFirst())?.id ?? NO_EVENT;
  return { first: await firstAt(period.from), end: await firstAt(period.to) };
}
