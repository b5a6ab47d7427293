/**
 * The CBV 2.0 EPCIS Event Hash ID (`ni:///sha-256;<hex>?ver=CBV2.0`): an eventID intrinsic to the
 * event's content, so anyone holding the event can recompute it. The pre-hash string follows the CBV 2.0
 * rules as published with GS1's reference implementation: the canonical property order, `key=value`
 * without separators, lists named once with their elements sorted, a type after its value, CBV values as
 * `https://ref.gs1.org/cbv/…` Web URIs, CURIEs expanded, SGLNs as Digital Link, times in UTC with
 * milliseconds (one with a field out of range is refused, never carried over into another instant),
 * then ILMD and user extensions as sorted `{namespace}name=value` strings. A sensor element is its
 * metadata then its reports (sorted), each by the CBV 2.0 order of their fields. Not
 * covered (an event carrying them is refused): EPC URIs other than SGLN, extension fields inside a
 * sensor element (TraceGate never writes either).
 */
import { hash } from "node:crypto";
import { ledgerTimeIso } from "../ledger-time.js";
import { objectAt as object, refuse } from "./errors.js";
import { locationGln, UTC_OFFSET } from "./identifiers.js";
import { TG_NAMESPACE } from "./vocabulary.js";

export const EVENT_HASH_VERSION = "CBV2.0";

type Json = unknown;
type Field = Record<string, Json>;

/** A Map, not an object: a client's prefix ("constructor:", "__proto__:") must find nothing. */
const PREFIXES: ReadonlyMap<string, string> = new Map([
  ["tg", TG_NAMESPACE],
  ["gs1", "https://gs1.org/voc/"],
  ["cbv", "https://ref.gs1.org/cbv/"],
  ["epcis", "https://ref.gs1.org/epcis/"],
]);

/** Not hashed: the id being computed, when it was recorded, and what CBV 2.0 leaves out. */
const EXCLUDED = ["@context", "type", "eventID", "recordTime", "errorDeclaration", "certificationInfo"];

export function eventHash(event: Field): string {
  return `ni:///sha-256;${hash("sha256", preHashString(event), "hex")}?ver=${EVENT_HASH_VERSION}`;
}

export function preHashString(event: Field): string {
  if (typeof event.type !== "string") refuse("MALFORMED_EVENT", "type", "an EPCIS event needs its type");
  let out = `eventType=${event.type.trim()}`;
  for (const [key, write] of ORDER) if (event[key] !== undefined) out += write(key, event[key]);
  const extensions: string[] = [];
  for (const key of Object.keys(event)) if (!NOT_EXTENSIONS.has(key)) extension(key, event[key], extensions, 1);
  return out + joinSorted(extensions);
}

const value = (key: string, raw: Json) => `${key}=${scalar(raw, key)}`;
const epcs = (key: string, raw: Json) => list(key, raw, (item) => `epc=${uri(scalar(item, key))}`);
const quantities = (key: string, raw: Json) => list(key, raw, (item) => quantityElement(object(item, key), key));
function quantityElement({ epcClass, quantity, uom }: Field, key: string): string {
  return `quantityElement${epcClass === undefined ? "" : `epcClass=${uri(scalar(epcClass, key))}`}${quantity === undefined ? "" : `quantity=${scalar(quantity, key)}`}${uom === undefined ? "" : `uom=${scalar(uom, key)}`}`;
}
const cbv = (kind: string) => (key: string, raw: Json) => `${key}=${cbvUri(scalar(raw, key), kind)}`;
const place = (key: string, raw: Json) => `${key}id=${uri(scalar(object(raw, key).id, `${key}.id`))}`;
const typed = (element: string, kind: string) => (key: string, raw: Json) =>
  list(key, raw, (item) => {
    const entry = object(item, key);
    return `${element}=${uri(scalar(entry[element], key))}${entry.type === undefined ? "" : `type=${cbvUri(scalar(entry.type, key), kind)}`}`;
  });
const persistent = (key: string, raw: Json) => {
  const entry = object(raw, key);
  return (
    key +
    (["set", "unset"] as const)
      .map((name) => (entry[name] === undefined ? "" : list(name, entry[name], (item) => `${name}=${cbvUri(scalar(item, key), "Disp")}`).slice(name.length)))
      .join("")
  );
};
const ilmd = (key: string, raw: Json) => key + elements(object(raw, key), 1);

