import { assertId } from "../../domain/validate.js";
import { AES_KEY_BYTES, GCM_NONCE_BYTES, GCM_TAG_BYTES } from "./aes-gcm.js";
import { concatBytes } from "./bytes.js";
import { DocumentError } from "./errors.js";
import type { WrappedKey } from "./key-wrap.js";

/**
 * Envelope version 1, all integers big-endian:
 *
 *   "TGDE"                  4   magic (TraceGate Document Envelope)
 *   version = 1             1   v1 = X25519/HKDF-SHA256/AES-256-GCM key wrap + AES-256-GCM content
 *   recipient count n       2   1 … 65535
 *   n × recipient:
 *     org id length L       1   1 … 31
 *     org id                L   a TraceGate id (printable ASCII), unique within the envelope
 *     ephemeral public key  32  raw X25519
 *     wrapped content key   48  AES-256-GCM ciphertext (32) ‖ tag (16)
 *   content nonce           12
 *   plaintext length        8   = length of the ciphertext
 *   ciphertext              length
 *   content tag             16
 *
 * The header (everything before the ciphertext) is the content cipher's additional authenticated
 * data, so altering any byte anywhere makes opening fail for every recipient.
 */
const MAGIC = new Uint8Array([0x54, 0x47, 0x44, 0x45]);
const ENVELOPE_VERSION = 1;
const EPHEMERAL_KEY_BYTES = 32;
const WRAPPED_KEY_BYTES = AES_KEY_BYTES + GCM_TAG_BYTES;
const MAX_RECIPIENTS = 0xffff;

export interface ParsedEnvelope {
  /** The authenticated header: additional data of the content cipher. */
  header: Uint8Array;
  recipients: WrappedKey[];
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

export function encodeHeader(recipients: readonly WrappedKey[], nonce: Uint8Array, plaintextLength: number): Uint8Array {
  const fixed = new DataView(new ArrayBuffer(7));
  MAGIC.forEach((byte, index) => fixed.setUint8(index, byte));
  fixed.setUint8(4, ENVELOPE_VERSION);
  fixed.setUint16(5, recipients.length);
  const length = new DataView(new ArrayBuffer(8));
  length.setBigUint64(0, BigInt(plaintextLength));
  return concatBytes(
    new Uint8Array(fixed.buffer),
    ...recipients.flatMap(({ orgId, ephemeralPublicKey, wrappedKey }) => [
      Uint8Array.of(orgId.length),
      Buffer.from(orgId, "latin1"),
      ephemeralPublicKey,
      wrappedKey,
    ]),
    nonce,
    new Uint8Array(length.buffer),
  );
}

/** Checks a recipient list before sealing: the same rules the parser enforces. */
export function checkRecipientIds(orgIds: readonly string[]): void {
  if (orgIds.length === 0 || orgIds.length > MAX_RECIPIENTS) {
    throw new DocumentError("INVALID_ARGUMENT", `an envelope needs 1 to ${MAX_RECIPIENTS} recipients`);
  }
  const invalid = orgIds.find((id) => !isOrgId(id));
  if (invalid !== undefined) {
    const rule = "recipient org ids must be TraceGate ids (1 to 31 printable ASCII characters)";
    throw new DocumentError("INVALID_ARGUMENT", rule, { orgId: invalid.slice(0, 40) });
  }
  if (new Set(orgIds).size !== orgIds.length) {
    throw new DocumentError("INVALID_ARGUMENT", "each organisation may appear once among the recipients");
  }
}

/** Parses strictly: any deviation from the layout above is MALFORMED_ENVELOPE, and nothing is returned. */
export function parseEnvelope(bytes: Uint8Array): ParsedEnvelope {
  const reader = new Reader(bytes);
  const magic = reader.take(MAGIC.length);
  if (!magic.every((byte, index) => byte === MAGIC[index])) throw malformed("it does not start with TGDE");
  const version = reader.uint(1);
  if (version !== ENVELOPE_VERSION) {
    const supported = `envelope version ${version} is not supported (this SDK reads ${ENVELOPE_VERSION})`;
    throw new DocumentError("UNSUPPORTED_ENVELOPE_VERSION", supported);
  }
  const count = reader.uint(2);
  if (count === 0) throw malformed("it has no recipients");
  const recipients: WrappedKey[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < count; index++) {
    const orgId = Buffer.from(reader.take(reader.uint(1))).toString("latin1");
    if (!isOrgId(orgId)) throw malformed(`recipient ${index} has an invalid org id`);
    if (seen.has(orgId)) throw malformed(`recipient ${index} repeats an org id`);
    seen.add(orgId);
    const ephemeralPublicKey = reader.take(EPHEMERAL_KEY_BYTES);
    recipients.push({ orgId, ephemeralPublicKey, wrappedKey: reader.take(WRAPPED_KEY_BYTES) });
  }
  const nonce = reader.take(GCM_NONCE_BYTES);
  const length = reader.uint(8);
  const header = bytes.subarray(0, reader.offset);
  if (length !== reader.remaining - GCM_TAG_BYTES) throw malformed("its length field does not match its size");
  return { header, recipients, nonce, ciphertext: reader.take(length), tag: reader.take(GCM_TAG_BYTES) };
}

function isOrgId(id: string): boolean {
  try {
    assertId(id, "orgId");
    return true;
  } catch {
    return false;
  }
}

function malformed(reason: string): DocumentError {
  return new DocumentError("MALFORMED_ENVELOPE", `not a valid envelope: ${reason}`);
}

class Reader {
  offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.byteLength - this.offset;
  }

  take(length: number): Uint8Array {
    if (length > this.remaining) throw malformed(`it is truncated at byte ${this.bytes.byteLength}`);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** An unsigned big-endian integer of 1, 2 or 8 bytes (8-byte values above 2^53 are refused). */
  uint(size: 1 | 2 | 8): number {
    let value = 0n;
    for (const byte of this.take(size)) value = (value << 8n) | BigInt(byte);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed("a length is out of range");
    return Number(value);
  }
}
