/**
 * Goods released for import but not received within the set time, judged at ledger time (the latest
 * event's time): a finding appears once the ledger has passed the deadline, and rests on the first event
 * at or after it, whichever batch brought that event. Recomputed per lot (scope: the lot).
 */
import type { Kysely } from "kysely";
import type { CustodyEvent } from "../../domain/index.js";
import type { Database } from "../store/schema.js";
import type { Positioned } from "../store/write/positioned.js";
import { duration, isoDay, type Finding } from "./finding.js";
import { historiesOf } from "./histories.js";
import type { FindingSettings } from "./settings.js";

export const releasedScope = (lot: string) => `released ${lot}`;

/** Lots these events released or moved on from release. */
export function lotsReleasedIn(events: ReadonlyArray<Positioned<CustodyEvent>>): string[] {
  return [
    ...new Set(
      events.flatMap(({ event }) => event.transitions.filter(({ from, lot }) => from === "RELEASED" || lot.state === "RELEASED").map(({ lot }) => lot.id)),
    ),
  ];
}

/** Import lots still in RELEASED that were released at least the set time before ledger time `now`. */
export async function overdueReleasedLots(db: Kysely<Database>, now: bigint, settings: FindingSettings): Promise<string[]> {
  const rows = await db
    .selectFrom("lots")
    .select("id")
    .where("state", "=", "RELEASED")
    .where("stage_since", "<=", now - BigInt(settings.receiveWithinSeconds))
    .where("direction", "=", "IMPORT")
    .execute();
  return rows.map((row) => row.id);
}

/** The first event at or after `time`, if the ledger has reached it. */
export async function firstEventFrom(db: Kysely<Database>, time: bigint): Promise<{ id: bigint; time: bigint } | undefined> {
  return db.selectFrom("events").select(["id", "time"]).where("time", ">=", time).orderBy("time").orderBy("id").limit(1).executeTakeFirst();
}

export async function releasedFindings(db: Kysely<Database>, lots: readonly string[], settings: FindingSettings): Promise<Finding[]> {
  const within = BigInt(settings.receiveWithinSeconds);
  const findings: Finding[] = [];
  for (const [lot, history] of await historiesOf(db, lots)) {
    for (const [index, released] of history.entries()) {
      if (released.state !== "RELEASED" || released.from_state === "RELEASED" || released.direction !== "IMPORT") continue;
      const next = history.slice(index + 1).find((step) => step.state !== "RELEASED");
      const deadline = released.time + within;
      if (next !== undefined && next.time < deadline) continue;
      const reached = await firstEventFrom(db, deadline);
      if (reached === undefined) continue;
      const goods = `${lot} (${released.quantity} ${released.unit} of ${released.material}, ${released.owner})`;
      findings.push({
        id: `RELEASED_NOT_RECEIVED:${released.id}:${lot}`,
        kind: "RELEASED_NOT_RECEIVED",
        severity: next === undefined ? 85 : next.kind === "receive" ? 55 : 60,
        subjectKind: "lot",
        subject: lot,
        enterprise: released.owner,
        lot,
        facility: released.location || null,
        document: null,
        time: deadline,
        event: reached.id,
        scope: releasedScope(lot),
        explanation:
          next === undefined
            ? `${goods} was released for import on ${isoDay(released.time)} and not received within ${duration(within)}: no receipt is recorded; the goods may have left customs control.`
            : `${goods} was released for import on ${isoDay(released.time)} and only ${next.kind === "receive" ? "received" : `moved on (${next.kind})`} ${duration(next.time - released.time)} later, past the ${duration(within)} allowed.`,
        evidence: {
          events: next === undefined ? [String(released.id)] : [String(released.id), String(next.id)],
          documents: [],
          figures: {
            quantity: released.quantity,
            receiveWithinSeconds: String(within),
            ...(next === undefined ? {} : { secondsToNextStep: String(next.time - released.time) }),
          },
        },
      });
    }
  }
  return findings;
}
