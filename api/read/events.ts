/** Events as the API shows them: the indexer's decoded event plus where the chain recorded it. */
import type { Kysely } from "kysely";
import type { IndexedEvent } from "../../indexer/events.js";
import { placedEventsById } from "../../indexer/store/index.js";
import type { Database } from "../../indexer/store/index.js";

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
  return (await placedEventsById(db, ids)).map(({ row, event }) => ({
    id: row.id,
    block: row.block_number,
    tx: row.tx_hash,
    index: Number(row.event_index),
    time: row.time,
    kind: row.kind,
    actor: row.actor,
    epcisHash: row.epcis_hash,
    event,
  }));
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
