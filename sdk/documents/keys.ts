import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { DocumentError } from "./errors.js";

/**
 * Organisations read encrypted documents with an X25519 key pair. The public key (SPKI PEM) is shared
 * with issuers; the private key (PKCS#8 PEM) never leaves the organisation.
 */
export interface OrganisationKeyPair {
  publicKey: string;
  privateKey: string;
}

export type KeyInput = string | KeyObject;

export function generateOrganisationKeyPair(): OrganisationKeyPair {
  return generateKeyPairSync("x25519", {
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

/** Loads and checks a key. Parsing PEM is the slowest step of open/seal: load once and reuse the KeyObject. */
export function x25519PublicKey(key: KeyInput): KeyObject {
  return requireX25519(() => (typeof key === "string" ? createPublicKey(key) : key), "public");
}

export function x25519PrivateKey(key: KeyInput): KeyObject {
  return requireX25519(() => (typeof key === "string" ? createPrivateKey(key) : key), "private");
}

/** The 32 raw bytes of an X25519 public key, as the envelope stores them. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  return Buffer.from(key.export({ format: "jwk" }).x ?? "", "base64url");
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: Buffer.from(raw).toString("base64url") },
    format: "jwk",
  });
}

/** Node's own errors are dropped: the message below is all a caller needs, and carries no key material. */
function requireX25519(load: () => KeyObject, kind: "public" | "private"): KeyObject {
  let key: KeyObject;
  try {
    key = load();
  } catch {
    throw new DocumentError("INVALID_KEY", `the ${kind} key could not be read`);
  }
  if (key.asymmetricKeyType !== "x25519" || key.type !== kind) {
    throw new DocumentError("INVALID_KEY", `expected an X25519 ${kind} key`);
  }
  return key;
}
