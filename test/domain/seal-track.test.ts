import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEAL_ALERTS, TraceGateError } from "../../domain/index.js";
import {
  messageBytes,
  messageHash,
  messageInSegment,
  readSegmentFile,
  segmentBatch,
  segmentFile,
  segmentMatches,
  TRACK_FORMAT,
  type SealMessage,
  type TrackSegment,
} from "../../domain/seal-track.js";

const SEAL = "VNSEAL-000123";

const message = (overrides: Partial<SealMessage> = {}): SealMessage => ({
  seal: SEAL,
  time: 1_800_000_000n,
  latitude: 21_846_000n,
  longitude: 106_761_000n,
  sealClosed: true,
  alerts: [],
  ...overrides,
});

/** A trip of 1 to 60 readings, in time order, around Lang Son to Hanoi. */
const segments: fc.Arbitrary<TrackSegment> = fc
  .array(
    fc.record({
      gap: fc.bigInt({ min: 0n, max: 600n }),
      latitude: fc.bigInt({ min: -90_000_000n, max: 90_000_000n }),
      longitude: fc.bigInt({ min: -180_000_000n, max: 180_000_000n }),
      sealClosed: fc.boolean(),
      alerts: fc.subarray([...SEAL_ALERTS]),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((readings) => {
    let time = 1_800_000_000n;
    const messages = readings.map(({ gap, ...reading }) => {
      time += gap;
      return { seal: SEAL, time, ...reading };
    });
    return { format: TRACK_FORMAT, seal: SEAL, lots: ["LOT-1", "LOT-2"], messages };
  });

/** One field of one message changed by the smallest step it can take. */
function tampered(segment: TrackSegment, index: number, field: number): TrackSegment {
  const messages = segment.messages.map((m) => ({ ...m, alerts: [...m.alerts] }));
  const target = messages[index % messages.length]!;
  switch (field % 5) {
    case 0:
      target.latitude += target.latitude < 90_000_000n ? 1n : -1n;
      break;
    case 1:
      target.longitude += target.longitude < 180_000_000n ? 1n : -1n;
      break;
    case 2:
      // The last reading: a later time keeps the segment in time order.
      messages.at(-1)!.time += 1n;
      break;
    case 3:
      target.sealClosed = !target.sealClosed;
      break;
    default:
      target.alerts = target.alerts.includes("OPENED") ? target.alerts.filter((a) => a !== "OPENED") : [...target.alerts, "OPENED"];
  }
  return { ...segment, messages };
}

describe("an electronic seal's track, anchored in segments", () => {
  it("a segment matches its own root, and no longer when any reading changes by its smallest step", () => {
    fc.assert(
      fc.property(segments, fc.nat(), fc.nat(), (segment, index, field) => {
        const { root } = segmentBatch(segment);
        expect(segmentMatches(segment, root)).toBe(true);
        expect(segmentMatches(tampered(segment, index, field), root)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("a dropped or added message fails the segment", () => {
    fc.assert(
      fc.property(segments, (segment) => {
        const { root } = segmentBatch(segment);
        const added = { ...segment, messages: [...segment.messages, { ...segment.messages.at(-1)!, time: segment.messages.at(-1)!.time + 1n }] };
        expect(segmentMatches(added, root)).toBe(false);
        if (segment.messages.length > 1) expect(segmentMatches({ ...segment, messages: segment.messages.slice(1) }, root)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it("each message proves on its own with its proof; a changed message or another's proof does not", () => {
    fc.assert(
      fc.property(segments, fc.nat(), (segment, n) => {
        const { root, proofs } = segmentBatch(segment);
        const i = n % segment.messages.length;
        const own = segment.messages[i]!;
        expect(messageInSegment(own, root, proofs[i]!)).toBe(true);
        const moved = { ...own, latitude: own.latitude === 0n ? 1n : 0n };
        expect(messageInSegment(moved, root, proofs[i]!)).toBe(false);
        const j = (i + 1) % segment.messages.length;
        if (messageHash(segment.messages[j]!) !== messageHash(own)) expect(messageInSegment(own, root, proofs[j]!)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it("a message's bytes are canonical: the order its alerts were listed in does not change its hash", () => {
    const a = message({ alerts: ["LOW_BATTERY", "OPENED"] });
    const b = message({ alerts: ["OPENED", "LOW_BATTERY"] });
    expect(messageHash(a)).toBe(messageHash(b));
    expect(messageBytes(a)).toBe(
      '{"alerts":["OPENED","LOW_BATTERY"],"latitude":"21846000","longitude":"106761000","seal":"VNSEAL-000123","sealClosed":true,"time":"1800000000"}',
    );
  });

  it("the stored file reads back as the same segment, with the same root", () => {
    fc.assert(
      fc.property(segments, (segment) => {
        const read = readSegmentFile(segmentFile(segment));
        expect(read).toEqual(segment);
        expect(segmentBatch(read).root).toBe(segmentBatch(segment).root);
      }),
      { numRuns: 50 },
    );
  });

  it.each([
    ["a position off the globe", { messages: [message({ latitude: 90_000_001n })] }, "messages[0].latitude"],
    ["a longitude off the globe", { messages: [message({ longitude: -180_000_001n })] }, "messages[0].longitude"],
    ["a time of zero", { messages: [message({ time: 0n })] }, "messages[0].time"],
    ["an alert named twice", { messages: [message({ alerts: ["OPENED", "OPENED"] })] }, "messages[0].alerts"],
    ["messages out of time order", { messages: [message({ time: 10n }), message({ time: 9n })] }, "messages[1].time"],
    ["no messages", { messages: [] }, "messages"],
    ["no lots", { lots: [] }, "lots"],
  ])("refuses a segment with %s, naming the field", (_, change, field) => {
    const segment = { format: TRACK_FORMAT, seal: SEAL, lots: ["LOT-1"], messages: [message()], ...change } as TrackSegment;
    const refusal = (() => {
      try {
        segmentBatch(segment);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(TraceGateError);
    expect((refusal as TraceGateError).code).toBe("INVALID_ARGUMENT");
    expect((refusal as TraceGateError).details.field).toBe(field);
  });

  it("refuses a message of another seal in the segment (SEAL_MISMATCH)", () => {
    const segment: TrackSegment = {
      format: TRACK_FORMAT,
      seal: SEAL,
      lots: ["LOT-1"],
      messages: [message(), message({ seal: "OTHER", time: 1_800_000_010n })],
    };
    expect(() => segmentBatch(segment)).toThrow(/SEAL_MISMATCH/);
  });

  it("reads no file that is not a segment: a float position, an unknown key, another format", () => {
    const good = JSON.parse(segmentFile({ format: TRACK_FORMAT, seal: SEAL, lots: ["LOT-1"], messages: [message()] }));
    const withFloat = { ...good, messages: [{ ...good.messages[0], latitude: 21.846 }] };
    expect(() => readSegmentFile(JSON.stringify(withFloat))).toThrow(/messages\[0\]\.latitude/);
    expect(() => readSegmentFile(JSON.stringify({ ...good, extra: 1 }))).toThrow(/extra/);
    expect(() => readSegmentFile(JSON.stringify({ ...good, format: "other/1" }))).toThrow(/format/);
  });
});
