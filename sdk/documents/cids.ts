import { BlackHoleBlockstore } from "blockstore-core";
import { importBytes, type ImporterOptions } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { DocumentError } from "./errors.js";

/**
 * How documents become UnixFS DAGs. These options make a CID equal to what Kubo prints for
 * `ipfs add --cid-version=1 --raw-leaves` with its default chunker (size-262144) and balanced layout
 * (174 links per node), so a CID anchored by the embedded store is the CID any Kubo node computes.
 * Changing any of them changes every CID: never do it for stored documents.
 */
export const KUBO_COMPATIBLE_IMPORT: Readonly<ImporterOptions> = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: fixedSize({ chunkSize: 262_144 }),
  layout: balanced({ maxChildrenPerNode: 174 }),
};

/** The same settings, as Kubo's /api/v0/add parameters (kubo-rpc-client option names). */
export const KUBO_ADD_OPTIONS = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: "size-262144",
  hashAlg: "sha2-256",
  trickle: false,
} as const;

/** The CID `bytes` get when stored, computed without storing anything. */
export async function cidOf(bytes: Uint8Array): Promise<CID> {
  return (await importBytes(bytes, new BlackHoleBlockstore(), KUBO_COMPATIBLE_IMPORT)).cid;
}

/** Parses a document CID; documents are addressed by SHA-256, so other hashes are refused. */
export function parseCid(text: string): CID {
  let cid: CID;
  try {
    cid = CID.parse(text);
  } catch {
    throw new DocumentError("INVALID_CID", `"${text.slice(0, 100)}" is not a CID`, { cid: text.slice(0, 100) });
  }
  if (cid.multihash.code !== sha256.code) {
    throw new DocumentError("INVALID_CID", `${text} is not addressed by SHA-256`, { cid: text });
  }
  return cid;
}
