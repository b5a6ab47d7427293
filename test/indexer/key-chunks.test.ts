/** keyChunks: every key looked up, in slices of few distinct lengths, never more than a statement binds. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_PREPARED_PARAMETERS } from "../../indexer/store/prepared-reads.js";
import { keyChunks } from "../../indexer/store/read/key-chunks.js";
import { chunks } from "../../indexer/store/write/insert-rows.js";

describe("keyChunks", () => {
  it("looks up exactly the keys given, in the same slices, short ones padded to a power of two", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 300 }), (keys) => {
        const sliced = keyChunks(keys);
        expect(new Set(sliced.flat())).toEqual(new Set(keys));
        const plain = chunks(keys);
        expect(sliced).toHaveLength(plain.length);
        for (const [index, slice] of sliced.entries()) {
          expect(new Set(slice)).toEqual(new Set(plain[index]));
          expect(slice.slice(0, plain[index]!.length)).toEqual(plain[index]);
          if (plain[index]!.length <= MAX_PREPARED_PARAMETERS) expect(Number.isInteger(Math.log2(slice.length))).toBe(true);
          expect(slice.length).toBeLessThan(2 * plain[index]!.length);
        }
      }),
    );
  });

  it("gives lookups of 1 to 64 keys seven lengths", () => {
    const lengths = new Set(
      Array.from({ length: MAX_PREPARED_PARAMETERS }, (_, count) => keyChunks(Array.from({ length: count + 1 }, (_, key) => key))[0]!.length),
    );
    expect([...lengths].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });

  it("leaves a long list as it is: it binds no more than a statement may", () => {
    const keys = Array.from({ length: 70_000 }, (_, key) => key);
    expect(keyChunks(keys)).toEqual(chunks(keys));
  });
});
