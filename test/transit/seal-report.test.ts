import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEAL_ALERTS } from "../../domain/index.js";
import { messageHash, type SealMessage } from "../../domain/seal-track.js";
import { actionEvent, epcisDirectory, EpcisMappingError, fromEpcis, tracegateContext } from "../../sdk/epcis/index.js";
import { geoUri, isSealReport, parseGeoUri, sealMessageOf, sealReportEvent } from "../../sdk/transit/seal-report.js";

const messages: fc.Arbitrary<SealMessage> = fc.record({
  seal: fc.stringMatching(/^[A-Z0-9-]{1,20}$/),
  time: fc.bigInt({ min: 1n, max: 4_102_444_800n }),
  latitude: fc.bigInt({ min: -90_000_000n, max: 90_000_000n }),
  longitude: fc.bigInt({ min: -180_000_000n, max: 180_000_000n }),
  sealClosed: fc.boolean(),
  alerts: fc.subarray([...SEAL_ALERTS]),
});

const report = (overrides: Partial<SealMessage> = {}) =>
  sealReportEvent(
    { seal: "VNSEAL-1", time: 1_800_000_000n, latitude: 21_846_000n, longitude: 106_761_000n, sealClosed: true, alerts: [], ...overrides },
    "+07:00",
  );

function refusal(raw: unknown): EpcisMappingError {
  try {
    sealMessageOf(raw);
  } catch (error) {
    if (error instanceof EpcisMappingError) return error;
    throw error;
  }
  throw new Error("the report was read");
}

describe("an electronic seal's device report as an EPCIS 2.0 event", () => {
  it("reads back as the same message, with the same hash, in any UTC offset", () => {
    fc.assert(
      fc.property(messages, fc.constantFrom("+07:00", "Z", "-03:30", "+14:00"), (message, offset) => {
        const event = sealReportEvent(message, offset === "Z" ? "+00:00" : offset);
        expect(isSealReport(event)).toBe(true);
        const read = sealMessageOf(JSON.parse(JSON.stringify(event)));
        expect(read).toEqual({ ...message, alerts: SEAL_ALERTS.filter((a) => message.alerts.includes(a)) });
        expect(messageHash(read)).toBe(messageHash(message));
      }),
      { numRuns: 200 },
    );
  });

  it("names only terms its JSON-LD context defines", () => {
    const context = tracegateContext();
    const event = report({ alerts: [...SEAL_ALERTS] });
    const terms = JSON.stringify(event)
      .match(/"tg:[a-z_]+"/g)!
      .map((term) => term.slice(1, -1));
    expect(terms.length).toBe(SEAL_ALERTS.length + 1);
    for (const term of terms) expect(context).toHaveProperty([term]);
  });

  it("writes positions as geo: URIs of exact decimal degrees, never through a float", () => {
    expect(geoUri(21_846_000n, 106_761_000n)).toBe("geo:21.846000,106.761000");
    expect(geoUri(-33_868_820n, -151_209_296n)).toBe("geo:-33.868820,-151.209296");
    expect(geoUri(-500n, 7n)).toBe("geo:-0.000500,0.000007");
    expect(parseGeoUri("geo:10.5,-0.000001", "id")).toEqual({ latitude: 10_500_000n, longitude: -1n });
  });

  it("an alert custody action names its lot and is never read as a device report, nor a report as an action", () => {
    const alert = actionEvent(
      { type: "alert", lot: "AP-FAB-1", seal: "VNSEAL-1", alert: "OPENED", detail: "" },
      {
        directory: epcisDirectory(),
        time: 1_800_000_000n,
      },
    );
    expect(isSealReport(alert)).toBe(false);
    expect(() => fromEpcis(report(), { directory: epcisDirectory() })).toThrow(EpcisMappingError);
  });

  it.each([
    ["a position with seven decimals", { readPoint: { id: "geo:21.8460001,106.761" } }, "readPoint.id"],
    ["a position as numbers", { readPoint: { id: [21.846, 106.761] } }, "readPoint.id"],
    ["a latitude off the globe", { readPoint: { id: "geo:90.000001,106.761" } }, "message.latitude"],
    ["two seals", { epcList: ["urn:tracegate:seal:A", "urn:tracegate:seal:B"] }, "epcList"],
  ])("refuses a report with %s, naming the field", (_, change, field) => {
    expect(refusal({ ...report(), ...change }).field).toBe(field);
  });

  it("refuses a report whose device is another seal, whose time does not exist, or that does not say whether the seal is closed", () => {
    const element = (report().sensorElementList as Array<Record<string, unknown>>)[0]!;
    const withElement = (changed: Record<string, unknown>) => ({ ...report(), sensorElementList: [{ ...element, ...changed }] });
    expect(refusal(withElement({ sensorMetadata: { time: "2027-01-15T08:00:00+07:00", deviceID: "urn:tracegate:seal:OTHER" } })).field).toMatch(/deviceID/);
    // A time is read as event times are (instantOf): a field out of range is refused, not carried over.
    for (const time of ["2027-02-30T08:00:00+07:00", "2027-01-15T24:00:00+07:00", "2027-01-15T08:00:60+07:00", "2027-01-15T08:00:00+14:30"])
      expect(refusal(withElement({ sensorMetadata: { time, deviceID: "urn:tracegate:seal:VNSEAL-1" } })).field, time).toMatch(/time/);
    expect(refusal(withElement({ sensorReport: [{ type: "tg:route_deviation", exception: "ALARM_CONDITION" }] })).code).toBe("MALFORMED_EVENT");
    expect(
      refusal(
        withElement({
          sensorReport: [
            { type: "tg:seal_closed", booleanValue: true },
            { type: "gs1:Temperature", value: 30 },
          ],
        }),
      ).code,
    ).toBe("UNMAPPABLE_EVENT");
  });
});
