/**
 * Findings that are one event's alone (scope null): a transform over its norm, a document withdrawn
 * after a clearance relied on it, a quantity that vanished in a split or transform. A rollback past
 * the event deletes them (by event id).
 */
import type { Kysely } from "kysely";
import type { CustodyEvent, DocumentAnchoredEvent, DocumentRevokedEvent } from "../../domain/index.js";
import type { Database } from "../store/schema.js";
import { chunks } from "../store/write/insert-rows.js";
import { DIVIDING, type QuantityBefore } from "../store/write/lots.js";
import { ofType, type Positioned } from "../store/write/positioned.js";
import type { IndexedEvent } from "../events.js";
import { duration, isoDay, percentOver, type Finding } from "./finding.js";
import { quotedLedgerText } from "./ledger-text.js";
import type { FindingSettings } from "./settings.js";

/** The lot a transform made (its first output). */
const madeBy = (event: CustodyEvent) => event.transitions.find(({ from }) => from === "NONE")?.lot;

export function overNormFindings(events: ReadonlyArray<Positioned<CustodyEvent>>, settings: FindingSettings): Finding[] {
  const findings: Finding[] = [];
  for (const { id, event } of events) {
    if (event.action !== "transform") continue;
    const product = madeBy(event);
    for (const { material, expected, consumed } of event.deviations) {
      if (consumed * 100n <= expected * BigInt(100 + settings.overNormPercent)) continue;
      const percent = percentOver(consumed, expected);
      const enterprise = product?.owner ?? event.actor;
      findings.push({
        id: `CONSUMPTION_OVER_NORM:${id}:${material}`,
        kind: "CONSUMPTION_OVER_NORM",
        severity: 70 + Number(percent > 25n ? 25n : percent),
        subjectKind: "enterprise",
        subject: enterprise,
        enterprise,
        lot: product?.id ?? null,
        facility: event.facility || null,
        document: null,
        time: event.time,
        event: id,
        scope: null,
        explanation: `${enterprise} consumed ${consumed} of ${material} making ${product?.id ?? "a product"} on ${isoDay(event.time)}, where its norm allows ${expected} (waste included): ${consumed - expected} (${percent}%) over.`,
        evidence: {
          events: [String(id)],
          documents: [...event.documents],
          figures: {
            consumed: String(consumed),
            allowed: String(expected),
            excess: String(consumed - expected),
            percentOver: String(percent),
            day: isoDay(event.time),
          },
        },
      });
    }
  }
  return findings;
}

/** Clearances that relied on a document a later event revoked or superseded. */
export async function withdrawnDocumentFindings(db: Kysely<Database>, events: readonly Positioned<IndexedEvent>[]): Promise<Finding[]> {
  const withdrawals = [
    ...ofType(events, "documentRevoked").map(({ id, event }: Positioned<DocumentRevokedEvent>) => ({
      id,
      time: event.time,
      hash: event.hash,
      successor: null as string | null,
      reason: event.reason,
    })),
    ...ofType(events, "documentAnchored")
      .filter(({ event }) => event.document.supersedes !== null)
      .map(({ id, event }: Positioned<DocumentAnchoredEvent>) => ({
        id,
        time: event.time,
        hash: event.document.supersedes!,
        successor: event.document.hash,
        reason: "",
      })),
  ];
  const findings: Finding[] = [];
  // Two reads for the whole batch, not two per withdrawal: amendments are frequent.
  const hashes = [...new Set(withdrawals.map(({ hash }) => hash))];
  const documents = new Map<string, { kind: string; issuer: string }>();
  const clearancesOf = new Map<string, Array<{ id: bigint; time: bigint; lot: string; owner: string }>>();
  for (const chunk of chunks(hashes)) {
    for (const row of await db.selectFrom("documents").select(["hash", "kind", "issuer"]).where("hash", "in", chunk).execute()) documents.set(row.hash, row);
    // The events that relied on these documents first, then which were clearances: asked in one join,
    // a planner may walk every clearance of the history instead (events_kind), a cost that grows with it.
    const relied = await db.selectFrom("event_documents").select(["hash", "event_id"]).where("hash", "in", chunk).execute();
    const hashesOf = new Map<bigint, string[]>();
    for (const { hash, event_id } of relied) hashesOf.set(event_id, [...(hashesOf.get(event_id) ?? []), hash]);
    for (const ids of chunks([...hashesOf.keys()])) {
      const rows = await db
        .selectFrom("events")
        .innerJoin("lot_transitions", "lot_transitions.event_id", "events.id")
        .select(["events.id", "events.time", "lot_transitions.lot", "lot_transitions.owner"])
        .where("events.id", "in", ids)
        .where("events.kind", "=", "clear")
        .orderBy("events.id")
        .execute();
      for (const row of rows) for (const hash of hashesOf.get(row.id)!) clearancesOf.set(hash, [...(clearancesOf.get(hash) ?? []), row]);
    }
  }
  for (const withdrawal of withdrawals) {
    const document = documents.get(withdrawal.hash);
    if (document === undefined) continue;
    const clearances = (clearancesOf.get(withdrawal.hash) ?? []).filter((clearance) => clearance.id < withdrawal.id);
    for (const clearance of clearances) {
      const revoked = withdrawal.successor === null;
      const after = duration(withdrawal.time - clearance.time);
      findings.push({
        id: `DOCUMENT_WITHDRAWN_AFTER_CLEARANCE:${withdrawal.hash}:${clearance.id}:${clearance.lot}`,
        kind: "DOCUMENT_WITHDRAWN_AFTER_CLEARANCE",
        severity: revoked ? 90 : 50,
        subjectKind: "document",
        subject: withdrawal.hash,
        enterprise: clearance.owner,
        lot: clearance.lot,
        facility: null,
        document: withdrawal.hash,
        time: withdrawal.time,
        event: withdrawal.id,
        scope: null,
        explanation: revoked
          ? `${clearance.lot} (${clearance.owner}) was cleared on ${isoDay(clearance.time)} relying on ${document.kind} ${withdrawal.hash.slice(0, 10)}…, which ${document.issuer} revoked on ${isoDay(withdrawal.time)}, ${after} later${withdrawal.reason ? ` (${quotedLedgerText(withdrawal.reason)})` : ""}: what the clearance granted on it must be reviewed.`
          : `${clearance.lot} (${clearance.owner}) was cleared on ${isoDay(clearance.time)} relying on ${document.kind} ${withdrawal.hash.slice(0, 10)}…, which was superseded on ${isoDay(withdrawal.time)}, ${after} later: the clearance rests on a version that no longer stands.`,
        evidence: {
          events: [String(clearance.id), String(withdrawal.id)],
          documents: withdrawal.successor === null ? [withdrawal.hash] : [withdrawal.hash, withdrawal.successor],
          figures: { secondsAfterClearance: String(withdrawal.time - clearance.time) },
        },
      });
    }
  }
  return findings;
}

