/**
 * Holds and what followed, one finding per hold, recomputed from the lot's history (scope: the lot):
 * released from hold (low), destroyed (high), something else, or still held (high).
 */
import type { Kysely } from "kysely";
import type { CustodyEvent } from "../../domain/index.js";
import { eventsById } from "../store/read/events.js";
import { historiesOf } from "./histories.js";
import type { Database } from "../store/schema.js";
import type { Positioned } from "../store/write/positioned.js";
import { duration, isoDay, type Finding } from "./finding.js";
import { quotedLedgerText } from "./ledger-text.js";

export const holdScope = (lot: string) => `hold ${lot}`;

/** The lots whose holds these events started or ended. */
export function lotsWithHoldsIn(events: ReadonlyArray<Positioned<CustodyEvent>>): string[] {
  return [
    ...new Set(events.flatMap(({ event }) => event.transitions.filter(({ from, lot }) => from === "HELD" || lot.state === "HELD").map(({ lot }) => lot.id))),
  ];
}

export async function holdFindings(db: Kysely<Database>, lots: readonly string[]): Promise<Finding[]> {
  const histories = await historiesOf(db, lots);
  const holdsOf = new Map(
    lots.map((lot) => {
      const history = histories.get(lot)!;
      return [lot, history.flatMap((step, index) => (step.state === "HELD" && step.from_state !== "HELD" ? [{ held: step, next: history[index + 1] }] : []))];
    }),
  );
  const heldIds = [...holdsOf.values()].flatMap((holds) => holds.map(({ held }) => held.id));
  const reasons = new Map((await eventsById(db, heldIds)).map(({ id, event }) => [id, event.type === "custody" ? event.reason : ""]));
  const findings: Finding[] = [];
  for (const [lot, holds] of holdsOf) {
    for (const { held, next } of holds) {
      const reason = reasons.get(held.id) ? ` (${quotedLedgerText(reasons.get(held.id)!)})` : "";
      const start = `Customs held ${lot} (${held.owner}) at ${held.location} on ${isoDay(held.time)}${reason}`;
      const [severity, outcome] =
        next === undefined
          ? [75, `${start}; it is still held: no release from hold or destruction is recorded.`]
          : next.kind === "unhold"
            ? [20, `${start}, and released it from hold ${duration(next.time - held.time)} later.`]
            : next.kind === "destroy"
              ? [70, `${start}; the goods were destroyed ${duration(next.time - held.time)} later.`]
              : [50, `${start}; the next step was ${next.kind}, ${duration(next.time - held.time)} later, without a release from hold.`];
      findings.push({
        id: `HOLD:${held.id}:${lot}`,
        kind: "HOLD",
        severity,
        subjectKind: "lot",
        subject: lot,
        enterprise: held.owner,
        lot,
        facility: held.location || null,
        document: null,
        time: next?.time ?? held.time,
        event: next?.id ?? held.id,
        scope: holdScope(lot),
        explanation: outcome,
        evidence: {
          events: next === undefined ? [String(held.id)] : [String(held.id), String(next.id)],
          documents: [],
          figures: { outcome: next === undefined ? "still held" : next.kind, ...(next === undefined ? {} : { secondsHeld: String(next.time - held.time) }) },
        },
      });
    }
  }
  return findings;
}
