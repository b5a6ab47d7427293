import { randomBytes } from "node:crypto";
import { AES_KEY_BYTES, GCM_NONCE_BYTES, gcmDecrypt, gcmEncrypt } from "./aes-gcm.js";
import { concatBytes } from "./bytes.js";
import { checkRecipientIds, encodeHeader, parseEnvelope } from "./envelope-format.js";
import { DocumentError } from "./errors.js";
import { unwrapContentKey, wrapContentKey } from "./key-wrap.js";
import { x25519PrivateKey, x25519PublicKey, type KeyInput } from "./keys.js";

/**
 * Encryption at rest: document bytes reach IPFS only inside an envelope (layout in envelope-format.ts).
 * Each document gets a fresh random AES-256-GCM key and 96-bit nonce; that key is wrapped for every
 * entitled organisation with its X25519 public key (key-wrap.ts).
 * An envelope gives confidentiality and detects alteration, but anyone who can open it could re-seal
 * other bytes: authenticity comes from the ledger anchor, the SHA-256 of the plaintext.
 */
export interface Recipient {
  orgId: string;
  publicKey: KeyInput;
}

export function seal(plaintext: Uint8Array, recipients: readonly Recipient[]): Uint8Array {
  checkRecipientIds(recipients.map((recipient) => recipient.orgId));
  const publicKeys = recipients.map((recipient) => x25519PublicKey(recipient.publicKey));
  const contentKey = randomBytes(AES_KEY_BYTES);
  try {
    const wrapped = recipients.map(({ orgId }, index) => wrapContentKey(contentKey, orgId, publicKeys[index]!));
    const nonce = randomBytes(GCM_NONCE_BYTES);
    const header = encodeHeader(wrapped, nonce, plaintext.byteLength);
    const { ciphertext, tag } = gcmEncrypt(contentKey, nonce, plaintext, header);
    return concatBytes(header, ciphertext, tag);
  } finally {
    contentKey.fill(0);
  }
}

/**
 * The plaintext, for an organisation the envelope was sealed for. Throws MALFORMED_ENVELOPE,
 * UNSUPPORTED_ENVELOPE_VERSION, INVALID_KEY, NOT_A_RECIPIENT or DECRYPTION_FAILED; never partial output.
 */
export function open(envelope: Uint8Array, orgId: string, privateKey: KeyInput): Uint8Array {
  const parsed = parseEnvelope(envelope);
  const key = x25519PrivateKey(privateKey);
  const entry = parsed.recipients.find((recipient) => recipient.orgId === orgId);
  if (entry === undefined) {
    throw new DocumentError("NOT_A_RECIPIENT", `the document was not shared with organisation ${orgId}`, { orgId });
  }
  let contentKey: Uint8Array;
  try {
    contentKey = unwrapContentKey(entry, key);
  } catch {
    throw decryptionFailed(orgId, "the document key does not unwrap with this private key");
  }
  try {
    return gcmDecrypt(contentKey, parsed.nonce, parsed, parsed.header);
  } catch {
    throw decryptionFailed(orgId, "the document does not decrypt: the envelope was altered");
  } finally {
    contentKey.fill(0);
  }
}

/** Node's crypto error is dropped on purpose: the reason below says all a caller can act on. */
function decryptionFailed(orgId: string, reason: string): DocumentError {
  return new DocumentError("DECRYPTION_FAILED", reason, { orgId });
}
