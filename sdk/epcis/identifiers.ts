/**
 * Identifiers in EPCIS events: GS1 Digital Link where an organisation (AI 417, party GLN) or facility
 * (AI 414, location GLN) has a GLN, TraceGate's `urn:tracegate:` form otherwise; and the directory
 * that says which has a GLN and in which UTC offset each facility keeps its clocks.
 */
import type { Hash, Id } from "../../domain/index.js";
import { refuse } from "./errors.js";
import { quoted } from "../../domain/json-shapes.js";

/** Vietnam's offset: every facility of the seeds, and any facility the directory does not set. */
export const DEFAULT_UTC_OFFSET = "+07:00";

export interface DirectoryEntry {
  gln?: string;
  /** "+07:00", "-05:30"; facilities only. */
  utcOffset?: string;
}

export interface DirectorySettings {
  defaultOffset?: string;
  facilities?: Readonly<Record<Id, DirectoryEntry>>;
  organisations?: Readonly<Record<Id, Pick<DirectoryEntry, "gln">>>;
}

export interface EpcisDirectory {
  defaultOffset: string;
  facility(id: Id): DirectoryEntry | undefined;
  organisation(id: Id): DirectoryEntry | undefined;
  facilityByGln(gln: string): Id | undefined;
  organisationByGln(gln: string): Id | undefined;
}

/**
 * An eventID as capture takes it: a URI (EPCIS 2.0) of 1 to 512 printable ASCII characters, no space or
 * control character. Ids are keys, not payloads, and they are printed in reports and logs, where a
 * newline could forge a line.
 */
export const EVENT_ID = /^[\x21-\x7e]{1,512}$/;

/**
 * A content-addressed eventID (RFC 6920 `ni:`), the form of the CBV 2.0 event hash. It names one
 * event's content, so only that event's own hash may be given as one: any other would let a client
 * record something else under an id that names another event.
 */
export const CONTENT_EVENT_ID = /^ni:/i;

/** A UTC offset as EPCIS writes `eventTimeZoneOffset` and a time's zone: ±hh:mm within ±14:00. */
export const UTC_OFFSET = /^[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)$/;

/** Checks every GLN (13 digits, GS1 check digit) and offset once, so the mapping never meets a bad one. */
export function epcisDirectory(settings: DirectorySettings = {}): EpcisDirectory {
  const defaultOffset = settings.defaultOffset ?? DEFAULT_UTC_OFFSET;
  if (!UTC_OFFSET.test(defaultOffset)) refuse("INVALID_SETTING", "defaultOffset", `${JSON.stringify(defaultOffset)} is not a UTC offset like +07:00`);
  const index = (entries: Readonly<Record<Id, DirectoryEntry>>, what: string) => {
    const byGln = new Map<string, Id>();
    for (const [id, entry] of Object.entries(entries)) {
      if (entry.utcOffset !== undefined && !UTC_OFFSET.test(entry.utcOffset))
        refuse("INVALID_SETTING", `${what}.${id}.utcOffset`, `${JSON.stringify(entry.utcOffset)} is not a UTC offset like +07:00`);
      if (entry.gln === undefined) continue;
      if (!isGln(entry.gln)) refuse("INVALID_SETTING", `${what}.${id}.gln`, `${JSON.stringify(entry.gln)} is not a GLN (13 digits with a valid check digit)`);
      if (byGln.has(entry.gln)) refuse("INVALID_SETTING", `${what}.${id}.gln`, `GLN ${entry.gln} is given to ${byGln.get(entry.gln)} too`);
      byGln.set(entry.gln, id);
    }
    return byGln;
  };
  const facilities = settings.facilities ?? {};
  const organisations = settings.organisations ?? {};
  const facilityGlns = index(facilities, "facilities");
  const organisationGlns = index(organisations, "organisations");
  return {
    defaultOffset,
    facility: (id) => (Object.hasOwn(facilities, id) ? facilities[id] : undefined),
    organisation: (id) => (Object.hasOwn(organisations, id) ? organisations[id] : undefined),
    facilityByGln: (gln) => facilityGlns.get(gln),
    organisationByGln: (gln) => organisationGlns.get(gln),
  };
}

