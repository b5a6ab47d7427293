import { stat } from "node:fs/promises";
import { FsBlockstore } from "blockstore-fs";
import { exporter, type ReadableStorage } from "ipfs-unixfs-exporter";
import { importBytes } from "ipfs-unixfs-importer";
import { equals } from "multiformats/bytes";
import type { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { collect } from "./bytes.js";
import { KUBO_COMPATIBLE_IMPORT, parseCid } from "./cids.js";
import { carStream, dagBlocks } from "./dag-car.js";
import { DocumentError } from "./errors.js";
import type { DocumentStore } from "./store.js";

/**
 * Documents as UnixFS blocks in a local directory (blockstore-fs: one file per block), with no IPFS
 * node at all. Blocks are never garbage-collected. Reads re-hash every block, so a block altered on
 * disk is reported as CORRUPT_BLOCK instead of being returned.
 */
export class EmbeddedDocumentStore implements DocumentStore {
  private readonly verified: ReadableStorage;

  private constructor(private readonly blocks: FsBlockstore) {
    this.verified = { get: (cid, options) => verifiedRead(blocks, cid, options) };
  }

  /** Opens (creating if needed) the block directory. */
  static async open(directory: string): Promise<EmbeddedDocumentStore> {
    const blocks = new FsBlockstore(directory);
    try {
      await blocks.open();
      // blockstore-fs accepts a plain file here and only fails at the first write.
      if (!(await stat(directory)).isDirectory()) throw new Error(`${directory} is not a directory`);
    } catch (error) {
      throw new DocumentError("STORE_UNAVAILABLE", `cannot open block directory ${directory}`, { directory }, error);
    }
    return new EmbeddedDocumentStore(blocks);
  }

  async close(): Promise<void> {
    await this.blocks.close();
  }

  async put(bytes: Uint8Array): Promise<{ cid: string }> {
    try {
      const { cid } = await importBytes(bytes, this.blocks, KUBO_COMPATIBLE_IMPORT);
      return { cid: cid.toString() };
    } catch (error) {
      throw new DocumentError("STORE_FAILED", "could not write the document's blocks", {}, error);
    }
  }

  async get(cid: string): Promise<Uint8Array> {
    const root = parseCid(cid);
    try {
      const entry = await exporter(root, this.verified);
      if (entry.type !== "file" && entry.type !== "raw") {
        throw new DocumentError("INVALID_CID", `${cid} names a ${entry.type}, not a document`, { cid });
      }
      return await collect(entry.content());
    } catch (error) {
      throw asDocumentError(error, cid);
    }
  }

  async has(cid: string): Promise<boolean> {
    return this.blocks.has(parseCid(cid));
  }

  async *exportCar(cid: string): AsyncGenerator<Uint8Array> {
    const root = parseCid(cid);
    // Refuse before the CAR header is written, so a missing document yields no bytes at all.
    if (!(await this.blocks.has(root))) throw notFound(cid);
    try {
      yield* carStream(root, dagBlocks(root, this.verified));
    } catch (error) {
      throw asDocumentError(error, cid);
    }
  }
}

async function* verifiedRead(blocks: FsBlockstore, cid: CID, options?: { signal?: AbortSignal }): AsyncGenerator<Uint8Array> {
  const bytes = await collect(blocks.get(cid, options));
  const digest = await sha256.digest(bytes);
  if (!equals(digest.bytes, cid.multihash.bytes)) {
    throw new DocumentError("CORRUPT_BLOCK", `block ${cid} on disk does not hash to its CID`, {
      block: cid.toString(),
    });
  }
  yield bytes;
}

function notFound(cid: string): DocumentError {
  return new DocumentError("NOT_FOUND", `no document ${cid} in this store`, { cid });
}

/** blockstore-fs and the exporter signal a missing block with an error named NotFoundError. */
function asDocumentError(error: unknown, cid: string): DocumentError {
  if (error instanceof DocumentError) return error;
  if (error instanceof Error && error.name === "NotFoundError") return notFound(cid);
  return new DocumentError("STORE_FAILED", `could not read document ${cid}`, { cid }, error);
}
