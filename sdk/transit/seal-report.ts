/**
 * An electronic seal's device report as an EPCIS 2.0 event, both ways. The device knows its seal, not the
 * goods: the event observes the seal itself (epcList: its `urn:tracegate:seal:` id), where it was
 * (readPoint: an RFC 5870 `geo:` URI, which EPCIS 2.0 allows for a read point) and, in one sensor
 * element, when it read (sensorMetadata.time), whether the seal was closed (tg:seal_closed, booleanValue)
 * and the alerts it raised (one report each, typed as the alerts of the custody `alert` action are,
 * sdk/epcis/vocabulary.ts). An `alert` custody action instead names its lot (quantityList): the two
 * never read as each other.
 *
 * Coordinates cross as decimal text with at most six decimals and become integer microdegrees, never a
 * float, so a report's message hashes the same wherever it is read.
 */
import { SEAL_ALERTS, TraceGateError, type SealAlert } from "../../domain/index.js";
import { assertSealMessage, type SealMessage } from "../../domain/seal-track.js";
import { objectAt, refuse } from "../epcis/errors.js";
import { instantOf } from "../epcis/event-hash.js";
import { parseSeal, sealId } from "../epcis/identifiers.js";
import { localTime } from "../epcis/to-epcis.js";
import { SEAL_ALERT_REPORTS, SEAL_CLOSED_REPORT } from "../epcis/vocabulary.js";
import { quoted } from "../../domain/json-shapes.js";

const SENSOR_REPORTING = "sensor_reporting";
const ALERT_OF_TYPE = new Map(SEAL_ALERTS.map((alert) => [SEAL_ALERT_REPORTS[alert].type, alert]));

/** The report of `message` as an EPCIS ObjectEvent, its times in `offset` (the place's UTC offset). */
export function sealReportEvent(message: SealMessage, offset: string): Record<string, unknown> {
  const time = localTime(message.time, offset);
  const device = sealId(message.seal);
  const alerts = SEAL_ALERTS.filter((alert) => message.alerts.includes(alert)).map((alert) => ({
    type: SEAL_ALERT_REPORTS[alert].type,
    exception: SEAL_ALERT_REPORTS[alert].exception,
  }));
  return {
    type: "ObjectEvent",
    eventTime: time,
    eventTimeZoneOffset: offset,
    epcList: [device],
    action: "OBSERVE",
    bizStep: SENSOR_REPORTING,
    readPoint: { id: geoUri(message.latitude, message.longitude) },
    sensorElementList: [
      { sensorMetadata: { time, deviceID: device }, sensorReport: [{ type: SEAL_CLOSED_REPORT, booleanValue: message.sealClosed }, ...alerts] },
    ],
  };
}

/** Whether an EPCIS event is a seal's device report (it observes a seal, not a lot), whatever else is wrong with it. */
export function isSealReport(raw: unknown): boolean {
  const event = raw as { bizStep?: unknown; epcList?: unknown } | null;
  return (
    typeof event === "object" &&
    event !== null &&
    (event.bizStep === SENSOR_REPORTING || event.bizStep === `urn:epcglobal:cbv:bizstep:${SENSOR_REPORTING}`) &&
    Array.isArray(event.epcList) &&
    event.epcList.some((epc) => typeof epc === "string" && epc.startsWith("urn:tracegate:seal:"))
  );
}

