/** Custody events as EPCIS 2.0 JSON-LD for the API: the mapping is sdk/epcis's table, shared with capture. */
import type { CustodyEvent, DocumentKind } from "../../domain/index.js";
import { EPCIS_CONTEXT_URL, epcisDirectory, toEpcis, tracegateContext, type EpcisDirectory } from "../../sdk/epcis/index.js";
import type { EventRecord } from "../read/events.js";

/** No GLNs configured yet: `urn:tracegate:` identifiers, every facility at Vietnam's +07:00. */
const DEFAULT_DIRECTORY = epcisDirectory();

/** One EPCIS event for a custody event; `kindOf` gives the kind of each document it relied on. */
export function epcisEvent(
  record: EventRecord,
  event: CustodyEvent,
  kindOf: (hash: string) => DocumentKind | undefined,
  directory: EpcisDirectory = DEFAULT_DIRECTORY,
): Record<string, unknown> {
  return toEpcis(event, { directory, kindOf, record });
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
