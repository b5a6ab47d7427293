/** Custody events as EPCIS 2.0 JSON-LD for the API: the mapping is sdk/epcis's table, shared with capture. */
import type { Kysely } from "kysely";
import type { CustodyEvent, DocumentKind } from "../../domain/index.js";
import type { Database } from "../../indexer/store/index.js";
import { INDEX_EPCIS_DIRECTORY } from "../../indexer/store/index.js";
import { EPCIS_CONTEXT_URL, toEpcis, tracegateContext, type EpcisDirectory } from "../../sdk/epcis/index.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import type { Loaders } from "../loaders.js";
import { epcisEventIds } from "../read/epcis-ids.js";
import type { EventRecord } from "../read/events.js";

export interface EpcisEntry {
  record: EventRecord;
  json: Record<string, unknown>;
}

/**
 * One EPCIS event for a custody event; `kindOf` gives the kind of each document it relied on. The
 * directory is the one the indexer computed the stored event hashes with. `recordTime` is the ledger's
 * time too: the block that recorded the event is TraceGate's only record of it (not hashed).
 */
export function epcisEvent(
  record: Pick<EventRecord, "tx" | "index" | "block" | "time">,
  event: CustodyEvent,
  kindOf: (hash: string) => DocumentKind | undefined,
  eventID?: string,
  directory: EpcisDirectory = INDEX_EPCIS_DIRECTORY,
): Record<string, unknown> {
  return { ...toEpcis(event, { directory, kindOf, record, ...(eventID === undefined ? {} : { eventID }) }), recordTime: ledgerTimeIso(record.time) };
}

/**
 * The custody events among `records` (already cut down for the caller by Visibility.shownEvents) as
 * EPCIS events, each with its eventID: the same for every caller (read/epcis-ids.ts), however much of
 * the event this caller is shown.
 */
export async function epcisEntries(db: Kysely<Database>, loaders: Loaders, records: readonly EventRecord[]): Promise<EpcisEntry[]> {
  const custody = records.filter((record) => record.event.type === "custody");
  const ids = await epcisEventIds(db, custody);
  const hashes = custody.flatMap(({ event }) => (event as CustodyEvent).documents);
  const kindOf = new Map((await loaders.documents(hashes)).map((document) => [document.hash as string, document.kind]));
  return custody.map((record) => ({ record, json: epcisEvent(record, record.event as CustodyEvent, (hash) => kindOf.get(hash), ids.get(record.id)) }));
}

/** An EPCISDocument around events, with the EPCIS context and the project's own. */
export function epcisDocument(events: readonly Record<string, unknown>[], created = new Date()): Record<string, unknown> {
  return {
    "@context": [EPCIS_CONTEXT_URL, tracegateContext()],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: created.toISOString(),
    epcisBody: { eventList: events },
  };
}
