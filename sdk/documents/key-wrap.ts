import { createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from "node:crypto";
import { AES_KEY_BYTES, GCM_NONCE_BYTES, gcmDecrypt, gcmEncrypt } from "./aes-gcm.js";
import { concatBytes } from "./bytes.js";
import { publicKeyFromRaw, rawPublicKey } from "./keys.js";

/**
 * Wrapping a document's content key for one organisation (ECIES, close to HPKE base mode):
 *   ephemeral X25519 key pair per wrap; shared = X25519(ephemeral private, recipient public);
 *   kek = HKDF-SHA256(ikm = shared, salt = ephemeral public ‖ recipient public,
 *                     info = "TraceGate envelope v1 key wrap" ‖ 0x00 ‖ org id, 32 bytes);
 *   wrapped = AES-256-GCM(kek, nonce = 12 zero bytes, content key) = 32-byte ciphertext ‖ 16-byte tag.
 * A kek encrypts exactly one key (the ephemeral key is fresh), so the fixed nonce is never reused
 * under one key. The org id in `info` binds a wrapped key to the organisation it was made for.
 */
export interface WrappedKey {
  orgId: string;
  ephemeralPublicKey: Uint8Array;
  wrappedKey: Uint8Array;
}

const WRAP_INFO = "TraceGate envelope v1 key wrap\0";
const WRAP_NONCE = new Uint8Array(GCM_NONCE_BYTES);

export function wrapContentKey(contentKey: Uint8Array, orgId: string, recipient: KeyObject): WrappedKey {
  // Needs Node >= 22 (as package.json says): on Node 20, exporting a just-generated key can deadlock when
  // garbage collection runs mid-export (the key-generation job's destructor takes the lock export holds).
  const ephemeral = generateKeyPairSync("x25519");
  const ephemeralPublicKey = rawPublicKey(ephemeral.publicKey);
  const salt = concatBytes(ephemeralPublicKey, rawPublicKey(recipient));
  const kek = keyEncryptionKey(ephemeral.privateKey, recipient, salt, orgId);
  try {
    const { ciphertext, tag } = gcmEncrypt(kek, WRAP_NONCE, contentKey);
    return { orgId, ephemeralPublicKey, wrappedKey: concatBytes(ciphertext, tag) };
  } finally {
    kek.fill(0);
  }
}

/** Throws (any error) if `privateKey` is not the one the key was wrapped for, or the entry was altered. */
export function unwrapContentKey(entry: WrappedKey, privateKey: KeyObject): Uint8Array {
  const salt = concatBytes(entry.ephemeralPublicKey, rawPublicKey(createPublicKey(privateKey)));
  const kek = keyEncryptionKey(privateKey, publicKeyFromRaw(entry.ephemeralPublicKey), salt, entry.orgId);
  try {
    return gcmDecrypt(kek, WRAP_NONCE, {
      ciphertext: entry.wrappedKey.subarray(0, AES_KEY_BYTES),
      tag: entry.wrappedKey.subarray(AES_KEY_BYTES),
    });
  } finally {
    kek.fill(0);
  }
}

/** Both sides reach one kek: X25519(ephemeral priv, recipient pub) = X25519(recipient priv, ephemeral pub). */
function keyEncryptionKey(ownPrivate: KeyObject, peerPublic: KeyObject, salt: Uint8Array, orgId: string): Uint8Array {
  const shared = diffieHellman({ privateKey: ownPrivate, publicKey: peerPublic });
  try {
    return new Uint8Array(hkdfSync("sha256", shared, salt, Buffer.from(WRAP_INFO + orgId, "latin1"), AES_KEY_BYTES));
  } finally {
    shared.fill(0);
  }
}
