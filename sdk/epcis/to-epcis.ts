/** A custody event as one EPCIS 2.0 event, by the table: the export direction. */
import { alertOf, sealIntactOf, type CustodyEvent, type DocumentKind, type Hash, type Id, type LotTransition, type SealAlert } from "../../domain/index.js";
import { ledgerTimeIso } from "../ledger-time.js";
import { eventHash } from "./event-hash.js";
import { documentId, facilityId, lotId, partyId, sealId, type EpcisDirectory } from "./identifiers.js";
import { EPCIS_TABLE } from "./table.js";
import { BIZ_TRANSACTION_TYPES, DISPOSITIONS, SEAL_ALERT_REPORTS } from "./vocabulary.js";

export interface ExportContext {
  directory: EpcisDirectory;
  /** The kind of each document the event relied on (its bizTransaction type); undefined when unknown. */
  kindOf(hash: Hash): DocumentKind | undefined;
  /** Where the ledger recorded the event, when known. */
  record?: { tx: string; index: number; block: bigint };
  /** The eventID the event was captured with; without one, the CBV 2.0 event hash is its id. */
  eventID?: string;
}

type EpcisEvent = Record<string, unknown>;

/**
 * The event may have been cut down to the lots the caller may see (the API's Visibility.shownEvents):
 * every list may be empty, and nothing here reads a lot but from the transitions left.
 */
export function toEpcis(event: CustodyEvent, context: ExportContext): EpcisEvent {
  const body = epcisBody(event, context);
  return { type: body.type, eventID: context.eventID ?? eventHash(body), ...body };
}

/** The CBV 2.0 event hash of the event toEpcis writes (its eventID when captured without one), without writing the rest. */
export function custodyEventHash(event: CustodyEvent, context: Omit<ExportContext, "eventID">): string {
  return eventHash(epcisBody(event, context));
}

/** The event's EPCIS fields but its eventID. */
function epcisBody(event: CustodyEvent, context: Omit<ExportContext, "eventID">): EpcisEvent {
  const row = EPCIS_TABLE[event.action];
  const { directory } = context;
  const units = new Map(event.transitions.map(({ lot }) => [lot.id, lot.unit]));
  const offset = (event.facility && directory.facility(event.facility)?.utcOffset) || directory.defaultOffset;
  const place = event.facility ? { id: facilityId(directory, event.facility) } : undefined;
  const outputs = event.transitions.filter(({ from }) => from === "NONE");
  const [first] = event.transitions;

  const body: EpcisEvent = {
    type: row.eventType,
    eventTime: localTime(event.time, offset),
    eventTimeZoneOffset: offset,
  };
  if (row.eventType === "TransformationEvent") {
    // A split consumes its whole parent (as it was before); a transform what it says it consumed.
    body.inputQuantityList =
      event.action === "transform"
        ? event.consumed.map((part) => quantityElement(units, part.lot, part.quantity))
        : wholeLots(
            units,
            event.transitions.filter(({ from }) => from !== "NONE"),
          );
    body.outputQuantityList = wholeLots(units, outputs);
    if (context.record) body.transformationID = `urn:tracegate:event:${context.record.tx}:${context.record.index}`;
  } else {
    body.quantityList = wholeLots(units, event.transitions);
    body.action = first?.from === "NONE" ? "ADD" : event.action === "destroy" ? "DELETE" : "OBSERVE";
  }
  body.bizStep = row.bizStep;
  const shown = (row.eventType === "TransformationEvent" ? outputs[0] : first)?.lot.state;
  if (shown !== undefined && DISPOSITIONS[shown] !== undefined) body.disposition = DISPOSITIONS[shown];
  // A sealed load leaves its readPoint for no business location; an alert is read on the road.
  if (place && row.shape === "seal") body.readPoint = place;
  else if (place && row.shape !== "alert") Object.assign(body, { readPoint: place, bizLocation: place });
  if (event.documents.length > 0) {
    body.bizTransactionList = event.documents.map((hash) => {
      const kind = context.kindOf(hash);
      return { ...(kind === undefined ? {} : { type: BIZ_TRANSACTION_TYPES[kind] }), bizTransaction: documentId(hash) };
    });
  }
  const destinations = [
    ...parties(event, row.custody, directory),
    ...(row.shape === "seal" && first?.lot.destination ? [{ type: "location", destination: facilityId(directory, first.lot.destination) }] : []),
  ];
  if (destinations.length > 0) body.destinationList = destinations;
  if (event.action === "transform" && outputs[0]) body.ilmd = { "tg:material": outputs[0].lot.material, "tg:hsCode": outputs[0].lot.hsCode };
  if (event.action === "declare" && first) {
    Object.assign(body, {
      "tg:material": first.lot.material,
      "tg:hsCode": first.lot.hsCode,
      "tg:direction": first.lot.direction,
      "tg:preferenceClaimed": first.lot.preferenceClaimed,
      "tg:permitRequired": first.lot.permitRequired,
    });
  }
  const alert = row.shape === "alert" ? alertOf(event.reason) : undefined;
  if (alert && first?.lot.seal) body.sensorElementList = [alertElement(first.lot.seal, alert.alert, alert.detail)];
  if (row.shape === "seal" && first?.lot.seal) Object.assign(body, { "tg:seal": sealId(first.lot.seal), "tg:deadline": ledgerTimeIso(first.lot.deadline) });
  if (row.shape === "unseal") body["tg:sealIntact"] = sealIntactOf(event.flagged, event.reason);
  body["tg:actor"] = event.actor;
  if (context.record) Object.assign(body, { "tg:ledgerTransaction": context.record.tx, "tg:ledgerBlock": context.record.block.toString() });
  if (event.reason) body["tg:reason"] = event.reason;
  if (event.flagged) {
    body["tg:flagged"] = true;
    const over = event.deviations.filter((row) => row.consumed > row.expected);
    if (over.length > 0)
      body["tg:normDeviations"] = over.map((row) => ({
        "tg:material": row.material,
        "tg:expected": row.expected.toString(),
        "tg:consumed": row.consumed.toString(),
      }));
  }
  return body;
}

