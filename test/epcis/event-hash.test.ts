/**
 * The CBV 2.0 event hash, pinned: test/epcis/event-hashes.json holds events with the EPCIS event and the
 * hash the code gave before it was made faster (recorded from it, 2026-12-03), so any change to either
 * shows here. The events: custody events the domain wrote for random scripts (every action), arbitrary
 * custody events (odd ids, times at the ends of the range, huge quantities, either directory, with and
 * without their ledger record), and arbitrary EPCIS events a client could capture (identifier forms,
 * CBV terms, malformed times), where a refused event must be refused with the same code. The cases of
 * transit under seal (seal, unseal, alert; client events with sensor elements, whose pre-hash strings
 * follow the reference implementation's sensorElement order) were appended when they were mapped.
 * Many client events were recorded with an eventTime out of range (month 13, hour 99, offset +25:00),
 * which the hash then carried over into another instant; it refuses them now (MALFORMED_EVENT), and the
 * rest of each such event is still pinned: with the time the hash carried it to (or, for an event refused
 * for something else, any valid time) it gives the recorded outcome.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CUSTODY_ACTIONS, type CustodyEvent, type DocumentKind, type Hash } from "../../domain/index.js";
import { custodyEventHash, epcisDirectory, eventHash, preHashString, toEpcis, type EpcisDirectory } from "../../sdk/epcis/index.js";
import { inRange } from "./iso-times.js";

const directories: EpcisDirectory[] = [
  epcisDirectory(),
  epcisDirectory({
    defaultOffset: "-09:30",
    facilities: { "GATE-HUUNGHI": { gln: "8931234000011" }, "BONDED-WH": { gln: "8931234000028", utcOffset: "+14:00" }, "FACTORY-G": { utcOffset: "-12:00" } },
    organisations: { TERMINAL: { gln: "8935555000019" } },
  }),
];

interface CustodyCase {
  event: CustodyEvent;
  directory: number;
  kinds: Record<string, DocumentKind | null>;
  record?: { tx: string; index: number; block: bigint };
  /** toEpcis's answer, as JSON: the same fields in the same order. */
  epcis: string;
}

interface CapturedCase {
  event: Record<string, unknown>;
  /** The pre-hash string and the hash, or the code the event was refused with. */
  preHash: string;
  hash: string;
}

/** Bigints are recorded as { $bigint: "…" }. */
const recorded = JSON.parse(readFileSync(new URL("./event-hashes.json", import.meta.url), "utf8"), (_key, value) =>
  value !== null && typeof value === "object" && typeof value.$bigint === "string" ? BigInt(value.$bigint) : value,
) as { custody: CustodyCase[]; epcis: CapturedCase[] };

function outcome(hash: (event: Record<string, unknown>) => string, event: Record<string, unknown>): string {
  try {
    return hash(event);
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe("the CBV 2.0 event hash", () => {
  it("of every recorded custody event is the recorded one, with the recorded EPCIS event", () => {
    expect(new Set(recorded.custody.map(({ event }) => event.action))).toEqual(new Set(CUSTODY_ACTIONS));
    for (const { event, directory, kinds, record, epcis } of recorded.custody) {
      const context = { directory: directories[directory]!, kindOf: (hash: Hash) => kinds[hash] ?? undefined, ...(record === undefined ? {} : { record }) };
      expect(JSON.stringify(toEpcis(event, context))).toBe(epcis);
      expect(custodyEventHash(event, context)).toBe(JSON.parse(epcis).eventID);
    }
  });

  it("of every recorded captured EPCIS event is the recorded one, and a refused event is refused alike", () => {
    expect(recorded.epcis.some(({ hash }) => hash.startsWith("ni:///sha-256;"))).toBe(true);
    let outOfRange = 0;
    for (const { event: written, preHash, hash } of recorded.epcis) {
      let event = written;
      if (
        typeof event.eventTime === "string" &&
        /^[+-]?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(event.eventTime) &&
        !inRange(event.eventTime)
      ) {
        outOfRange += 1;
        expect(outcome(eventHash, event)).toBe("MALFORMED_EVENT");
        const carried = /eventTime=([+-]?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)/.exec(preHash)?.[1];
        event = { ...event, eventTime: carried ?? "2026-12-01T08:00:00+07:00" };
      }
      expect(outcome(preHashString, event)).toBe(preHash);
      expect(outcome(eventHash, event)).toBe(hash);
    }
    expect(outOfRange).toBe(135);
  });
});
