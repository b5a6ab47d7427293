/**
 * Electronic seals' device reports in a capture (sdk/transit/seal-report.ts): customs' e-seal monitoring
 * sends them among custody events. A report is kept, not applied: it becomes a job event of its own,
 * followed by one `alert` custody action per alert and per lot the seal closes in transit, as the
 * customs OFFICER, its detail naming the position and the message hash, so a ledger alert points at
 * the evidence that is anchored later (api/transit/track-anchorer.ts).
 *
 * The lots a seal closes are read from the index, then carried through the document's earlier events,
 * so a document that seals a lot and then reports on it works.
 */
import type { Kysely } from "kysely";
import { withoutCode, type Actor, type CustodyAction, type Id, type OrgKind } from "../../domain/index.js";
import { messageHash, type SealMessage } from "../../domain/seal-track.js";
import type { Database } from "../../indexer/store/index.js";
import { EpcisMappingError, type EpcisDirectory } from "../../sdk/epcis/index.js";
import { geoUri, isSealReport, sealMessageOf } from "../../sdk/transit/seal-report.js";
import { eventIdOf, intakeEvent } from "./intake.js";
import type { NewEvent, SealReport } from "./log.js";

/** The caller as capture sees it: who acts, and the kind of its organisation. */
export interface Capturer {
  actor: Actor;
  kind: OrgKind;
}

type Transit = "IN_TRANSIT" | "HELD";

/** The events of a document as a job takes them: custody events mapped, reports with their alerts. */
export async function intakeEvents(db: Kysely<Database>, raws: readonly unknown[], capturer: Capturer, directory: EpcisDirectory): Promise<NewEvent[]> {
  const taken: NewEvent[] = [];
  // Per seal, its lots in the index; what the document's events have changed since.
  const indexed = new Map<Id, Map<Id, Transit>>();
  const changes: Changes = new Map();
  for (const raw of raws) {
    if (!isSealReport(raw)) {
      const event = intakeEvent(raw, capturer.actor, directory);
      if ("action" in event) follow(changes, event.action);
      taken.push(event);
      continue;
    }
    const eventId = eventIdOf(raw);
    if (typeof eventId !== "string") {
      taken.push({ eventId: eventId.fallback, refused: eventId.refused });
      continue;
    }
    const refused = refusalOfCaller(capturer);
    if (refused !== undefined) {
      taken.push({ eventId, refused });
      continue;
    }
    let message: SealMessage;
    try {
      message = sealMessageOf(raw);
    } catch (error) {
      if (!(error instanceof EpcisMappingError)) throw error;
      taken.push({ eventId, refused: { code: error.code, reason: withoutCode(error) } });
      continue;
    }
    const lots = await lotsUnder(db, indexed, changes, message.seal);
    if (lots.size === 0) {
      taken.push({
        eventId,
        refused: {
          code: "SEAL_MISMATCH",
          reason: `seal ${message.seal} closes no lot in transit (none is IN_TRANSIT, or HELD on the way, under it): a device report is kept only while its seal closes goods`,
        },
      });
      continue;
    }
    const hash = messageHash(message);
    taken.push({ eventId, report: { message, hash, lots: [...lots.keys()].sort() } });
    taken.push(...alertEvents(eventId, message, hash, lots));
  }
  return taken;
}

/** The alert actions a report calls for: one per alert and lot in transit (a lot held on the way takes no alert: the rules refuse it). */
function alertEvents(eventId: string, message: SealMessage, hash: string, lots: ReadonlyMap<Id, Transit>): NewEvent[] {
  const detail = `at ${geoUri(message.latitude, message.longitude)}, message ${hash}`;
  const inTransit = [...lots]
    .filter(([, transit]) => transit === "IN_TRANSIT")
    .map(([lot]) => lot)
    .sort();
  return message.alerts.flatMap((alert) =>
    inTransit.map((lot) => ({
      eventId: `${eventId}#alert:${alert}:${lot}`,
      action: { type: "alert", lot, seal: message.seal, alert, detail } satisfies CustodyAction,
    })),
  );
}

function refusalOfCaller({ actor, kind }: Capturer): { code: string; reason: string } | undefined {
  if (kind === "CUSTOMS" && actor.role === "OFFICER") return undefined;
  return {
    code: "NOT_AUTHORIZED",
    reason: `a seal's device report is captured by customs' e-seal monitoring, with a customs OFFICER's token; ${actor.org} (${kind}, ${actor.role}) may not send one`,
  };
}

/** What the document's earlier events did to lots under seal: sealed (under which seal), held, released from hold, or out of transit. */
type Changes = Map<Id, { seal?: Id; state: Transit | "OUT" }>;

/** The lots under `seal`: the index's, as the document's earlier events left them. */
async function lotsUnder(db: Kysely<Database>, indexed: Map<Id, Map<Id, Transit>>, changes: Changes, seal: Id): Promise<Map<Id, Transit>> {
  let rows = indexed.get(seal);
  if (rows === undefined) {
    const found = await db.selectFrom("lots").select(["id", "state"]).where("seal", "=", seal).where("state", "in", ["IN_TRANSIT", "HELD"]).execute();
    rows = new Map(found.map((row) => [row.id, row.state as Transit]));
    indexed.set(seal, rows);
  }
  const lots = new Map<Id, Transit>();
  for (const [lot, state] of rows) {
    const change = changes.get(lot);
    if (change === undefined) lots.set(lot, state);
    else if (change.state !== "OUT" && (change.seal === undefined || change.seal === seal)) lots.set(lot, change.state);
  }
  for (const [lot, change] of changes) if (change.seal === seal && change.state !== "OUT") lots.set(lot, change.state);
  return lots;
}

/** Notes an earlier custody event of the document that seals a lot, holds it, releases it from hold or takes it out of transit. */
function follow(changes: Changes, action: CustodyAction): void {
  if (action.type === "seal") changes.set(action.lot, { seal: action.seal, state: "IN_TRANSIT" });
  else if (action.type === "unseal" || action.type === "destroy") changes.set(action.lot, { state: "OUT" });
  else if (action.type === "hold" || action.type === "unhold") {
    const seal = changes.get(action.lot)?.seal;
    changes.set(action.lot, { ...(seal === undefined ? {} : { seal }), state: action.type === "hold" ? "HELD" : "IN_TRANSIT" });
  }
}

/** A report as the capture log keeps it until its part is applied. */
export function encodeReport(report: SealReport): string {
  const { message, hash, lots } = report;
  return JSON.stringify({
    ...message,
    time: message.time.toString(),
    latitude: message.latitude.toString(),
    longitude: message.longitude.toString(),
    hash,
    lots,
  });
}

export function decodeReport(text: string): SealReport {
  const { seal, time, latitude, longitude, sealClosed, alerts, hash, lots } = JSON.parse(text);
  return { message: { seal, time: BigInt(time), latitude: BigInt(latitude), longitude: BigInt(longitude), sealClosed, alerts }, hash, lots };
}
