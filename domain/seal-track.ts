/**
 * An electronic seal's track: the messages its device sends on a trip (where, when, whether the seal
 * holds, what it raises), kept off the ledger in the document store and anchored in segments. A
 * segment's messages are the members of one Merkle batch of kind SEAL_TRACK (merkle.ts, anchored with
 * `anchorBatch`), each member being the SHA-256 of one message's canonical bytes: the whole segment
 * proves untampered against its root, and one message (an alert's evidence) proves on its own with its
 * proof, without showing the rest of the trip.
 *
 * Positions are integer microdegrees (WGS 84), never floats: a message's bytes, and so its hash, must be
 * the same on every machine that rebuilds it.
 */
import { fail } from "./errors.js";
import { documentHash } from "./hashing.js";
import { array, boolean, decimal, fromJson, literal, object, oneOf, string, toJson, type Shape } from "./json-shapes.js";
import { buildBatch, verifyBatchProof, type DocumentBatch } from "./merkle.js";
import { SEAL_ALERTS, type Hash, type Id, type LedgerTime, type SealAlert } from "./types.js";
import { assertId, MAX_PARTS } from "./validate.js";

/** One report of a seal's device. */
export interface SealMessage {
  seal: Id;
  /** When the device took the reading, in seconds since the Unix epoch. */
  time: LedgerTime;
  /** WGS 84 latitude in microdegrees, -90,000,000 to 90,000,000. */
  latitude: bigint;
  /** WGS 84 longitude in microdegrees, -180,000,000 to 180,000,000. */
  longitude: bigint;
  /** Whether the seal's wire and lock were closed at the reading. */
  sealClosed: boolean;
  /** What the device raised with this reading (none for a routine position report). */
  alerts: SealAlert[];
}

/** A trip segment as stored in the document store: the seal, the lots it closes, its messages in time order. */
export interface TrackSegment {
  format: typeof TRACK_FORMAT;
  seal: Id;
  lots: Id[];
  messages: SealMessage[];
}

export const TRACK_FORMAT = "tracegate-seal-track/1";
const MAX_LATITUDE = 90_000_000n;
const MAX_LONGITUDE = 180_000_000n;
/** Most messages in one segment: a day of reports every 10 seconds. */
export const MAX_SEGMENT_MESSAGES = 8_640;

/** A message's fields are checked before it is hashed or stored: INVALID_ARGUMENT names the field. */
export function assertSealMessage(message: SealMessage, field = "message"): SealMessage {
  assertId(message.seal, `${field}.seal`);
  if (message.time < 1n || message.time >= 1n << 64n) fail("INVALID_ARGUMENT", `${field}.time must be 1 to 2^64-1 seconds`, { field: `${field}.time` });
  if (message.latitude < -MAX_LATITUDE || message.latitude > MAX_LATITUDE) {
    fail("INVALID_ARGUMENT", `${field}.latitude must be -90 to 90 degrees, in microdegrees`, { field: `${field}.latitude` });
  }
  if (message.longitude < -MAX_LONGITUDE || message.longitude > MAX_LONGITUDE) {
    fail("INVALID_ARGUMENT", `${field}.longitude must be -180 to 180 degrees, in microdegrees`, { field: `${field}.longitude` });
  }
  if (message.alerts.some((alert) => !SEAL_ALERTS.includes(alert)) || new Set(message.alerts).size !== message.alerts.length) {
    fail("INVALID_ARGUMENT", `${field}.alerts must list distinct values of ${SEAL_ALERTS.join(", ")}`, { field: `${field}.alerts` });
  }
  return message;
}

/**
 * The canonical bytes of a message: JSON with its keys in a fixed order, integers as decimal strings
 * and alerts in SEAL_ALERTS order, so that the same reading always hashes the same.
 */
export function messageBytes(message: SealMessage): string {
  const alerts = SEAL_ALERTS.filter((alert) => message.alerts.includes(alert));
  return toJson({
    alerts,
    latitude: message.latitude,
    longitude: message.longitude,
    seal: message.seal,
    sealClosed: message.sealClosed,
    time: message.time,
  });
}

/** The batch member that stands for a message: the SHA-256 of its canonical bytes. */
export function messageHash(message: SealMessage): Hash {
  return documentHash(messageBytes(message));
}

/**
 * The Merkle batch of a segment: its root (anchored as a SEAL_TRACK batch) and each message's proof, in
 * the segment's order. Every message must name the segment's seal, in time order.
 */
export function segmentBatch(segment: TrackSegment): DocumentBatch {
  checkSegment(segment);
  return buildBatch(segment.messages.map(messageHash));
}

/** Whether `segment` is exactly the one anchored under `root`: any changed, added or missing message fails. */
export function segmentMatches(segment: TrackSegment, root: Hash): boolean {
  return segmentBatch(segment).root === root.toLowerCase();
}

/** Whether one message belongs to the segment anchored under `root`, by its proof. */
export function messageInSegment(message: SealMessage, root: Hash, proof: readonly Hash[]): boolean {
  return verifyBatchProof(root, messageHash(assertSealMessage(message)), proof);
}

function checkSegment(segment: TrackSegment): void {
  assertId(segment.seal, "seal");
  if (segment.lots.length < 1 || segment.lots.length > MAX_PARTS) fail("INVALID_ARGUMENT", `lots must name 1 to ${MAX_PARTS} lots`, { field: "lots" });
  segment.lots.forEach((lot, index) => assertId(lot, `lots[${index}]`));
  if (segment.messages.length < 1 || segment.messages.length > MAX_SEGMENT_MESSAGES) {
    fail("INVALID_ARGUMENT", `a segment holds 1 to ${MAX_SEGMENT_MESSAGES} messages`, { field: "messages" });
  }
  segment.messages.forEach((message, index) => {
    const field = `messages[${index}]`;
    assertSealMessage(message, field);
    if (message.seal !== segment.seal) fail("SEAL_MISMATCH", `${field} is from seal ${message.seal}, not ${segment.seal}`, { field, seal: message.seal });
    if (index > 0 && message.time < segment.messages[index - 1]!.time) {
      fail("INVALID_ARGUMENT", `${field} is older than the message before it: a segment is in time order`, { field: `${field}.time` });
    }
  });
}

const messageShape: Shape<SealMessage> = object({
  seal: string,
  time: decimal,
  latitude: decimal,
  longitude: decimal,
  sealClosed: boolean,
  alerts: array(oneOf(SEAL_ALERTS)),
});

const segmentShape: Shape<TrackSegment> = object({
  format: literal(TRACK_FORMAT),
  seal: string,
  lots: array(string),
  messages: array(messageShape),
});

/** The stored form of a segment (what the document store keeps and the track page reads back). */
export function segmentFile(segment: TrackSegment): string {
  checkSegment(segment);
  return toJson(segment, 1);
}

/** Reads a stored segment: a ShapeError (INVALID_ARGUMENT) names the first thing out of its format. */
export function readSegmentFile(json: string): TrackSegment {
  const segment = fromJson(segmentShape, json);
  checkSegment(segment);
  return segment;
}