const inputsOf = ({ event }: Positioned<CustodyEvent>) => event.transitions.filter(({ from }) => from !== "NONE");

/**
 * Splits and transforms whose input lots lost more than went into their parts (split) or was consumed
 * (transform): quantity that left the books without a record. The ledger's rules keep these equal; the
 * indexer checks what it is given. `quantityBefore`: what each input held just before the event
 * (applyLots gives it for a batch being written, storedQuantitiesBefore for events read back).
 */
export function vanishedQuantityFindings(events: ReadonlyArray<Positioned<CustodyEvent>>, quantityBefore: QuantityBefore): Finding[] {
  const divided = events.filter(({ event }) => DIVIDING.has(event.action));
  const findings: Finding[] = [];
  for (const positioned of divided) {
    const { id, event } = positioned;
    const moved = (lot: string) =>
      event.action === "split"
        ? event.transitions.filter(({ from }) => from === "NONE").reduce((sum, { lot: part }) => sum + part.quantity, 0n)
        : event.consumed.filter((part) => part.lot === lot).reduce((sum, part) => sum + part.quantity, 0n);
    for (const { lot } of inputsOf(positioned)) {
      const before = quantityBefore(lot.id, id);
      if (before === undefined) continue;
      // A split lot keeps its last quantity on record, all of it divided into the parts.
      const kept = event.action === "split" ? 0n : lot.quantity;
      const vanished = BigInt(before.quantity) - kept - moved(lot.id);
      if (vanished <= 0n) continue;
      findings.push({
        id: `QUANTITY_VANISHED:${id}:${lot.id}`,
        kind: "QUANTITY_VANISHED",
        severity: 90,
        subjectKind: "lot",
        subject: lot.id,
        enterprise: lot.owner,
        lot: lot.id,
        facility: lot.location || null,
        document: null,
        time: event.time,
        event: id,
        scope: null,
        explanation: `The ${event.action} of ${lot.id} (${lot.owner}) on ${isoDay(event.time)} left ${vanished} ${lot.unit} of ${lot.material} unaccounted for: it held ${before.quantity}, kept ${kept} and ${event.action === "split" ? "split off" : "consumed"} ${moved(lot.id)}.`,
        evidence: {
          events: [String(id)],
          documents: [...event.documents],
          figures: { before: before.quantity, after: String(kept), moved: String(moved(lot.id)), vanished: String(vanished) },
        },
      });
    }
  }
  return findings;
}

/**
 * What the inputs of these splits and transforms held just before each, from the lots' stored
 * histories (events read back): read for all of them at once (a lot has a handful of transitions),
 * not with a query per input.
 */
export async function storedQuantitiesBefore(db: Kysely<Database>, events: ReadonlyArray<Positioned<CustodyEvent>>): Promise<QuantityBefore> {
  const lots = events.flatMap((positioned) => (DIVIDING.has(positioned.event.action) ? inputsOf(positioned).map(({ lot }) => lot.id) : []));
  const histories = new Map<string, Array<{ event_id: bigint; quantity: string }>>();
  for (const chunk of chunks([...new Set(lots)])) {
    const rows = await db.selectFrom("lot_transitions").select(["lot", "event_id", "quantity"]).where("lot", "in", chunk).orderBy("event_id").execute();
    for (const { lot, event_id, quantity } of rows) {
      const history = histories.get(lot) ?? [];
      history.push({ event_id: BigInt(event_id), quantity });
      histories.set(lot, history);
    }
  }
  return (lot, eventId) => histories.get(lot)?.findLast((step) => step.event_id < eventId);
}
