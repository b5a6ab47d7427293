/**
 * ECDSA P-256 signatures the way Fabric accepts them: DER-encoded, over the SHA-256 of the message,
 * with S in the lower half of the group order (Fabric rejects high-S signatures as malleable).
 */
import { sign, type KeyObject } from "node:crypto";

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_HALF_ORDER = P256_ORDER >> 1n;

export function fabricSignature(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  const raw = sign("sha256", message, { key: privateKey, dsaEncoding: "ieee-p1363" });
  const r = toBigInt(raw.subarray(0, 32));
  const s = toBigInt(raw.subarray(32));
  return Buffer.concat([Buffer.from([0x30]), withLength(Buffer.concat([derInteger(r), derInteger(s > P256_HALF_ORDER ? P256_ORDER - s : s)]))]);
}

/** Whether a DER signature's S is in the lower half of the order. */
export function isLowS(signature: Uint8Array): boolean {
  if (signature[0] !== 0x30 || signature[2] !== 0x02) return false;
  const sStart = 4 + signature[3]!;
  if (signature[sStart] !== 0x02) return false;
  return toBigInt(signature.subarray(sStart + 2, sStart + 2 + signature[sStart + 1]!)) <= P256_HALF_ORDER;
}

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
}

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Buffer.concat([Buffer.from([0x02]), withLength(Buffer.from(hex, "hex"))]);
}

function withLength(content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([content.length]), content]);
}
