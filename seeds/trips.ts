/**
 * A truck's trip under customs seal along a corridor, and the track its electronic seal reports: a
 * reading every five minutes from the sealing at the gate to the unseal at the depot, the truck moving
 * between the corridor's waypoints at a plausible speed, resting where drivers rest, and waiting at
 * either end. An incident turns a trip into a planted anomaly: a breakdown that makes it overdue, a
 * seal cut open on the way, a detour off the corridor. Positions are integer microdegrees, worked out
 * with bigint arithmetic, so a trip's messages (and their hashes) are the same on every machine.
 */
import type { Id, LedgerTime, SealAlert } from "../domain/index.js";
import { TRACK_FORMAT, type SealMessage, type TrackSegment } from "../domain/seal-track.js";
import type { Corridor, Waypoint } from "./corridors.js";
import type { Random } from "./random.js";

/** How often the device reports. */
export const READING_SECONDS = 300n;
/** A stop longer than this raises LONG_STOP (routine rests are shorter). */
export const LONG_STOP_SECONDS = 2_700n;
const MINUTE = 60n;
const HOUR = 3_600n;

export type Incident = "BREAKDOWN" | "SEAL_CUT" | "DETOUR";

/** Where the truck is at a time: between two knots it moves in a straight line. */
interface Knot {
  time: LedgerTime;
  latitude: bigint;
  longitude: bigint;
}

/** An alert the device raises, which customs' monitoring records as an `alert` custody action. */
export interface TripAlert {
  time: LedgerTime;
  alert: SealAlert;
  detail: string;
}

export interface Trip {
  corridor: Corridor;
  seal: Id;
  sealedAt: LedgerTime;
  /** When the truck reaches the destination's gate. */
  arrival: LedgerTime;
  /** When the seal was found open on the way; null when it held. */
  openedAt: LedgerTime | null;
  alerts: TripAlert[];
  knots: Knot[];
}

/** Plans the trip of a truck sealed at `sealedAt`: departure, driving, rests and the incident, if any. */
export function planTrip(random: Random, corridor: Corridor, seal: Id, sealedAt: LedgerTime, incident?: Incident): Trip {
  const { waypoints } = corridor;
  // The incident happens on the way, at a waypoint about halfway.
  const incidentAt = Math.floor(waypoints.length / 2);
  const trip: Trip = { corridor, seal, sealedAt, arrival: 0n, openedAt: null, alerts: [], knots: [] };
  const stay = (point: { latitude: bigint; longitude: bigint }, seconds: bigint) => {
    const last = trip.knots.at(-1)!;
    trip.knots.push({ time: last.time + seconds, latitude: point.latitude, longitude: point.longitude });
  };
  trip.knots.push({ time: sealedAt, latitude: waypoints[0]!.latitude, longitude: waypoints[0]!.longitude });
  stay(waypoints[0]!, BigInt(random.int(10, 45)) * MINUTE);
  const urban = corridor.restAt === null;
  for (let index = 1; index < waypoints.length; index++) {
    const waypoint = waypoints[index]!;
    const speed = urban ? random.int(18, 35) : random.int(40, 60);
    stay(waypoint, BigInt(Math.round((waypoint.km * 3_600) / speed)));
    const here = trip.knots.at(-1)!.time;
    if (index === corridor.restAt) stay(waypoint, BigInt(random.int(15, 35)) * MINUTE);
    if (index !== incidentAt || incident === undefined) continue;
    switch (incident) {
      case "BREAKDOWN": {
        // Towed to a roadside garage: the truck waits there for a part, well past the deadline.
        stay(waypoint, corridor.deadlineHours * HOUR + BigInt(random.int(4, 9)) * HOUR);
        trip.alerts.push({ time: here + LONG_STOP_SECONDS, alert: "LONG_STOP", detail: `Dừng quá 45 phút tại ${waypoint.place} (stopped over 45 minutes)` });
        break;
      }
      case "SEAL_CUT": {
        // A short stop off the carriageway, where the seal's wire is cut.
        const cut = here + BigInt(random.int(6, 14)) * MINUTE;
        stay(waypoint, BigInt(random.int(20, 30)) * MINUTE);
        trip.openedAt = cut;
        trip.alerts.push({ time: cut, alert: "OPENED", detail: `Dây niêm phong bị mở tại ${waypoint.place} (seal wire opened)` });
        break;
      }
      case "DETOUR": {
        // Off the corridor by about 3 km to an unlisted yard (the geofence raises it there), a long stop, then back.
        const yard = aside(waypoints[index - 1]!, waypoint, waypoints[index + 1] ?? waypoint, 27_000);
        stay(yard, BigInt(random.int(8, 12)) * MINUTE);
        const reached = trip.knots.at(-1)!.time;
        stay(yard, BigInt(random.int(55, 80)) * MINUTE);
        stay(waypoint, BigInt(random.int(8, 12)) * MINUTE);
        trip.alerts.push(
          { time: reached, alert: "ROUTE_DEVIATION", detail: `Lệch tuyến khoảng 3 km gần ${waypoint.place} (about 3 km off ${corridor.id})` },
          { time: reached + LONG_STOP_SECONDS, alert: "LONG_STOP", detail: `Dừng ngoài tuyến tại bãi gần ${waypoint.place} (stopped off the corridor)` },
        );
        break;
      }
    }
  }
  trip.arrival = trip.knots.at(-1)!.time;
  return trip;
}

