/**
 * `events.payload`: an event as JSON (bigints as decimal strings), less what the store keeps in
 * columns. A custody event's action, actor, facility and time are columns of `events`, and the lots it
 * wrote are rows of `lot_transitions` (most of its bytes): its payload is only the rest, and only
 * what differs from the default. Every other event is stored whole.
 */
import type { CustodyActionType, CustodyEvent, LotTransition } from "../domain/index.js";
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

function json(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => (typeof field === "bigint" ? field.toString() : field));
}

function parse(payload: string): unknown {
  // `consumed` is also the name of a custody event's list of parts: only strings are bigints.
  return JSON.parse(payload, (key, value: unknown) => (BIGINT_FIELDS.has(key) && typeof value === "string" ? BigInt(value) : value));
}

export function encodePayload(event: IndexedEvent): string {
  if (event.type !== "custody") return json(event);
  const rest: Partial<CustodyRest> = {};
  if (event.documents.length > 0) rest.documents = event.documents;
  if (event.reason !== "") rest.reason = event.reason;
  if (event.deviations.length > 0) rest.deviations = event.deviations;
  if (event.flagged) rest.flagged = true;
  if (event.consumed.length > 0) rest.consumed = event.consumed;
  return json(rest);
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
