/**
 * A Fabric block's hash, as Fabric defines it (protoutil.BlockHeaderHash): SHA-256 of the header's
 * ASN.1 DER encoding, SEQUENCE { number INTEGER, previousHash OCTET STRING, dataHash OCTET STRING }.
 * The next block's header carries it as its previous hash, which is what chains the blocks.
 */
import { createHash } from "node:crypto";

export interface FabricBlockHeader {
  number: bigint;
  previousHash: Uint8Array;
  dataHash: Uint8Array;
}

export function blockHeaderHash(header: FabricBlockHeader): Uint8Array {
  return createHash("sha256").update(blockHeaderDer(header)).digest();
}

/** The header's DER bytes (Go's encoding/asn1 of Fabric's asn1Header, whose Number is a big.Int). */
export function blockHeaderDer({ number, previousHash, dataHash }: FabricBlockHeader): Uint8Array {
  return tagged(0x30, Buffer.concat([tagged(0x02, unsignedInteger(number)), tagged(0x04, previousHash), tagged(0x04, dataHash)]));
}

/** A non-negative INTEGER's content: minimal big-endian two's complement (a leading 0 when the top bit is set). */
function unsignedInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError(`a block number is never negative (${value})`);
  const bytes = bigEndian(value);
  return bytes[0]! >= 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes;
}

function tagged(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(tag), length(content.length), content]);
}

/** DER length: short form below 128, else 0x80 + the count of big-endian length bytes. */
function length(value: number): Buffer {
  if (value < 0x80) return Buffer.of(value);
  const bytes = bigEndian(BigInt(value));
  return Buffer.concat([Buffer.of(0x80 | bytes.length), bytes]);
}

/** The value's big-endian bytes, as few as it takes (one for 0). */
function bigEndian(value: bigint): Buffer {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, "hex");
}