/** The message a device report carries; an EpcisMappingError names the first field out of shape. */
export function sealMessageOf(raw: unknown): SealMessage {
  const event = raw as Record<string, unknown>;
  const epcList = event.epcList as unknown[];
  if (epcList.length !== 1 || typeof epcList[0] !== "string") refuse("UNMAPPABLE_EVENT", "epcList", "a seal report observes exactly one seal");
  const seal = parseSeal(epcList[0], "epcList.0");
  const elements = event.sensorElementList;
  if (!Array.isArray(elements) || elements.length !== 1) refuse("MALFORMED_EVENT", "sensorElementList", "a seal report holds exactly one sensor element");
  const element = objectAt(elements[0], "sensorElementList.0");
  const metadata = element.sensorMetadata === undefined ? {} : objectAt(element.sensorMetadata, "sensorElementList.0.sensorMetadata");
  if (metadata.deviceID !== epcList[0]) refuse("UNMAPPABLE_EVENT", "sensorElementList.0.sensorMetadata.deviceID", "the device must be the seal observed");
  const time = secondsOf(metadata.time ?? event.eventTime, "sensorElementList.0.sensorMetadata.time");
  const readPoint = event.readPoint === undefined ? {} : objectAt(event.readPoint, "readPoint");
  const { latitude, longitude } = parseGeoUri(readPoint.id, "readPoint.id");
  const reports = element.sensorReport;
  if (!Array.isArray(reports) || reports.length === 0)
    refuse("MALFORMED_EVENT", "sensorElementList.0.sensorReport", "the report must say whether the seal is closed");
  let sealClosed: boolean | undefined;
  const alerts: SealAlert[] = [];
  reports.forEach((raw, index) => {
    const field = `sensorElementList.0.sensorReport.${index}`;
    const report = objectAt(raw, field);
    if (report.type === SEAL_CLOSED_REPORT && typeof report.booleanValue === "boolean" && sealClosed === undefined) sealClosed = report.booleanValue;
    else if (typeof report.type === "string" && ALERT_OF_TYPE.has(report.type) && !alerts.includes(ALERT_OF_TYPE.get(report.type)!))
      alerts.push(ALERT_OF_TYPE.get(report.type)!);
    else
      refuse(
        "UNMAPPABLE_EVENT",
        `${field}.type`,
        `expected one ${SEAL_CLOSED_REPORT} (booleanValue) and distinct alert types (${[...ALERT_OF_TYPE.keys()].join(", ")})`,
      );
  });
  if (sealClosed === undefined) refuse("MALFORMED_EVENT", "sensorElementList.0.sensorReport", `one report must be ${SEAL_CLOSED_REPORT} with a booleanValue`);
  const message = { seal, time, latitude, longitude, sealClosed, alerts };
  try {
    return assertSealMessage(message);
  } catch (error) {
    if (error instanceof TraceGateError) refuse("MALFORMED_EVENT", error.details.field ?? "", error.message);
    throw error;
  }
}

/** `geo:<lat>,<lon>` with at most six decimals (a position to about 0.1 m): RFC 5870, WGS 84. */
export function geoUri(latitude: bigint, longitude: bigint): string {
  return `geo:${degrees(latitude)},${degrees(longitude)}`;
}

const GEO = /^geo:(-?\d{1,3}(?:\.\d{1,6})?),(-?\d{1,3}(?:\.\d{1,6})?)$/;

export function parseGeoUri(value: unknown, field: string): { latitude: bigint; longitude: bigint } {
  const match = typeof value === "string" ? GEO.exec(value) : null;
  if (match === null) refuse("MALFORMED_EVENT", field, `${quoted(value)} is not a position such as geo:21.846,106.761 (at most 6 decimals)`);
  return { latitude: microdegrees(match[1]!), longitude: microdegrees(match[2]!) };
}

function degrees(micro: bigint): string {
  const sign = micro < 0n ? "-" : "";
  const magnitude = micro < 0n ? -micro : micro;
  return `${sign}${magnitude / 1_000_000n}.${(magnitude % 1_000_000n).toString().padStart(6, "0")}`;
}

function microdegrees(text: string): bigint {
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const micro = BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
  return negative ? -micro : micro;
}

/** An ISO 8601 time with its offset, to whole seconds since the epoch, by the one reader of times (instantOf): each field in range. */
function secondsOf(value: unknown, field: string): bigint {
  const instant = typeof value === "string" ? instantOf(value) : undefined;
  if (instant === undefined) refuse("MALFORMED_EVENT", field, `${quoted(value)} is not a time such as 2027-01-15T08:00:00+07:00`);
  return instant.seconds;
}
