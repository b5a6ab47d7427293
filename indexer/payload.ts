/**
 * `events.payload`: an event as JSON (bigints as decimal strings), less what the store keeps in
 * columns. A custody event's action, actor, facility and time are columns of `events`, and the lots it
 * wrote are rows of `lot_transitions` (most of its bytes): its payload is only the rest, and only
 * what differs from the default. Every other event is stored whole.
 */
import type { CustodyActionType, CustodyEvent, LotTransition } from "../domain/index.js";
import { fromJsonWithDecimals, toJson } from "../domain/json-shapes.js";
import type { IndexedEvent } from "./events.js";

/** The fields of IndexedEvent (at any depth) that hold a bigint. */
const BIGINT_FIELDS = new Set(["time", "anchoredAt", "quantity", "outputQuantity", "expected", "consumed"]);

type CustodyRest = Pick<CustodyEvent, "documents" | "reason" | "deviations" | "flagged" | "consumed">;
const CUSTODY_DEFAULTS: CustodyRest = { documents: [], reason: "", deviations: [], flagged: false, consumed: [] };

/** The columns of `events` a custody event is rebuilt from. */
export interface CustodyColumns {
  kind: string;
  actor: string | null;
  facility: string | null;
  time: bigint;
}

/** Our own JSON, read back without a full shape (`consumed` also names a list of parts: only decimal strings become bigints). */
function parse(payload: string): unknown {
  return fromJsonWithDecimals(payload, BIGINT_FIELDS);
}

export function encodePayload(event: IndexedEvent): string {
  if (event.type !== "custody") return toJson(event);
  const rest: Partial<CustodyRest> = {};
  if (event.documents.length > 0) rest.documents = event.documents;
  if (event.reason !== "") rest.reason = event.reason;
  if (event.deviations.length > 0) rest.deviations = event.deviations;
  if (event.flagged) rest.flagged = true;
  if (event.consumed.length > 0) rest.consumed = event.consumed;
  return toJson(rest);
}

export function decodePayload(payload: string): IndexedEvent {
  return parse(payload) as IndexedEvent;
}

/** A custody event from its row of `events` and its rows of `lot_transitions` (in position order). */
export function decodeCustodyEvent(columns: CustodyColumns, payload: string, transitions: LotTransition[]): CustodyEvent {
  return {
    type: "custody",
    action: columns.kind as CustodyActionType,
    actor: columns.actor!,
    facility: columns.facility ?? "",
    ...CUSTODY_DEFAULTS,
    ...(parse(payload) as Partial<CustodyRest>),
    transitions,
    time: columns.time,
  };
}
