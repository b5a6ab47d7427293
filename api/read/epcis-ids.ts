/**
 * EPCIS eventIDs of stored custody events, the same for every viewer: the eventID a client captured the
 * event with (captured_events: its transaction and its rank among that transaction's custody events),
 * otherwise the CBV 2.0 hash of the whole event the indexer stored (events.epcis_hash). Both ways: the
 * ids of events, and the events of ids.
 */
import type { Kysely } from "kysely";
import { CUSTODY_ACTIONS } from "../../domain/index.js";
import type { Database } from "../../indexer/store/index.js";
import { epcisKey } from "../../indexer/store/index.js";
import { chunks, txKey } from "../../indexer/store/index.js";
import type { EventRecord } from "./events.js";

const CUSTODY = new Set<string>(CUSTODY_ACTIONS);

/** The eventID of each custody record, by store id. */
export async function epcisEventIds(db: Kysely<Database>, records: readonly EventRecord[]): Promise<Map<bigint, string>> {
  const custody = records.filter((record) => record.event.type === "custody");
  const ids = new Map<bigint, string>();
  for (const record of custody) {
    if (record.epcisHash === null) throw new Error(`custody event ${record.id} has no EPCIS hash: the store predates migration 0006`);
    ids.set(record.id, record.epcisHash);
  }
  const captured = await capturedInTransactions(db, [...new Set(custody.map((record) => record.tx))]);
  for (const record of custody) {
    const eventID = captured.get(record.id);
    if (eventID !== undefined) ids.set(record.id, eventID);
  }
  return ids;
}

/** Store ids of the custody events that may have these eventIDs (the caller checks each against epcisEventIds). */
export async function eventsWithEpcisIds(db: Kysely<Database>, eventIDs: readonly string[]): Promise<bigint[]> {
  const found = new Set<bigint>();
  for (const chunk of chunks(eventIDs)) {
    const keys = chunk.flatMap((eventID) => epcisKey(eventID) ?? []);
    if (keys.length > 0) {
      for (const row of await db.selectFrom("events").select("id").where("epcis_key", "in", keys).where("epcis_hash", "in", chunk).execute()) found.add(row.id);
    }
    const captured = await db
      .selectFrom("captured_events")
      .select(["tx_hash", "ordinal"])
      .where("event_id", "in", chunk)
      .where("status", "=", "accepted")
      .execute();
    const ranked = await custodyByTransaction(
      db,
      captured.flatMap((row) => (row.tx_hash === null ? [] : [row.tx_hash])),
    );
    for (const row of captured) {
      const id = row.tx_hash === null || row.ordinal === null ? undefined : ranked.get(row.tx_hash)?.[Number(row.ordinal)];
      if (id !== undefined) found.add(id);
    }
  }
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The captured eventIDs of the custody events of these transactions, by store id. */
async function capturedInTransactions(db: Kysely<Database>, txs: readonly string[]): Promise<Map<bigint, string>> {
  const ids = new Map<bigint, string>();
  for (const chunk of chunks(txs)) {
    const rows = await db
      .selectFrom("captured_events")
      .select(["tx_hash", "ordinal", "event_id"])
      .where("tx_hash", "in", chunk)
      .where("status", "=", "accepted")
      .execute();
    if (rows.length === 0) continue;
    const ranked = await custodyByTransaction(
      db,
      rows.map((row) => row.tx_hash!),
    );
    for (const row of rows) {
      const id = row.ordinal === null ? undefined : ranked.get(row.tx_hash!)?.[Number(row.ordinal)];
      if (id !== undefined) ids.set(id, row.event_id);
    }
  }
  return ids;
}

/** Each transaction's custody events (store ids) in the order the ledger emitted them: a captured event's ordinal indexes this. */
async function custodyByTransaction(db: Kysely<Database>, txs: readonly string[]): Promise<Map<string, bigint[]>> {
  const ranked = new Map<string, bigint[]>();
  const unique = [...new Set(txs)];
  for (const chunk of chunks(unique)) {
    // By the transactions' keys (events_tx_key), then their hashes; a kind filter here would lead
    // SQLite to the kind index instead.
    const rows = await db
      .selectFrom("events")
      .select(["id", "tx_hash", "kind"])
      .where("tx_key", "in", chunk.map(txKey))
      .where("tx_hash", "in", chunk)
      .orderBy("tx_hash")
      .orderBy("event_index")
      .execute();
    for (const row of rows) {
      if (!CUSTODY.has(row.kind)) continue;
      const list = ranked.get(row.tx_hash) ?? [];
      list.push(row.id);
      ranked.set(row.tx_hash, list);
    }
  }
  return ranked;
}
