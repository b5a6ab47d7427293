/**
 * Event times, read by one parser (sdk/epcis/event-hash.ts): every ISO 8601 time with an offset whose
 * fields are in range hashes as it did, in UTC with milliseconds; one with a field out of range (month 13,
 * 30 February, hour 24, second 60, offset +14:01) is refused, never carried over into another instant; and
 * EPCIS capture requires eventTime and eventTimeZoneOffset.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkEventTime, instantOf, isoSeconds } from "../../sdk/epcis/event-hash.js";
import { epcisDirectory, preHashString } from "../../sdk/epcis/index.js";
import { fromEpcis } from "../../sdk/epcis/from-epcis.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import { inRange, outOfRangeTime, validTime } from "./iso-times.js";

/** What the hash writes for a time, by Date.parse (within a Date's range): milliseconds, the 4th decimal rounding. */
function utcByDate(time: string): string | undefined {
  const [, head, fraction = "", zone] = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(time)!;
  const millis = Date.parse(`${head}.${`${fraction}000`.slice(0, 3)}${zone}`);
  return Number.isNaN(millis) ? undefined : new Date(millis + (Number(fraction[3] ?? 0) >= 5 ? 1 : 0)).toISOString();
}

const hashedTime = (eventTime: unknown) => {
  try {
    return preHashString({ type: "ObjectEvent", eventTime }).slice("eventType=ObjectEventeventTime=".length);
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe("an event's time", () => {
  it("in range hashes in UTC with milliseconds, as a Date reads it", () => {
    fc.assert(
      fc.property(validTime, (time) => {
        expect(inRange(time)).toBe(true);
        const byDate = utcByDate(time);
        if (/^\d{4}-/.test(time)) expect(byDate).toBeDefined();
        if (byDate !== undefined) expect(hashedTime(time)).toBe(byDate);
        else expect(hashedTime(time)).toMatch(/^[+-]\d{6,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(instantOf(time)).toBeDefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it("out of range is refused by the hash, the parser and capture alike, never carried over", () => {
    fc.assert(
      fc.property(outOfRangeTime, (time) => {
        expect(inRange(time)).toBe(false);
        expect(hashedTime(time)).toBe("MALFORMED_EVENT");
        expect(instantOf(time)).toBeUndefined();
        expect(() => isoSeconds(time, "tg:deadline")).toThrow(/MALFORMED_EVENT: tg:deadline: /);
        expect(() => checkEventTime({ eventTime: time, eventTimeZoneOffset: "+07:00" })).toThrow(/MALFORMED_EVENT: eventTime: .* not an ISO 8601 time/);
        const sensor = { sensorElementList: [{ sensorMetadata: { time } }] };
        expect(() => preHashString({ type: "ObjectEvent", ...sensor })).toThrow(/MALFORMED_EVENT: sensorElementList.time: /);
      }),
      { numRuns: 2_000 },
    );
  });

  it("reads any instant back in whole seconds, over the whole range", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }), (seconds) => {
        expect(instantOf(ledgerTimeIso(seconds))).toEqual({ seconds, fraction: "000" });
        expect(isoSeconds(ledgerTimeIso(seconds), "tg:deadline")).toBe(seconds);
      }),
    );
  });

  it("knows leap days and the ends of months, and refuses a leap second (POSIX time has none)", () => {
    const accepted = [
      "2024-02-29T00:00:00Z",
      "2000-02-29T12:00:00+07:00",
      "+010000-02-29T00:00:00Z",
      "2026-04-30T23:59:59.999-14:00",
      "2026-12-31T00:00:00+14:00",
    ];
    const refused = [
      "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-12-31T23:59:60Z",
      "2026-12-01T24:00:00Z",
      "2026-12-01T08:00:00+14:30",
    ];
    for (const time of accepted) expect([time, hashedTime(time)]).not.toEqual([time, "MALFORMED_EVENT"]);
    for (const time of refused) expect([time, hashedTime(time)]).toEqual([time, "MALFORMED_EVENT"]);
    // Before, month 13 was read through days_from_civil and day 45, hour 99 carried over.
    expect(hashedTime("2026-13-45T99:99:99Z")).toBe("MALFORMED_EVENT");
    expect(hashedTime("2026-12-01T08:00:00+25:00")).toBe("MALFORMED_EVENT");
  });
});

describe("EPCIS capture (fromEpcis)", () => {
  const hold = (fields: Record<string, unknown>) => ({
    type: "ObjectEvent",
    action: "OBSERVE",
    bizStep: "holding",
    quantityList: [{ epcClass: "urn:tracegate:lot:LOT-1" }],
    "tg:reason": "inspection",
    eventTime: "2026-12-01T08:00:00+07:00",
    eventTimeZoneOffset: "+07:00",
    ...fields,
  });
  const refusal = (fields: Record<string, unknown>) => {
    try {
      fromEpcis(hold(fields), { directory: epcisDirectory() });
      return "accepted";
    } catch (error) {
      return (error as Error).message;
    }
  };

  it("requires eventTime, an ISO 8601 time with an offset, its fields in range", () => {
    expect(refusal({})).toBe("accepted");
    expect(refusal({ eventTime: undefined })).toBe("MALFORMED_EVENT: eventTime: is missing");
    expect(refusal({ eventTime: 12345 })).toBe("MALFORMED_EVENT: eventTime: must be a string");
    for (const eventTime of ["yesterday", "2026-12-01T08:00:00", "2026-12-01 08:00:00Z", "2026-13-45T99:99:99Z", "2026-12-01T08:00:00+25:00"])
      expect(refusal({ eventTime })).toMatch(/^MALFORMED_EVENT: eventTime: ".*" is not an ISO 8601 time with an offset/);
  });

  it("requires eventTimeZoneOffset, ±hh:mm within ±14:00", () => {
    for (const eventTimeZoneOffset of ["+14:00", "-14:00", "-00:00", "+05:45", "-09:30"]) expect(refusal({ eventTimeZoneOffset })).toBe("accepted");
    expect(refusal({ eventTimeZoneOffset: undefined })).toBe("MALFORMED_EVENT: eventTimeZoneOffset: is missing");
    for (const eventTimeZoneOffset of ["+25:00", "+14:01", "+14:30", "-15:00", "+07:60", "07:00", "+7:00", "Z", "+0700", 7])
      expect(refusal({ eventTimeZoneOffset })).toMatch(/^MALFORMED_EVENT: eventTimeZoneOffset: .* is not a UTC offset/);
  });
});
