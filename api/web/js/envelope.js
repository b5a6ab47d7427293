// Opens a TraceGate document envelope in the browser with WebCrypto, so an organisation's private key
// never leaves the page. The same format and steps as the SDK (sdk/documents/envelope-format.ts,
// key-wrap.ts, envelope.ts): X25519 + HKDF-SHA256 unwrap the content key, AES-256-GCM decrypts the
// content with the header as additional data. Errors carry the SDK's codes.

const MAGIC = [0x54, 0x47, 0x44, 0x45]; // "TGDE"
const VERSION = 1;
const KEY_BYTES = 32;
const TAG_BYTES = 16;
const NONCE_BYTES = 12;
const WRAPPED_BYTES = KEY_BYTES + TAG_BYTES;
const ID = /^[\x21-\x7e]{1,31}$/;
const WRAP_INFO = "TraceGate envelope v1 key wrap\0";

export class EnvelopeError extends Error {
  /**
   * @param {string} code the SDK's error code (MALFORMED_ENVELOPE, INVALID_KEY, …)
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** @type {(reason: string) => EnvelopeError} */
const malformed = (reason) => new EnvelopeError("MALFORMED_ENVELOPE", `not a valid document envelope: ${reason}`);
/** @type {(text: string) => Uint8Array<ArrayBuffer>} */
const latin1 = (text) => Uint8Array.from(text, (character) => character.charCodeAt(0));

/**
 * @typedef {{ orgId: string, ephemeralPublicKey: Uint8Array<ArrayBuffer>, wrappedKey: Uint8Array<ArrayBuffer> }} Recipient
 * @typedef {{ key: CryptoKey, publicKey: Uint8Array<ArrayBuffer> }} PrivateKey
 */

/**
 * The envelope's parts, parsed as strictly as the SDK does: any deviation is MALFORMED_ENVELOPE.
 * @param {Uint8Array<ArrayBuffer>} bytes
 */
export function parseEnvelope(bytes) {
  let offset = 0;
  const take = (/** @type {number} */ length) => {
    if (length > bytes.byteLength - offset) throw malformed(`it is truncated at byte ${bytes.byteLength}`);
    offset += length;
    return bytes.subarray(offset - length, offset);
  };
  const uint = (/** @type {number} */ size) => {
    let value = 0n;
    for (const byte of take(size)) value = (value << 8n) | BigInt(byte);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed("a length is out of range");
    return Number(value);
  };
  if (!take(4).every((byte, index) => byte === MAGIC[index])) throw malformed("it does not start with TGDE");
  const version = uint(1);
  if (version !== VERSION) throw new EnvelopeError("UNSUPPORTED_ENVELOPE_VERSION", `envelope version ${version} is not supported (this page reads ${VERSION})`);
  const count = uint(2);
  if (count === 0) throw malformed("it has no recipients");
  /** @type {Recipient[]} */
  const recipients = [];
  for (let index = 0; index < count; index++) {
    const orgId = String.fromCharCode(...take(uint(1)));
    if (!ID.test(orgId)) throw malformed(`recipient ${index} has an invalid org id`);
    if (recipients.some((recipient) => recipient.orgId === orgId)) throw malformed(`recipient ${index} repeats an org id`);
    recipients.push({ orgId, ephemeralPublicKey: take(KEY_BYTES), wrappedKey: take(WRAPPED_BYTES) });
  }
  const nonce = take(NONCE_BYTES);
  const length = uint(8);
  const header = bytes.subarray(0, offset);
  if (length !== bytes.byteLength - offset - TAG_BYTES) throw malformed("its length field does not match its size");
  // WebCrypto takes AES-GCM ciphertext with its tag appended, exactly as the envelope stores them.
  return { header, recipients, nonce, sealed: bytes.subarray(offset) };
}

/**
 * An X25519 private key from ORG.private.pem (PKCS#8), with its public half for the key wrap's salt.
 * @param {string} pemText
 * @returns {Promise<PrivateKey>}
 */
export async function readPrivateKey(pemText) {
  const body = /^-----BEGIN PRIVATE KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PRIVATE KEY-----\s*$/.exec(pemText.trim())?.[1];
  const invalid = () =>
    new EnvelopeError("INVALID_KEY", "this file is not an X25519 private key (the ORG.private.pem file TraceGate made for your organisation)");
  if (body === undefined) throw invalid();
  let der;
  try {
    der = Uint8Array.from(atob(body.replace(/\s+/g, "")), (character) => character.charCodeAt(0));
  } catch {
    throw invalid();
  }
  try {
    // Extractable only to read its public half (the JWK's x); the private bytes came from the file anyway.
    const key = await crypto.subtle.importKey("pkcs8", der, { name: "X25519" }, true, ["deriveBits"]);
    const { x } = await crypto.subtle.exportKey("jwk", key);
    if (x === undefined) throw invalid();
    return { key, publicKey: Uint8Array.from(atob(x.replace(/-/g, "+").replace(/_/g, "/")), (character) => character.charCodeAt(0)) };
  } catch {
    throw invalid();
  }
}

/**
 * The plaintext for organisation `orgId`, with its key from readPrivateKey. Throws EnvelopeError:
 * MALFORMED_ENVELOPE, UNSUPPORTED_ENVELOPE_VERSION, NOT_A_RECIPIENT or DECRYPTION_FAILED; never partial output.
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @param {string} orgId
 * @param {PrivateKey} privateKey
 */
export async function openEnvelope(bytes, orgId, privateKey) {
  const envelope = parseEnvelope(bytes);
  const entry = envelope.recipients.find((recipient) => recipient.orgId === orgId);
  if (entry === undefined) throw new EnvelopeError("NOT_A_RECIPIENT", `the document was not shared with ${orgId}`);
  let contentKey;
  try {
    contentKey = await unwrapContentKey(entry, privateKey);
  } catch {
    throw new EnvelopeError("DECRYPTION_FAILED", `this key does not open ${orgId}'s copy: use ${orgId}.private.pem, your organisation's current key`);
  }
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: "AES-GCM", iv: envelope.nonce, additionalData: envelope.header, tagLength: 128 }, contentKey, envelope.sealed),
    );
  } catch {
    throw new EnvelopeError("DECRYPTION_FAILED", "the document does not decrypt: the stored copy was altered");
  }
}

/** kek = HKDF-SHA256(X25519(own private, ephemeral public), salt = ephemeral ‖ own public, info = WRAP_INFO ‖ org id). */
/**
 * @param {Recipient} entry
 * @param {PrivateKey} privateKey
 */
async function unwrapContentKey(entry, { key, publicKey }) {
  const ephemeral = await crypto.subtle.importKey("raw", entry.ephemeralPublicKey, { name: "X25519" }, false, []);
  const shared = await crypto.subtle.deriveBits({ name: "X25519", public: ephemeral }, key, 256);
  const ikm = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveBits"]);
  const salt = new Uint8Array(KEY_BYTES * 2);
  salt.set(entry.ephemeralPublicKey);
  salt.set(publicKey, KEY_BYTES);
  const kekBits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info: latin1(WRAP_INFO + entry.orgId) }, ikm, 256);
  const kek = await crypto.subtle.importKey("raw", kekBits, "AES-GCM", false, ["decrypt"]);
  const raw = await crypto.subtle.decrypt({ name: "AES-GCM", iv: new Uint8Array(NONCE_BYTES), tagLength: 128 }, kek, entry.wrappedKey);
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
}
