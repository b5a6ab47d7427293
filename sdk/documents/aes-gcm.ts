import { createCipheriv, createDecipheriv } from "node:crypto";
import { concatBytes } from "./bytes.js";

/** AES-256-GCM with a 96-bit nonce and a 128-bit tag, as used for both documents and wrapped keys. */
export const AES_KEY_BYTES = 32;
export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export interface Sealed {
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

export function gcmEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Sealed {
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: GCM_TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(aad);
  const ciphertext = concatBytes(cipher.update(plaintext), cipher.final());
  return { ciphertext, tag: new Uint8Array(cipher.getAuthTag()) };
}

/** Throws (Node's error) unless the tag verifies; nothing is returned before it has. */
export function gcmDecrypt(key: Uint8Array, nonce: Uint8Array, sealed: Sealed, aad?: Uint8Array): Uint8Array {
  const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: GCM_TAG_BYTES });
  decipher.setAuthTag(sealed.tag);
  if (aad !== undefined) decipher.setAAD(aad);
  const head = decipher.update(sealed.ciphertext);
  try {
    return concatBytes(head, decipher.final());
  } finally {
    head.fill(0); // unverified or copied plaintext: leave none behind
  }
}
