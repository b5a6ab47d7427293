/**
 * A consignment's leg under customs seal from the border gate to an inland depot: the importer's
 * transit declaration, customs sealing the lot with a deadline that fits the corridor, the alerts its
 * monitoring records from the electronic seal on the way, the seal check at the depot (the depot's
 * operator unseals) and, once the trip is over, the seal's track anchored by customs as one segment.
 * An incident plants one of the transit anomalies.
 */
import type { Hash, LedgerEvent, LedgerTime, Lot } from "../../domain/index.js";
import { segmentBatch } from "../../domain/seal-track.js";
import { customsSigner, officer, signerOf, type ScenarioContext } from "../context.js";
import type { Corridor } from "../corridors.js";
import { sealTrack, transitDeclaration, type Consignment } from "../documents.js";
import { anchorIntent, type Flow, type FlowYield } from "../engine.js";
import { planTrip, trackOf, type Incident, type Trip } from "../trips.js";

/** The seal check's reason when the seal arrives cut. */
export const SEAL_CUT_REASON = "Dây niêm phong điện tử bị cắt, 2 kiện bị mở (e-seal wire cut, 2 packages opened)";

export interface Leg {
  trip: Trip;
  deadline: LedgerTime;
  /** The lot after the seal check: ARRIVED at the depot, or HELD there. */
  arrived: Lot;
  unsealedAt: LedgerTime;
}

/** The leg of `consignment` along `corridor`; `documents` collects the hashes it anchors. */
export function* transitLeg(
  ctx: ScenarioContext,
  consignment: Consignment,
  corridor: Corridor,
  documents: Hash[],
  incident?: Incident,
): Generator<FlowYield, Leg, LedgerEvent | undefined> {
  const { engine, random } = ctx;
  const { lot, enterprise } = consignment;
  const seal = `ES${ctx.year % 100}-${String(ctx.next("seal")).padStart(6, "0")}`;
  const plate = `${random.pick(corridor.plates)}-${random.int(100, 999)}.${String(random.int(0, 99)).padStart(2, "0")}`;
  const number = `60${String(ctx.next("transit")).padStart(10, "0")}`;
  const declaration = transitDeclaration(ctx.cast, number, consignment, corridor, { plate, seal }, engine.time(engine.slot));
  const anchored = yield anchorIntent(signerOf(enterprise.id), declaration, [lot]);
  if (anchored?.type !== "documentAnchored") throw new Error("expected the transit declaration to be anchored");
  documents.push(anchored.document.hash);

  // Set in the slot the seal is tried: it may go into a later one (a full slot), a little less time then.
  const deadline = engine.time(engine.slot) + corridor.deadlineHours * 3_600n;
  const sealed = yield {
    actor: officer,
    action: { type: "seal", lot, facility: corridor.destination, seal, deadline, transit: anchored.document.hash },
  };
  const trip = planTrip(random, corridor, seal, timeOf(sealed), incident);
  for (const { time, alert, detail } of trip.alerts) {
    // Customs' monitoring centre records what the seal raised, within half an hour.
    yield* waitUntil(ctx, time + BigInt(random.int(5, 30)) * 60n);
    yield { actor: officer, action: { type: "alert", lot, seal, alert, detail } };
  }
  yield* waitUntil(ctx, trip.arrival + BigInt(random.int(10, 90)) * 60n);
  const intact = trip.openedAt === null;
  const unsealed = yield {
    actor: ctx.actorAt(corridor.destination),
    action: { type: "unseal", lot, facility: corridor.destination, sealIntact: intact, reason: intact ? "" : SEAL_CUT_REASON },
  };
  if (unsealed?.type !== "custody") throw new Error("expected the unseal's custody event");
  const unsealedAt = unsealed.time;
  engine.spawn(anchorTrack(trip, consignment, unsealedAt), engine.slot + random.int(1, 6));
  return { trip, deadline, arrived: unsealed.transitions[0]!.lot, unsealedAt };
}

/** Customs anchors the trip's track: the segment from the sealing to the unseal, stored for the owner too. */
function* anchorTrack(trip: Trip, consignment: Consignment, until: LedgerTime): Flow {
  const segment = trackOf(trip, [consignment.lot], until);
  const { root } = segmentBatch(segment);
  yield {
    actor: customsSigner,
    action: { type: "anchorBatch", root, kind: "SEAL_TRACK", count: segment.messages.length },
    document: sealTrack(segment, consignment.enterprise.id),
  };
}

function* waitUntil(ctx: ScenarioContext, time: LedgerTime): Flow {
  const { engine } = ctx;
  const slots = Number((time - engine.time(engine.slot) + engine.options.slotSeconds - 1n) / engine.options.slotSeconds);
  if (slots > 0) yield { wait: slots };
}

function timeOf(event: LedgerEvent | undefined): LedgerTime {
  if (event?.type !== "custody") throw new Error("expected a custody event");
  return event.time;
}
