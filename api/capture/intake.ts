/**
 * What a capture takes in: the events of an EPCISDocument (or one event), each with its event id and
 * its custody action by the one EPCIS table, or the reason it has none. The caller is the actor, always:
 * an event that names another organisation (`tg:actor`) is refused, whatever else it says.
 */
import { TraceGateError, validateAction, withoutCode, type Actor } from "../../domain/index.js";
import { EpcisMappingError, eventHash, fromEpcis, type EpcisDirectory } from "../../sdk/epcis/index.js";
import { CONTENT_EVENT_ID, EVENT_ID } from "../../sdk/epcis/identifiers.js";
import { EpcisProblem } from "../epcis/http.js";
import type { CaptureLimits } from "./jobs.js";
import type { MappedEvent } from "./log.js";

/** The events of a capture document, refusing the document as a whole when it is not one or is over the limit. */
export function documentEvents(body: unknown, limits: CaptureLimits): unknown[] {
  const document = body as { type?: unknown; epcisBody?: { eventList?: unknown } } | null;
  if (typeof document !== "object" || document === null || Array.isArray(document) || document.type !== "EPCISDocument") {
    throw new EpcisProblem(
      "ValidationException",
      'send an EPCISDocument: {"type": "EPCISDocument", "schemaVersion": "2.0", "epcisBody": {"eventList": [...]}}',
    );
  }
  const events = document.epcisBody?.eventList;
  if (!Array.isArray(events)) throw new EpcisProblem("ValidationException", "the document has no epcisBody.eventList");
  if (events.length === 0) throw new EpcisProblem("ValidationException", "epcisBody.eventList is empty: there is nothing to capture");
  if (events.length > limits.maxEvents) {
    throw new EpcisProblem(
      "CaptureLimitExceededException",
      `the document holds ${events.length} events; one capture takes at most ${limits.maxEvents}: split it into several documents`,
    );
  }
  return events;
}

/** One event as a capture job takes it. */
export function intakeEvent(raw: unknown, actor: Actor, directory: EpcisDirectory): MappedEvent {
  const eventId = eventIdOf(raw);
  if (typeof eventId !== "string") return { eventId: eventId.fallback, refused: eventId.refused };
  try {
    const { actor: named, action } = fromEpcis(raw, { directory });
    if (named !== undefined && named !== actor.org) {
      return {
        eventId,
        refused: {
          code: "NOT_AUTHORIZED",
          reason: `the event says ${named} acts, but the token is ${actor.org}'s: an organisation captures only its own events`,
        },
      };
    }
    validateAction(action);
    return { eventId, action };
  } catch (error) {
    if (error instanceof EpcisMappingError || error instanceof TraceGateError) return { eventId, refused: { code: error.code, reason: withoutCode(error) } };
    throw error;
  }
}

/**
 * The event's own eventID, or its CBV 2.0 event hash when it has none; or why it has no usable id. A
 * given `ni:` id must be the event's hash: it names the event's content, and another event's would let
 * a client capture something else under an id that names that event (a urn:uuid: is the client's own).
 */
export function eventIdOf(raw: unknown): string | { fallback: string; refused: { code: string; reason: string } } {
  const given = (raw as { eventID?: unknown } | null)?.eventID;
  if (given !== undefined && (typeof given !== "string" || !EVENT_ID.test(given))) {
    return {
      fallback: "(invalid eventID)",
      refused: {
        code: "MALFORMED_EVENT",
        reason: "eventID must be a URI of 1 to 512 printable ASCII characters, without spaces or control characters (e.g. urn:uuid:…)",
      },
    };
  }
  if (given !== undefined && !CONTENT_EVENT_ID.test(given)) return given;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { fallback: "(not an event)", refused: { code: "MALFORMED_EVENT", reason: "an event must be a JSON object" } };
  let hash: string;
  try {
    hash = eventHash(raw as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof EpcisMappingError)) throw error;
    return { fallback: given ?? "(no eventID)", refused: { code: error.code, reason: withoutCode(error) } };
  }
  if (given === undefined || given === hash) return hash;
  return {
    fallback: given,
    refused: {
      code: "MALFORMED_EVENT",
      reason: `eventID ${given} is a content hash but not this event's: its CBV 2.0 event hash is ${hash}; send that, a urn:uuid:, or no eventID`,
    },
  };
}
