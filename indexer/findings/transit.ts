/**
 * Trips under customs seal an auditor should look at, recomputed per lot (scope: the lot's transit):
 * a seal found broken at arrival, an arrival after the deadline (or none yet, judged at ledger time as
 * releases are), and what the e-seal raised on the way (one finding per trip, as severe as its worst alert).
 */
import type { Kysely } from "kysely";
import type { CustodyEvent, SealAlert } from "../../domain/index.js";
import type { Database } from "../store/schema.js";
import type { Positioned } from "../store/write/positioned.js";
import { duration, isoDay, type Finding, type FindingKind } from "./finding.js";
import { quotedLedgerText, writtenOut } from "./ledger-text.js";
import { firstEventFrom } from "./released.js";
import type { FindingSettings } from "./settings.js";
import { tripsOf, type Trip } from "./trips.js";

export const transitScope = (lot: string) => `transit ${lot}`;

/** How severe each alert is on its own: a seal opened on the way calls for a look at arrival. */
export const ALERT_SEVERITY: Record<SealAlert, number> = { OPENED: 80, ROUTE_DEVIATION: 50, LONG_STOP: 50, LOW_BATTERY: 20 };

const BROKEN_SEVERITY = 90;
const OVERDUE_SEVERITY = {
  /** Under seal past its deadline and not held by customs: the goods are unaccounted for. */
  missing: 85,
  lateBeyondTolerance: 75,
  /** Held on the way by customs, whose own hold explains some of the delay. */
  heldOnTheWay: 60,
  late: 55,
  destroyedOnTheWay: 50,
};

/** The lots whose trips these events started, changed or ended. */
export function lotsInTransitIn(events: ReadonlyArray<Positioned<CustodyEvent>>): string[] {
  const touches = (event: CustodyEvent, from: string, seal: string) =>
    event.action === "seal" || event.action === "unseal" || event.action === "alert" || seal !== "" || (event.action === "destroy" && from === "HELD");
  return [...new Set(events.flatMap(({ event }) => event.transitions.filter(({ from, lot }) => touches(event, from, lot.seal)).map(({ lot }) => lot.id)))];
}

/** Lots still under seal whose deadline the ledger's time (its latest event's) has passed. */
export async function overdueTransitLots(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom("lots")
    .select("id")
    .where("state", "in", ["IN_TRANSIT", "HELD"])
    .where("seal", "!=", "")
    .where("deadline", "<", (eb) => eb.selectFrom("events").select((inner) => inner.fn.max("time").as("now")))
    .execute();
  return rows.map((row) => row.id);
}

/** A figure's name for an alert's count, camelCase as the other figures' (ROUTE_DEVIATION: routeDeviation). */
const figureName = (alert: SealAlert) => alert.toLowerCase().replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

