/**
 * A lot's trips under customs seal, rebuilt from its custody events (seal, alerts, holds on the way,
 * and the unseal or destruction that ended it): what the transit findings judge and the API shows, so
 * both read one account of a trip.
 */
import type { Kysely } from "kysely";
import { alertOf, sealIntactOf, sealRemark, type CustodyEvent, type Hash, type SealAlert } from "../../domain/index.js";
import { eventsById } from "../store/read/events.js";
import type { Database } from "../store/schema.js";
import { chunks } from "../store/write/insert-rows.js";
import { ofType, type Positioned } from "../store/write/positioned.js";

export interface TripAlert {
  event: bigint;
  time: bigint;
  alert: SealAlert;
  detail: string;
}

/** How a trip ended: the unseal at its destination (its seal check) or destruction while held on the way. */
export interface TripEnd {
  action: "unseal" | "destroy";
  event: bigint;
  time: bigint;
  actor: string;
  facility: string;
  /** The seal check's finding (true for a destruction, which checks no seal). */
  intact: boolean;
  /** The remark the unseal gave, or the destruction's reason. */
  remark: string;
  /** Whether the seal check held the lot (a broken seal, or an arrival after the deadline). */
  held: boolean;
}

export interface Trip {
  lot: string;
  owner: string;
  material: string;
  quantity: bigint;
  unit: string;
  seal: string;
  origin: string;
  destination: string;
  deadline: bigint;
  sealEvent: bigint;
  sealedAt: bigint;
  sealedBy: string;
  /** The transit declaration the seal relied on. */
  transit: Hash | null;
  alerts: TripAlert[];
  /** Holds on the way: when customs held the lot under seal, and when it let it go on (null: still held). */
  holds: Array<{ event: bigint; time: bigint; until: bigint | null }>;
  end: TripEnd | null;
}

export const TRIP_OUTCOMES = ["ARRIVED", "HELD_BROKEN_SEAL", "HELD_OVERDUE", "IN_TRANSIT", "OVERDUE", "DESTROYED"] as const;
export type TripOutcome = (typeof TRIP_OUTCOMES)[number];

/** A trip's outcome at ledger time `now`: an unfinished trip is OVERDUE once `now` is past its deadline (at it, on time). */
export function outcomeOf(trip: Trip, now: bigint): TripOutcome {
  if (trip.end === null) return now > trip.deadline ? "OVERDUE" : "IN_TRANSIT";
  if (trip.end.action === "destroy") return "DESTROYED";
  if (!trip.end.held) return "ARRIVED";
  return trip.end.intact ? "HELD_OVERDUE" : "HELD_BROKEN_SEAL";
}

/** The trips in one lot's custody events (in chain order), oldest first. */
export function tripsIn(lot: string, events: ReadonlyArray<Positioned<CustodyEvent>>): Trip[] {
  const trips: Trip[] = [];
  let open: Trip | null = null;
  for (const { id, event } of events) {
    const mine = event.transitions.find((transition) => transition.lot.id === lot);
    if (mine === undefined) continue;
    if (event.action === "seal") {
      open = {
        lot,
        owner: mine.lot.owner,
        material: mine.lot.material,
        quantity: mine.lot.quantity,
        unit: mine.lot.unit,
        seal: mine.lot.seal,
        origin: mine.lot.location,
        destination: mine.lot.destination,
        deadline: mine.lot.deadline,
        sealEvent: id,
        sealedAt: event.time,
        sealedBy: event.actor,
        transit: event.documents[0] ?? null,
        alerts: [],
        holds: [],
        end: null,
      };
      trips.push(open);
      continue;
    }
    if (open === null) continue;
    const end = { event: id, time: event.time, actor: event.actor, facility: event.facility };
    switch (event.action) {
      case "alert": {
        const alert = alertOf(event.reason);
        if (alert !== undefined) open.alerts.push({ event: id, time: event.time, ...alert });
        break;
      }
      case "hold":
        open.holds.push({ event: id, time: event.time, until: null });
        break;
      case "unhold": {
        const hold = open.holds.at(-1);
        if (hold !== undefined) hold.until = event.time;
        break;
      }
      case "unseal": {
        const intact = sealIntactOf(event.flagged, event.reason);
        open.end = { ...end, action: "unseal", intact, remark: sealRemark(intact, event.flagged, event.reason), held: mine.lot.state === "HELD" };
        open = null;
        break;
      }
      case "destroy":
        open.end = { ...end, action: "destroy", intact: true, remark: event.reason, held: false };
        open = null;
        break;
    }
  }
  return trips;
}

/** Each lot's trips (lots never sealed have none): two reads per chunk of lots, not per lot. */
export async function tripsOf(db: Kysely<Database>, lots: readonly string[]): Promise<Map<string, Trip[]>> {
  const trips = new Map<string, Trip[]>(lots.map((lot) => [lot, []]));
  for (const chunk of chunks([...new Set(lots)])) {
    // Only lots ever sealed: their seal's transition carries the seal id.
    const sealed = await db.selectFrom("lot_transitions").select("lot").distinct().where("lot", "in", chunk).where("seal", "!=", "").execute();
    if (sealed.length === 0) continue;
    const rows = await db
      .selectFrom("lot_transitions")
      .select(["lot", "event_id"])
      .where(
        "lot",
        "in",
        sealed.map(({ lot }) => lot),
      )
      .orderBy("event_id")
      .execute();
    const eventsOf = new Map<string, Array<Positioned<CustodyEvent>>>(sealed.map(({ lot }) => [lot, []]));
    for (const positioned of ofType(await eventsById(db, [...new Set(rows.map(({ event_id }) => event_id))]), "custody")) {
      for (const lot of new Set(positioned.event.transitions.map((transition) => transition.lot.id))) eventsOf.get(lot)?.push(positioned);
    }
    for (const [lot, events] of eventsOf) trips.set(lot, tripsIn(lot, events));
  }
  return trips;
}
