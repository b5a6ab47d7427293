import fc from "fast-check";
import { MemoryBlockstore } from "blockstore-core";
import { importBytes } from "ipfs-unixfs-importer";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import { describe, expect, it } from "vitest";
import { cidOf, parseCid } from "../../sdk/documents/cids.js";
import { kuboFileCid } from "./unixfs-spec.js";

const CHUNK = 262_144;
const HELLO = new TextEncoder().encode("hello world\n");

/** A file whose every chunk differs, so a misplaced leaf changes the root. */
function distinctChunks(length: number): Uint8Array {
  const data = new Uint8Array(length);
  const view = new DataView(data.buffer);
  for (let offset = 0; offset + 4 <= length; offset += 4) view.setUint32(offset, offset * 2654435761);
  return data;
}

async function rawCid(bytes: Uint8Array): Promise<string> {
  return CID.createV1(raw.code, await sha256.digest(bytes)).toString();
}

describe("document CIDs equal Kubo's", () => {
  it("the importer reproduces Kubo's well-known CIDv0 of 'hello world\\n' with v0 defaults", async () => {
    const { cid } = await importBytes(HELLO, new MemoryBlockstore(), { profile: "unixfs-v0-2015" });
    expect(cid.toString()).toBe("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
  });

  it("'hello world\\n' is the raw-leaf CID of its SHA-256 (Kubo: bafkreifjjcie…)", async () => {
    const cid = (await cidOf(HELLO)).toString();
    expect(cid).toBe(await rawCid(HELLO));
    expect(cid).toBe("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
  });

  it("any single-chunk file (0 to 256 KiB) is the raw CID of its SHA-256", async () => {
    const sizes = fc.oneof(fc.constantFrom(0, 1, CHUNK - 1, CHUNK), fc.integer({ min: 0, max: CHUNK }));
    await fc.assert(
      fc.asyncProperty(sizes, fc.integer(), async (size, seed) => {
        const bytes = distinctChunks(size).map((byte) => byte ^ (seed & 0xff));
        expect((await cidOf(bytes)).toString()).toBe(await rawCid(bytes));
      }),
      { numRuns: 30 },
    );
  });

  it.each([
    ["two chunks, one level", CHUNK + 1],
    ["174 chunks, one full node", 174 * CHUNK],
    ["176 chunks, nested balanced layout", 175 * CHUNK + 5],
  ])("%s: the root is the dag-pb node the UnixFS spec gives", async (_name, size) => {
    const bytes = distinctChunks(size);
    expect((await cidOf(bytes)).toString()).toBe((await kuboFileCid(bytes)).toString());
  });

  it("parseCid refuses text that is not a SHA-256 CID", () => {
    for (const text of ["", "hello", "bafkrei", "bafkr4ihkr4ld3m4gqkjf4reryxsy2s5tkbxprqkow6fin2iiyvreuzzab4"]) {
      expect(() => parseCid(text)).toThrow(expect.objectContaining({ code: "INVALID_CID" }));
    }
  });
});