const isoMinute = (time: bigint) => `${new Date(Number(time) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;

export async function transitFindings(db: Kysely<Database>, lots: readonly string[], settings: FindingSettings): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const trips of (await tripsOf(db, lots)).values()) {
    for (const trip of trips) {
      if (trip.end?.action === "unseal" && !trip.end.intact) findings.push(brokenSeal(trip));
      const overdue = await overdueFinding(db, trip, settings);
      if (overdue !== undefined) findings.push(overdue);
      if (trip.alerts.length > 0) findings.push(alertsFinding(trip));
    }
  }
  return findings;
}

/** What every finding of a trip says and carries alike. */
function base(
  trip: Trip,
  kind: FindingKind,
  severity: number,
  time: bigint,
  event: bigint,
  explanation: string,
  events: bigint[],
  figures: Record<string, string>,
) {
  return {
    id: `${kind}:${trip.sealEvent}:${trip.lot}`,
    kind,
    severity,
    subjectKind: "lot",
    subject: trip.lot,
    enterprise: trip.owner,
    lot: trip.lot,
    facility: trip.destination,
    document: trip.transit,
    time,
    event,
    scope: transitScope(trip.lot),
    explanation,
    evidence: {
      events: [...new Set([trip.sealEvent, ...events])].map(String),
      documents: trip.transit === null ? [] : [trip.transit],
      figures: {
        seal: trip.seal,
        sealedAt: String(trip.sealedAt),
        deadline: String(trip.deadline),
        allowedSeconds: String(trip.deadline - trip.sealedAt),
        ...(trip.end === null ? {} : { [trip.end.action === "unseal" ? "arrivedAt" : "destroyedAt"]: String(trip.end.time) }),
        ...figures,
      },
    },
  } satisfies Finding;
}

const goodsOf = (trip: Trip) =>
  `${trip.lot} (${trip.quantity} ${trip.unit} of ${trip.material}, ${trip.owner}), sealed under ${trip.seal} at ${trip.origin} on ${isoMinute(trip.sealedAt)} for ${trip.destination}`;

const alertsText = (trip: Trip) =>
  trip.alerts.map(({ alert, detail, time }) => `${alert}${detail ? ` (${writtenOut(detail)})` : ""} on ${isoMinute(time)}`).join(", ");

function brokenSeal(trip: Trip): Finding {
  const end = trip.end!;
  const remark = end.remark ? ` (${quotedLedgerText(end.remark)})` : "";
  const alerts = trip.alerts.length === 0 ? "" : `; on the way the seal reported ${alertsText(trip)}`;
  return base(
    trip,
    "SEAL_BROKEN",
    BROKEN_SEVERITY,
    end.time,
    end.event,
    `${goodsOf(trip)}, arrived on ${isoMinute(end.time)} with the seal broken${remark}${alerts}: customs held it at ${end.facility}; what was carried may not be what was sealed.`,
    [...trip.alerts.map(({ event }) => event), end.event],
    { secondsInTransit: String(end.time - trip.sealedAt), alerts: String(trip.alerts.length), ...(end.remark ? { remark: end.remark } : {}) },
  );
}

/** Arrived (or destroyed on the way) after the deadline, or still under seal once the ledger has passed it. */
async function overdueFinding(db: Kysely<Database>, trip: Trip, settings: FindingSettings): Promise<Finding | undefined> {
  const { end } = trip;
  const due = `was due there by ${isoMinute(trip.deadline)} (${duration(trip.deadline - trip.sealedAt)} allowed)`;
  if (end !== null) {
    const late = end.time - trip.deadline;
    if (late <= 0n) return undefined;
    const figures = { secondsLate: String(late), secondsInTransit: String(end.time - trip.sealedAt) };
    if (end.action === "destroy") {
      return base(
        trip,
        "TRANSIT_OVERDUE",
        OVERDUE_SEVERITY.destroyedOnTheWay,
        end.time,
        end.event,
        `${goodsOf(trip)}, ${due} and never arrived: customs held it on the way and destroyed it ${duration(late)} after the deadline${end.remark ? ` (${quotedLedgerText(end.remark)})` : ""}.`,
        [...trip.holds.map(({ event }) => event), end.event],
        figures,
      );
    }
    const severity = late > BigInt(settings.transitLateSeconds) ? OVERDUE_SEVERITY.lateBeyondTolerance : OVERDUE_SEVERITY.late;
    return base(
      trip,
      "TRANSIT_OVERDUE",
      severity,
      end.time,
      end.event,
      `${goodsOf(trip)}, ${due} and arrived ${duration(late)} late, on ${isoMinute(end.time)}, after ${duration(end.time - trip.sealedAt)} in transit${end.held ? ": customs held it at arrival" : ""}.`,
      [end.event],
      figures,
    );
  }
  // Unfinished: overdue from the first event after the deadline (at the deadline itself it is on time).
  const reached = await firstEventFrom(db, trip.deadline + 1n);
  if (reached === undefined) return undefined;
  const held = trip.holds.at(-1);
  const stillHeld = held !== undefined && held.until === null;
  return base(
    trip,
    "TRANSIT_OVERDUE",
    stillHeld ? OVERDUE_SEVERITY.heldOnTheWay : OVERDUE_SEVERITY.missing,
    trip.deadline,
    reached.id,
    stillHeld
      ? `${goodsOf(trip)}, ${due} and has not arrived: customs has held it on the way since ${isoMinute(held.time)}, still under seal.`
      : `${goodsOf(trip)}, ${due} and has not arrived: no unseal is recorded; the goods are out of customs' sight past their deadline.`,
    stillHeld ? [held.event] : [],
    { outcome: stillHeld ? "held on the way" : "not arrived" },
  );
}

function alertsFinding(trip: Trip): Finding {
  const worst = trip.alerts.reduce((top, { alert }) => (ALERT_SEVERITY[alert] > ALERT_SEVERITY[top] ? alert : top), trip.alerts[0]!.alert);
  const counts = new Map<SealAlert, number>();
  for (const { alert } of trip.alerts) counts.set(alert, (counts.get(alert) ?? 0) + 1);
  const last = trip.alerts.at(-1)!;
  const after =
    trip.end === null
      ? "it has not arrived yet"
      : trip.end.action === "destroy"
        ? "it was destroyed on the way"
        : `it arrived on ${isoDay(trip.end.time)} with the seal ${trip.end.intact ? "intact" : "broken"}`;
  const advice = worst === "OPENED" ? ": the load must be checked against what was sealed" : "";
  return base(
    trip,
    "SEAL_ALERT",
    ALERT_SEVERITY[worst],
    last.time,
    last.event,
    `${goodsOf(trip)}, raised ${trip.alerts.length === 1 ? "an alert" : `${trip.alerts.length} alerts`} on the way: ${alertsText(trip)}; ${after}${advice}.`,
    trip.alerts.map(({ event }) => event),
    { alerts: String(trip.alerts.length), worst, ...Object.fromEntries([...counts].map(([alert, count]) => [figureName(alert), String(count)])) },
  );
}