/** A point `microdegrees` from `at`, square to the road from `before` to `after`: off the corridor, not along it. */
function aside(before: Waypoint, at: Waypoint, after: Waypoint, microdegrees: number): { latitude: bigint; longitude: bigint } {
  const [north, east] = [Number(after.latitude - before.latitude), Number(after.longitude - before.longitude)];
  const length = Math.sqrt(north * north + east * east);
  return {
    latitude: at.latitude + BigInt(Math.round((-east * microdegrees) / length)),
    longitude: at.longitude + BigInt(Math.round((north * microdegrees) / length)),
  };
}

/**
 * The seal's messages from the sealing until `until` (the unseal), one every READING_SECONDS; after the
 * arrival the truck waits at the depot. Each alert rides on the first reading at or after it.
 */
export function trackOf(trip: Trip, lots: Id[], until: LedgerTime): TrackSegment {
  const messages: SealMessage[] = [];
  const pending = [...trip.alerts];
  for (let time = trip.sealedAt; time <= until; time += READING_SECONDS) {
    const due = pending.filter((alert) => alert.time <= time);
    for (const alert of due) pending.splice(pending.indexOf(alert), 1);
    messages.push({
      seal: trip.seal,
      time,
      ...positionAt(trip.knots, time),
      sealClosed: trip.openedAt === null || time < trip.openedAt,
      alerts: [...new Set(due.map(({ alert }) => alert))],
    });
  }
  return { format: TRACK_FORMAT, seal: trip.seal, lots, messages };
}

function positionAt(knots: readonly Knot[], time: LedgerTime): { latitude: bigint; longitude: bigint } {
  const next = knots.findIndex((knot) => knot.time > time);
  if (next === -1) return noisy(knots.at(-1)!, time);
  if (next === 0) return noisy(knots[0]!, time);
  const [a, b] = [knots[next - 1]!, knots[next]!];
  const share = (from: bigint, to: bigint) => from + ((to - from) * (time - a.time)) / (b.time - a.time);
  return noisy({ latitude: share(a.latitude, b.latitude), longitude: share(a.longitude, b.longitude) }, time);
}

/** A GPS fix wanders by a few metres: a deterministic wobble of up to ±30 microdegrees. */
function noisy(point: { latitude: bigint; longitude: bigint }, time: LedgerTime): { latitude: bigint; longitude: bigint } {
  const wobble = (salt: bigint) => (((time / READING_SECONDS) * salt) % 61n) - 30n;
  return { latitude: point.latitude + wobble(7_919n), longitude: point.longitude + wobble(104_729n) };
}