const ORDER: ReadonlyArray<[string, (key: string, raw: Json) => string]> = [
  ["eventTime", (key, raw) => `${key}=${utc(scalar(raw, key), key)}`],
  ["eventTimeZoneOffset", value],
  ["epcList", epcs],
  ["parentID", (key, raw) => `${key}=${uri(scalar(raw, key))}`],
  ["inputEPCList", epcs],
  ["childEPCs", epcs],
  ["quantityList", quantities],
  ["childQuantityList", quantities],
  ["inputQuantityList", quantities],
  ["outputEPCList", epcs],
  ["outputQuantityList", quantities],
  ["action", value],
  ["transformationID", (key, raw) => `${key}=${uri(scalar(raw, key))}`],
  ["bizStep", cbv("BizStep")],
  ["disposition", cbv("Disp")],
  ["persistentDisposition", persistent],
  ["readPoint", place],
  ["bizLocation", place],
  ["bizTransactionList", typed("bizTransaction", "BTT")],
  ["sourceList", typed("source", "SDT")],
  ["destinationList", typed("destination", "SDT")],
  ["sensorElementList", (key, raw) => list(key, raw, (item) => sensorElement(object(item, key), key))],
  ["ilmd", ilmd],
];
const NOT_EXTENSIONS = new Set([...EXCLUDED, ...ORDER.map(([key]) => key)]);

/** A sensor element's fields in CBV 2.0 order; times in UTC, identifiers and types as URIs, the rest as scalars. */
const SENSOR_METADATA = ["time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules"];
const SENSOR_REPORT = [
  "type",
  "exception",
  "deviceID",
  "deviceMetadata",
  "rawData",
  "dataProcessingMethod",
  "time",
  "microorganism",
  "chemicalSubstance",
  "value",
  "component",
  "stringValue",
  "booleanValue",
  "hexBinaryValue",
  "uriValue",
  "minValue",
  "maxValue",
  "meanValue",
  "sDev",
  "percRank",
  "percValue",
  "uom",
  "coordinateReferenceSystem",
];
const SENSOR_URIS = new Set([
  "type",
  "deviceID",
  "deviceMetadata",
  "rawData",
  "dataProcessingMethod",
  "bizRules",
  "microorganism",
  "chemicalSubstance",
  "uriValue",
]);

function sensorElement(entry: Field, key: string): string {
  for (const name of Object.keys(entry))
    if (name !== "sensorMetadata" && name !== "sensorReport")
      refuse("UNMAPPABLE_EVENT", `${key}.${name}`, "extensions of a sensor element are not hashed here");
  const metadata = entry.sensorMetadata === undefined ? "" : sensorFields(object(entry.sensorMetadata, `${key}.sensorMetadata`), SENSOR_METADATA, key);
  const reports =
    entry.sensorReport === undefined
      ? ""
      : list("", entry.sensorReport, (item) => {
          const fields = sensorFields(object(item, `${key}.sensorReport`), SENSOR_REPORT, key);
          return fields === "" ? "" : `sensorReport${fields}`;
        });
  return `sensorElement${metadata === "" ? "" : `sensorMetadata${metadata}`}${reports}`;
}

function sensorFields(entry: Field, order: readonly string[], key: string): string {
  for (const name of Object.keys(entry))
    if (!order.includes(name)) refuse("UNMAPPABLE_EVENT", `${key}.${name}`, "extensions of a sensor element are not hashed here");
  let out = "";
  for (const name of order) {
    if (entry[name] === undefined) continue;
    const raw = scalar(entry[name], `${key}.${name}`);
    out += `${name}=${/time$/i.test(name) ? utc(raw, `${key}.${name}`) : SENSOR_URIS.has(name) ? uri(raw) : raw}`;
  }
  return out;
}

/** A list named once, then its elements' strings in code-point order (an empty list is left out). */
function list(key: string, raw: Json, element: (item: Json) => string): string {
  if (!Array.isArray(raw)) refuse("MALFORMED_EVENT", key, "must be a list");
  return raw.length === 0 ? "" : key + joinSorted(raw.length === 1 ? [element(raw[0])] : raw.map(element));
}

function joinSorted(strings: string[]): string {
  return strings.length < 2 ? (strings[0] ?? "") : strings.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join("");
}

/** Strings trimmed, numbers without trailing zeros (JavaScript writes them so), booleans as words. */
function scalar(raw: Json, field: string): string {
  if (typeof raw === "string") return raw.trim();
  if ((typeof raw === "number" && Number.isFinite(raw)) || typeof raw === "boolean") return String(raw);
  return refuse("MALFORMED_EVENT", field, "must be a string, a finite number or a boolean");
}

/**
 * How deep lists and objects may nest in an extension or the ILMD: deeper, an event is refused rather
 * than walked (a client's JSON may nest as deep as its size allows, past the call stack).
 */
export const MAX_EXTENSION_DEPTH = 32;

