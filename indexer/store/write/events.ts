/** The events table: every event once, whatever replays it. */
import type { Kysely } from "kysely";
import { eventId, kindOf, type ChainEvent, type IndexedEvent } from "../../events.js";
import { encodePayload } from "../../payload.js";
import type { Database } from "../schema.js";
import { documentKindsFor, epcisKey, fullEventHash } from "./epcis-ids.js";
import { insertRows, type InsertEnding } from "./insert-rows.js";
import type { Positioned } from "./positioned.js";
import { txKey } from "./tx-keys.js";

function columnsFor(event: IndexedEvent): Pick<Database["events"], "lot" | "actor" | "facility"> {
  switch (event.type) {
    case "custody":
      return { lot: event.transitions[0]?.lot.id ?? null, actor: event.actor, facility: event.facility || null };
    case "documentAnchored":
      return { lot: null, actor: event.document.issuer, facility: null };
    case "batchAnchored":
      return { lot: null, actor: event.batch.issuer, facility: null };
    case "documentRevoked":
    case "batchMemberRevoked":
      return { lot: null, actor: event.issuer, facility: null };
    case "normRegistered":
      return { lot: null, actor: event.norm.owner, facility: null };
    case "organisationRegistered":
      return { lot: null, actor: event.id, facility: null };
    case "memberRegistered":
    case "memberRemoved":
      return { lot: null, actor: event.org, facility: null };
    case "facilityRegistered":
      return { lot: null, actor: event.operator, facility: event.id };
  }
}

const SKIP_KNOWN: InsertEnding<"events"> = {
  name: "skip known events",
  finish: (query) => query.onConflict((conflict) => conflict.column("id").doNothing()).returning("id"),
};

/**
 * Inserts the events the store does not hold yet and returns those, in chain order: an event's id is
 * its position on the chain (block and index, the one chain a store follows), so what a replay
 * inserts again is skipped on the primary key, and applied once.
 */
export async function insertEvents(db: Kysely<Database>, chain: bigint, events: readonly ChainEvent[]): Promise<Positioned[]> {
  const kinds = await documentKindsFor(
    db,
    events.map(({ event }) => event),
  );
  const rows = events.map(({ block, index, tx, event }): Database["events"] => {
    const epcisHash = event.type === "custody" ? fullEventHash(event, { tx, index, block }, kinds) : null;
    return {
      id: eventId(block, index),
      chain,
      block_number: block,
      tx_hash: tx,
      event_index: BigInt(index),
      time: event.time,
      kind: kindOf(event),
      ...columnsFor(event),
      flagged: event.type === "custody" && event.flagged ? 1n : 0n,
      payload: encodePayload(event),
      epcis_hash: epcisHash,
      epcis_key: epcisHash === null ? null : (epcisKey(epcisHash) ?? null),
      tx_key: txKey(tx),
    };
  });
  const inserted = new Set((await insertRows(db, "events", rows, SKIP_KNOWN)).map((row) => (row as { id: bigint }).id));
  return rows.flatMap((row, i) => (inserted.has(row.id) ? [{ id: row.id, event: events[i]!.event }] : []));
}