// Module functions rather than closures made per event: under tsx (esbuild's keepNames) every named
// closure is also renamed at each creation, a cost paid once per event hashed.

/** A lot's amount as an EPCIS quantity element, in the lot's unit (`units`: by lot, the event's). */
function quantityElement(units: ReadonlyMap<Id, string>, lot: Id, amount: bigint) {
  return { epcClass: lotId(lot), quantity: epcisQuantity(amount), uom: units.get(lot) };
}

/** Each transition's lot whole, as a quantity element. */
function wholeLots(units: ReadonlyMap<Id, string>, transitions: readonly LotTransition[]) {
  return transitions.map(({ lot }) => quantityElement(units, lot.id, lot.quantity));
}

/** An alert as the sensor element of its seal: one report of the alert's type, its detail as stringValue. */
export function alertElement(seal: Id, alert: SealAlert, detail: string): Record<string, unknown> {
  const report = SEAL_ALERT_REPORTS[alert];
  return {
    sensorMetadata: { deviceID: sealId(seal) },
    sensorReport: [{ type: report.type, exception: report.exception, ...(detail === "" ? {} : { stringValue: detail }) }],
  };
}

/**
 * Who holds and who owns the goods after the action, where that changes: a new custodian
 * (possessing_party); a lot that comes into being, its owner (owning_party) and holder.
 */
function parties(event: CustodyEvent, custody: boolean, directory: EpcisDirectory): Array<{ type: string; destination: string }> {
  const created: LotTransition | undefined = event.action === "split" ? undefined : event.transitions.find(({ from }) => from === "NONE");
  const changed = created ?? (custody ? event.transitions[0] : undefined);
  if (changed === undefined) return [];
  return [
    ...(created ? [{ type: "owning_party", destination: partyId(directory, created.lot.owner) }] : []),
    { type: "possessing_party", destination: partyId(directory, changed.lot.custodian) },
  ];
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** EPCIS quantities are JSON numbers; one beyond 2^53 - 1 (never exact as a number) is written as its decimal string. */
export function epcisQuantity(value: bigint): number | string {
  return value <= MAX_SAFE ? Number(value) : value.toString();
}

/** Seconds within a day of a Date's limit: a local time shifted by an offset stays inside it. */
const DATE_LIMIT = 8_640_000_000_000n - 86_400n;

/** The ledger's time as the facility's clock shows it, with its offset ("2026-03-01T15:30:00.000+07:00"). */
export function localTime(seconds: bigint, offset: string): string {
  const shift = (offset[0] === "-" ? -1 : 1) * (Number(offset.slice(1, 3)) * 3600 + Number(offset.slice(4, 6)) * 60);
  // Within a Date's range (±8.64e12 s) its toISOString is ledgerTimeIso's, in a tenth of the time.
  const local =
    seconds > -DATE_LIMIT && seconds < DATE_LIMIT ? new Date((Number(seconds) + shift) * 1000).toISOString() : ledgerTimeIso(seconds + BigInt(shift));
  return `${local.slice(0, -1)}${offset}`;
}
