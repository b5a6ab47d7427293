/**
 * When the indexer writes a batch catching up (store/catch-up.ts catchesUp), simulated over the batches
 * an indexer steps through from where its store stands to a head: the mode is one run of batches from
 * the first, entered only by a store that at least doubles, left before at most `catchUpBlocks` final
 * blocks, and a store already in it (a restart) stays in it while far behind.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catchesUp } from "../../indexer/store/catch-up.js";

interface Run {
  start: bigint;
  /** The store's checkpoint block (start - 1: empty). */
  at: bigint;
  finalUpTo: bigint;
  batchBlocks: bigint;
  catchUpBlocks: number;
  catchingUp: boolean;
}

/** Each batch's first block and whether it was written catching up, as Indexer.step decides them. */
function batches({ start, at, finalUpTo, batchBlocks, catchUpBlocks, catchingUp }: Run): Array<{ from: bigint; catchingUp: boolean }> {
  const written: Array<{ from: bigint; catchingUp: boolean }> = [];
  let mode = catchingUp;
  for (let from = at + 1n; from <= finalUpTo; from += batchBlocks) {
    mode = catchesUp({ from, start, finalUpTo, catchingUp: mode, catchUpBlocks });
    written.push({ from, catchingUp: mode });
  }
  return written;
}

const runs = fc
  .record({
    start: fc.bigInt({ min: 0n, max: 1_000_000n }),
    held: fc.bigInt({ min: 0n, max: 200_000n }),
    toGo: fc.bigInt({ min: 1n, max: 200_000n }),
    batchBlocks: fc.bigInt({ min: 1n, max: 20_000n }),
    catchUpBlocks: fc.integer({ min: 0, max: 30_000 }),
    catchingUp: fc.boolean(),
  })
  .map(({ start, held, toGo, batchBlocks, catchUpBlocks, catchingUp }) => ({
    start,
    at: start + held - 1n,
    finalUpTo: start + held + toGo - 1n,
    batchBlocks,
    catchUpBlocks,
    catchingUp,
  }));

describe("catching up, batch by batch", () => {
  it("is one run of batches from the first, and the blocks after it are at most catchUpBlocks", () => {
    fc.assert(
      fc.property(runs, (run) => {
        const written = batches(run);
        const firstNormal = written.findIndex(({ catchingUp }) => !catchingUp);
        if (firstNormal >= 0) expect(written.slice(firstNormal).every(({ catchingUp }) => !catchingUp)).toBe(true);
        const caughtUp = written.filter(({ catchingUp }) => catchingUp);
        if (caughtUp.length > 0) {
          expect(written[0]!.catchingUp).toBe(true);
          const left = written[firstNormal]?.from ?? run.finalUpTo + 1n;
          expect(run.finalUpTo - left + 1n).toBeLessThanOrEqual(BigInt(run.catchUpBlocks));
        }
      }),
    );
  });

  it("is entered only by a store that at least doubles, and always by one that would, far behind", () => {
    fc.assert(
      fc.property(
        runs.filter((run) => !run.catchingUp),
        (run) => {
          const held = run.at + 1n - run.start;
          const toGo = run.finalUpTo - run.at;
          const [first] = batches(run);
          expect(first!.catchingUp).toBe(toGo > BigInt(run.catchUpBlocks) && toGo > held);
        },
      ),
    );
  });

  it("is kept after a restart in it while more than catchUpBlocks are to go, however much the store holds", () => {
    fc.assert(
      fc.property(
        runs.filter((run) => run.catchingUp),
        (run) => {
          const [first] = batches(run);
          expect(first!.catchingUp).toBe(run.finalUpTo - run.at > BigInt(run.catchUpBlocks));
        },
      ),
    );
  });

  it("writes the last full batch before the head catching up (the recorded chain's shape)", () => {
    // 200,040 blocks, final up to 200,028, batches of 10,000: the batch from 190,000 has 10,029 to go.
    const written = batches({ start: 0n, at: -1n, finalUpTo: 200_028n, batchBlocks: 10_000n, catchUpBlocks: 10_000, catchingUp: false });
    expect(written.map(({ catchingUp }) => catchingUp)).toEqual([...Array(20).fill(true), false]);
  });
});