/** The GS1 mod-10 check digit of the digits before it. */
function checkDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

export function isGln(value: string): boolean {
  return /^\d{13}$/.test(value) && checkDigit(value.slice(0, 12)) === Number(value[12]);
}

const LOT = "urn:tracegate:lot:";
const FACILITY = "urn:tracegate:facility:";
const ORGANISATION = "urn:tracegate:org:";
const DOCUMENT = "urn:tracegate:document:";
const SEAL = "urn:tracegate:seal:";

export const lotId = (lot: Id) => `${LOT}${encodeURIComponent(lot)}`;
export const documentId = (hash: Hash) => `${DOCUMENT}${hash}`;
/** An electronic seal (its id on the ledger): the tg:seal of a sealing, the deviceID of its alerts. */
export const sealId = (seal: Id) => `${SEAL}${encodeURIComponent(seal)}`;

export function facilityId(directory: EpcisDirectory, facility: Id): string {
  const gln = directory.facility(facility)?.gln;
  return gln === undefined ? `${FACILITY}${encodeURIComponent(facility)}` : `https://id.gs1.org/414/${gln}`;
}

export function partyId(directory: EpcisDirectory, organisation: Id): string {
  const gln = directory.organisation(organisation)?.gln;
  return gln === undefined ? `${ORGANISATION}${encodeURIComponent(organisation)}` : `https://id.gs1.org/417/${gln}`;
}

function decoded(value: string, prefix: string, field: string): string {
  try {
    return decodeURIComponent(value.slice(prefix.length));
  } catch {
    return refuse("MALFORMED_EVENT", field, `${quoted(value)} is not a well-formed ${prefix} identifier`);
  }
}

export function parseLot(value: string, field: string): Id {
  if (!value.startsWith(LOT)) refuse("UNMAPPABLE_EVENT", field, `${quoted(value)} is not a TraceGate lot (${LOT}<id>)`);
  return decoded(value, LOT, field);
}

export function parseSeal(value: string, field: string): Id {
  if (!value.startsWith(SEAL)) refuse("UNMAPPABLE_EVENT", field, `${quoted(value)} is not a TraceGate seal (${SEAL}<id>)`);
  return decoded(value, SEAL, field);
}

export function parseDocument(value: string, field: string): Hash {
  const hash = value.startsWith(DOCUMENT) ? value.slice(DOCUMENT.length) : "";
  if (!/^0x[0-9a-f]{64}$/.test(hash)) refuse("UNMAPPABLE_EVENT", field, `${quoted(value)} is not an anchored document (${DOCUMENT}0x<sha-256>)`);
  return hash as Hash;
}

/** A GS1 Digital Link location (any domain, AI 414 without an extension) or an SGLN, as a GLN. */
export function locationGln(value: string): string | undefined {
  const link = /^https?:\/\/[^/]+\/414\/(\d{13})$/.exec(value);
  if (link) return link[1];
  const sgln = /^urn:epc:id:sgln:(\d+)\.(\d*)\.0$/.exec(value);
  if (sgln && sgln[1]!.length + sgln[2]!.length === 12) return `${sgln[1]}${sgln[2]}${checkDigit(`${sgln[1]}${sgln[2]}`)}`;
  return undefined;
}

export function parseFacility(directory: EpcisDirectory, value: string, field: string): Id {
  if (value.startsWith(FACILITY)) return decoded(value, FACILITY, field);
  const gln = locationGln(value);
  if (gln === undefined) refuse("UNMAPPABLE_EVENT", field, `${quoted(value)} is neither a TraceGate facility nor a GLN location (SGLN or Digital Link /414/)`);
  const facility = directory.facilityByGln(gln);
  if (facility === undefined) refuse("UNMAPPABLE_EVENT", field, `no facility has GLN ${gln}`);
  return facility;
}
