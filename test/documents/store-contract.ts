import { CarReader } from "@ipld/car/reader";
import { MemoryBlockstore } from "blockstore-core";
import fc from "fast-check";
import { exporter } from "ipfs-unixfs-exporter";
import { equals } from "multiformats/bytes";
import { sha256 } from "multiformats/hashes/sha2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect } from "../../sdk/documents/bytes.js";
import { cidOf } from "../../sdk/documents/cids.js";
import type { DocumentStore } from "../../sdk/documents/store.js";

export interface StoreFixture {
  store: DocumentStore;
  close(): Promise<void>;
}

const CHUNK = 262_144;
/** Mostly small documents, some spanning several chunks. */
export const documentBytes = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 4096 }) },
  { weight: 1, arbitrary: fc.integer({ min: CHUNK - 2, max: 3 * CHUNK + 7 }).map(randomBytesOfLength) },
);

/** Byte equality without vitest's element-by-element diff, which takes seconds on large documents. */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  expect(Buffer.compare(actual, expected), "the bytes differ").toBe(0);
}

export function randomBytesOfLength(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65_536)));
  }
  return bytes;
}

/** What every DocumentStore must do; each implementation's test file runs it. */
export function documentStoreContract(name: string, setUp: () => Promise<StoreFixture>): void {
  describe(`${name} satisfies the DocumentStore contract`, () => {
    let fixture: StoreFixture;
    beforeAll(async () => {
      fixture = await setUp();
    });
    afterAll(async () => fixture.close());

    it("round-trips random documents under the CID Kubo computes", async () => {
      await fc.assert(
        fc.asyncProperty(documentBytes, async (bytes) => {
          const { cid } = await fixture.store.put(bytes);
          expect(cid).toBe((await cidOf(bytes)).toString());
          expect(await fixture.store.has(cid)).toBe(true);
          expectSameBytes(await fixture.store.get(cid), bytes);
        }),
        { numRuns: 50 },
      );
    });

    it("storing the same bytes twice gives the same CID", async () => {
      const bytes = new TextEncoder().encode("idempotent");
      expect((await fixture.store.put(bytes)).cid).toBe((await fixture.store.put(bytes)).cid);
    });

    it("reports a document it does not hold as NOT_FOUND, before any CAR byte", async () => {
      const absent = (await cidOf(new TextEncoder().encode("never stored"))).toString();
      expect(await fixture.store.has(absent)).toBe(false);
      await expect(fixture.store.get(absent)).rejects.toMatchObject({
        code: "NOT_FOUND",
        details: { cid: absent },
        message: expect.stringContaining("ipfs dag import"), // errors say what to do next
      });
      const chunks: Uint8Array[] = [];
      await expect(
        (async () => {
          for await (const chunk of fixture.store.exportCar(absent)) chunks.push(chunk);
        })(),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(chunks).toEqual([]);
    });

    it("refuses a malformed CID with INVALID_CID", async () => {
      await expect(fixture.store.get("not-a-cid")).rejects.toMatchObject({ code: "INVALID_CID" });
      await expect(fixture.store.has("not-a-cid")).rejects.toMatchObject({ code: "INVALID_CID" });
    });

    it.each([
      ["three chunks", 2 * CHUNK + 12_345, 1 + 3],
      ["176 chunks, nested", 175 * CHUNK + 5, 1 + 2 + 176],
    ])("exports a CAR of %s that rebuilds the same bytes under the same root", async (_name, size, blockCount) => {
      const bytes = randomBytesOfLength(size);
      const { cid } = await fixture.store.put(bytes);
      const car = await CarReader.fromBytes(await collect(fixture.store.exportCar(cid)));
      expect((await car.getRoots()).map(String)).toEqual([cid]);
      const blocks = new MemoryBlockstore();
      let count = 0;
      for await (const block of car.blocks()) {
        expect(equals((await sha256.digest(block.bytes)).bytes, block.cid.multihash.bytes)).toBe(true);
        await blocks.put(block.cid, block.bytes);
        count++;
      }
      expect(count).toBe(blockCount); // root, intermediate nodes and raw leaves, each once
      const file = await exporter(cid, blocks);
      if (file.type !== "file") throw new Error(`expected a file, got ${file.type}`);
      expectSameBytes(await collect(file.content()), bytes);
    });
  });
}
