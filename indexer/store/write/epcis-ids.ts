/**
 * Each custody event's CBV 2.0 event hash, computed once on the FULL event when it is indexed and kept
 * in `events.epcis_hash`: the EPCIS eventID of an event that was not captured with one. Computed at
 * query time it would be the hash of the event as one caller sees it (cut down to its lots), so one
 * event would have a different id for each viewer and could not be looked up by it.
 */
import type { Kysely } from "kysely";
import type { CustodyEvent, DocumentKind } from "../../../domain/index.js";
import { custodyEventHash, epcisDirectory } from "../../../sdk/epcis/index.js";
import type { IndexedEvent } from "../../events.js";
import type { Database } from "../schema.js";
import { chunks } from "./insert-rows.js";

/**
 * The identifiers the ids are computed with: no GLNs, every facility at +07:00. The API exports with
 * the same directory, so an auditor (shown every event whole) can recompute each id from the event.
 */
export const INDEX_EPCIS_DIRECTORY = epcisDirectory();

/** Where the ledger recorded the event (what the export writes as tg:ledgerTransaction, …). */
export interface EventPlace {
  tx: string;
  index: number;
  block: bigint;
}

const HASH_PREFIX = "ni:///sha-256;";

/**
 * The first 64 bits of an event hash, as a signed integer: what the store indexes the hashes by. An
 * index of 8-byte keys stays a few hundred pages, where one of the 80-character ids grew to thousands,
 * each dirtied by a random insert. Undefined for an id that is not an event hash.
 */
export function epcisKey(eventID: string): bigint | undefined {
  if (!eventID.startsWith(HASH_PREFIX)) return undefined;
  const hex = eventID.slice(HASH_PREFIX.length, HASH_PREFIX.length + 16);
  return /^[0-9a-f]{16}$/.test(hex) ? BigInt.asIntN(64, BigInt(`0x${hex}`)) : undefined;
}

export function fullEventHash(event: CustodyEvent, place: EventPlace, kinds: ReadonlyMap<string, DocumentKind>): string {
  return custodyEventHash(event, { directory: INDEX_EPCIS_DIRECTORY, kindOf: (hash) => kinds.get(hash), record: place });
}

/**
 * The kinds of the documents these events relied on: from the store, and from the events themselves
 * (a document anchored in the same batch is not in the store yet).
 */
export async function documentKindsFor(db: Kysely<Database>, events: readonly IndexedEvent[]): Promise<Map<string, DocumentKind>> {
  const kinds = new Map<string, DocumentKind>();
  for (const event of events) if (event.type === "documentAnchored") kinds.set(event.document.hash, event.document.kind);
  const wanted = [...new Set(events.flatMap((event) => (event.type === "custody" ? event.documents : [])))].filter((hash) => !kinds.has(hash));
  for (const chunk of chunks(wanted)) {
    for (const row of await db.selectFrom("documents").select(["hash", "kind"]).where("hash", "in", chunk).execute())
      kinds.set(row.hash, row.kind as DocumentKind);
  }
  return kinds;
}
