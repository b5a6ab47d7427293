/** Custody events as EPCIS 2.0 JSON-LD: ObjectEvents, and TransformationEvents for transforms and splits. */
import type { CustodyEvent, DocumentKind, LotState, QuantityPart } from "../../domain/index.js";
import type { EventRecord } from "../read/events.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import { BIZ_STEPS, BIZ_TRANSACTION_TYPES, DISPOSITIONS, EPCIS_CONTEXT_URL, tracegateContext } from "./vocabulary.js";

const lotClass = (lot: string) => `urn:tracegate:lot:${encodeURIComponent(lot)}`;
const place = (facility: string) => ({ id: `urn:tracegate:facility:${encodeURIComponent(facility)}` });

/** One EPCIS event for a custody event; `kindOf` gives the kind of each document it relied on. */
export function epcisEvent(record: EventRecord, event: CustodyEvent, kindOf: (hash: string) => DocumentKind | undefined): Record<string, unknown> {
  const units = new Map(event.transitions.map(({ lot }) => [lot.id, lot.unit]));
  const quantities = (parts: ReadonlyArray<QuantityPart>) => parts.map((part) => ({ epcClass: lotClass(part.lot), quantity: Number(part.quantity), uom: units.get(part.lot) }));
  const after = event.transitions.map(({ lot }) => ({ lot: lot.id, quantity: lot.quantity }));
  const common = {
    eventTime: ledgerTimeIso(record.time),
    eventTimeZoneOffset: "+00:00",
    eventID: `urn:tracegate:event:${record.tx}:${record.index}`,
    bizStep: BIZ_STEPS[event.action],
    ...(event.facility ? { readPoint: place(event.facility), bizLocation: place(event.facility) } : {}),
    ...(event.documents.length > 0
      ? {
          bizTransactionList: event.documents.map((hash) => {
            const kind = kindOf(hash);
            return { ...(kind === undefined ? {} : { type: BIZ_TRANSACTION_TYPES[kind] }), bizTransaction: `urn:tracegate:document:${hash}` };
          }),
        }
      : {}),
    "tg:actor": event.actor,
    "tg:ledgerTransaction": record.tx,
    "tg:ledgerBlock": record.block.toString(),
    ...(event.reason ? { "tg:reason": event.reason } : {}),
    ...(event.flagged ? { "tg:flagged": true } : {}),
  };
  // The event may have been cut down to the lots the caller may see (Visibility.shownEvents): any list may be empty.
  if (event.action === "transform" || event.action === "split") {
    const outputs = event.transitions.filter(({ from }) => from === "NONE");
    // A split consumes its whole parent (the transition that existed before); a transform what it says it consumed.
    const parent = event.transitions.filter(({ from }) => from !== "NONE").map(({ lot }) => ({ lot: lot.id, quantity: lot.quantity }));
    return {
      type: "TransformationEvent",
      ...common,
      inputQuantityList: quantities(event.action === "transform" ? event.consumed : parent),
      outputQuantityList: quantities(outputs.map(({ lot }) => ({ lot: lot.id, quantity: lot.quantity }))),
      ...disposition(outputs[0]?.lot.state),
      transformationID: `urn:tracegate:event:${record.tx}:${record.index}`,
    };
  }
  const [first] = event.transitions;
  return {
    type: "ObjectEvent",
    ...common,
    action: first?.from === "NONE" ? "ADD" : event.action === "destroy" ? "DELETE" : "OBSERVE",
    quantityList: quantities(after),
    ...disposition(first?.lot.state),
  };
}

const disposition = (state: LotState | undefined) => (state === undefined ? {} : { disposition: DISPOSITIONS[state] });

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
