import type { IndexedEvent } from "../../events.js";

/** An event with its id (its place on the chain, see events.ts). */
export interface Positioned<E extends IndexedEvent = IndexedEvent> {
  id: bigint;
  event: E;
}

/** The events of one type, keeping their order. */
export function ofType<T extends IndexedEvent["type"]>(events: readonly Positioned[], type: T): Array<Positioned<Extract<IndexedEvent, { type: T }>>> {
  return events.filter((positioned): positioned is Positioned<Extract<IndexedEvent, { type: T }>> => positioned.event.type === type);
}