/** A user extension (or ILMD) element, into `into`: `{namespace}name=value`, a list's items each so, an object's elements after its name. */
function extension(key: string, raw: Json, into: string[], depth: number): void {
  if (typeof raw !== "object" || raw === null) return void into.push(`${expandedName(key)}=${scalar(raw, key)}`);
  if (depth > MAX_EXTENSION_DEPTH) refuse("MALFORMED_EVENT", key, `lists and objects nest more than ${MAX_EXTENSION_DEPTH} deep`);
  if (Array.isArray(raw)) for (const item of raw) extension(key, item, into, depth + 1);
  else into.push(expandedName(key) + elements(raw as Field, depth + 1));
}

/** An object's extension elements, sorted. */
function elements(raw: Field, depth: number): string {
  const into: string[] = [];
  for (const key of Object.keys(raw)) extension(key, raw[key], into, depth);
  return joinSorted(into);
}

/**
 * `compute(key)`, remembered: the names and CBV terms of TraceGate's events are a few, written again
 * for every event. A client's event may bring any, so a memo keeps at most CACHED short keys.
 */
function remembered(memo: Map<string, string>, key: string, compute: (key: string) => string): string {
  let value = memo.get(key);
  if (value === undefined) {
    value = compute(key);
    if (memo.size < CACHED && key.length <= CACHED_LENGTH) memo.set(key, value);
  }
  return value;
}
const CACHED = 1024;
const CACHED_LENGTH = 100;

const expandedNames = new Map<string, string>();
const expandedName = (key: string) => remembered(expandedNames, key, expandedNameOf);

function expandedNameOf(key: string): string {
  const colon = key.indexOf(":");
  const namespace = colon > 0 ? PREFIXES.get(key.slice(0, colon)) : undefined;
  return namespace === undefined ? key : `{${namespace}}${key.slice(colon + 1)}`;
}

/** Terms written in their Web URI form, by kind (BizStep, Disp, BTT, SDT) then term. */
const cbvUris = new Map<string, Map<string, string>>();

function cbvUri(term: string, kind: string): string {
  let ofKind = cbvUris.get(kind);
  if (ofKind === undefined) cbvUris.set(kind, (ofKind = new Map()));
  return remembered(ofKind, term, (written) => cbvUriOf(written, kind));
}

/** CBV values in their Web URI form: bare JSON terms, URNs (`urn:epcglobal:cbv:bizstep:x`) and CURIEs alike. */
function cbvUriOf(term: string, kind: string): string {
  if (/^[a-z_]+$/.test(term)) return `https://ref.gs1.org/cbv/${kind}-${term}`;
  const urn = /^urn:epcglobal:cbv:(?:bizstep|disp|btt|sdt):([a-z_]+)$/.exec(term);
  return urn ? `https://ref.gs1.org/cbv/${kind}-${urn[1]}` : uri(term);
}

/** CURIEs expanded, SGLNs as canonical Digital Link, a Digital Link on id.gs1.org without its query. */
function uri(value: string): string {
  if (!value.startsWith("urn:")) return webUri(value);
  if (value.startsWith("urn:epc:id:sgln:")) {
    const gln = locationGln(value);
    if (gln !== undefined) return `https://id.gs1.org/414/${gln}`;
    refuse("UNMAPPABLE_EVENT", "identifier", `${value}: only SGLNs without an extension are hashed here`);
  }
  if (/^urn:epc:(?:id|class|idpat):/.test(value)) refuse("UNMAPPABLE_EVENT", "identifier", `${value}: EPC URIs other than SGLN are not hashed here`);
  return value; // any other URN (TraceGate's lots, documents, places) is itself: "urn" is no prefix
}

/** A Digital Link on id.gs1.org without its query, a CURIE expanded, anything else itself. */
function webUri(value: string): string {
  const link = /^https?:\/\/[^/?#]+(\/(?:\d{2,4})\/[^?#]*)(?:[?#].*)?$/.exec(value);
  if (link) return `https://id.gs1.org${link[1]}`;
  const colon = value.indexOf(":");
  const namespace = colon > 0 ? PREFIXES.get(value.slice(0, colon)) : undefined;
  return namespace === undefined ? value : namespace + value.slice(colon + 1);
}

const TIME = /^([+-]\d{6,}|\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 (RFC 3339) time with an offset, as its fields, when it names an instant as written: a
 * month 01-12, a day of that month, an hour below 24, a minute and second below 60, an offset within
 * ±14:00. Nothing carries over. A leap second (:60) is refused: the ledger counts POSIX seconds, which
 * have none, and reading it as the next second would be normalising it.
 */
function timeFields(time: string): string[] | undefined {
  const match = TIME.exec(time) as string[] | null;
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, , zone] = match as [string, string, string, string, string, string, string, string, string];
  const exists = month >= "01" && month <= "12" && day >= "01" && day <= daysInMonth(year, Number(month)) && hour < "24" && minute < "60" && second < "60";
  return exists && (zone === "Z" || UTC_OFFSET.test(zone)) ? match : undefined;
}

/** The days of a month of the proleptic Gregorian calendar, as two digits; a year's last four digits decide a leap year. */
function daysInMonth(year: string, month: number): string {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? "30" : "31";
  const last = Number(year.slice(-4));
  return last % 4 === 0 && (last % 100 !== 0 || last % 400 === 0) ? "29" : "28";
}

/** A time's fields or a MALFORMED_EVENT refusal naming `field`. */
function timeFieldsAt(time: string, field: string): string[] {
  const fields = timeFields(time);
  if (fields === undefined)
    refuse("MALFORMED_EVENT", field, `${JSON.stringify(time)} is not an ISO 8601 time with an offset, each field in range (e.g. 2026-12-01T08:00:00+07:00)`);
  return fields;
}

/** Any ISO 8601 time with an offset, in UTC with milliseconds (the 4th decimal rounds), over the whole range. */
function utc(time: string, field: string): string {
  const fields = timeFieldsAt(time, field);
  if (fields[1]!.length === 4) return utcInDateRange(fields);
  const millis = roundedMillis(fields[7] ?? "");
  const seconds = secondsOf(fields) + (millis === 1000 ? 1n : 0n);
  return ledgerTimeIso(seconds).replace(/\.000Z$/, `.${String(millis % 1000).padStart(3, "0")}Z`);
}

/** The same for a four-digit year, in a Date: exact within ±10,000 years of 1970. */
function utcInDateRange([, year, month, day, hour, minute, second, fraction = "", zone]: string[]): string {
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second) - offsetSeconds(zone!), roundedMillis(fraction));
  return date.toISOString();
}

/** A fraction of a second's digits as milliseconds, the 4th decimal rounding (1000 when it rounds up to the next second). */
function roundedMillis(fraction: string): number {
  return Number(`${fraction}000`.slice(0, 3)) + (Number(fraction[3] ?? 0) >= 5 ? 1 : 0);
}

/** A time's zone (Z or ±hh:mm) as seconds east of UTC. */
function offsetSeconds(zone: string): number {
  return zone === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
}

/**
 * An ISO 8601 time with an offset as an instant: whole seconds since 1970 (UTC, before any fraction)
 * and the fraction's digits; undefined when it is not one (by `timeFields`). The one reader of times
 * from outside: captured events, their extensions, the API's DateTime.
 */
export function instantOf(time: string): { seconds: bigint; fraction: string } | undefined {
  const fields = timeFields(time);
  return fields === undefined ? undefined : { seconds: secondsOf(fields), fraction: fields[7] ?? "" };
}

/** An ISO 8601 time with an offset, in whole seconds (a fraction must be zero), over the whole range: an extension's time read back. */
export function isoSeconds(time: string, field: string): bigint {
  const instant = instantOf(time);
  if (instant === undefined || /[1-9]/.test(instant.fraction))
    refuse("MALFORMED_EVENT", field, `${JSON.stringify(time)} is not an ISO 8601 time in whole seconds with an offset`);
  return instant.seconds;
}

/**
 * The event's `eventTime` and `eventTimeZoneOffset`, both required by EPCIS 2.0: a time with an offset
 * and an offset ±hh:mm within ±14:00. The ledger records its own time of the action; this is only checked.
 */
export function checkEventTime(event: Field): void {
  if (typeof event.eventTime !== "string") refuse("MALFORMED_EVENT", "eventTime", event.eventTime === undefined ? "is missing" : "must be a string");
  timeFieldsAt(event.eventTime, "eventTime");
  const offset = event.eventTimeZoneOffset;
  if (typeof offset !== "string" || !UTC_OFFSET.test(offset))
    refuse(
      "MALFORMED_EVENT",
      "eventTimeZoneOffset",
      offset === undefined ? "is missing" : `${JSON.stringify(offset)} is not a UTC offset ±hh:mm within ±14:00 (e.g. +07:00)`,
    );
}

/** The instant of a time's (valid) fields, in whole seconds. */
function secondsOf([, year, month, day, hour, minute, second, , zone]: string[]): bigint {
  const local = daysFromCivil(BigInt(year!), BigInt(month!), BigInt(day!)) * 86_400n + BigInt(hour!) * 3600n + BigInt(minute!) * 60n + BigInt(second!);
  return local - BigInt(offsetSeconds(zone!));
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil, in bigint). */
function daysFromCivil(year: bigint, month: bigint, day: bigint): bigint {
  const y = month <= 2n ? year - 1n : year;
  const era = (y >= 0n ? y : y - 399n) / 400n;
  const yearOfEra = y - era * 400n;
  const dayOfYear = (153n * (month > 2n ? month - 3n : month + 9n) + 2n) / 5n + day - 1n;
  const dayOfEra = yearOfEra * 365n + yearOfEra / 4n - yearOfEra / 100n + dayOfYear;
  return era * 146_097n + dayOfEra - 719_468n;
}
