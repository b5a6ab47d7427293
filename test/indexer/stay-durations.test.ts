/**
 * Stay percentiles from bucket counts: the buckets are ordered and cover every duration, and the
 * percentiles read through them are exactly the nearest-rank percentiles of the stays, also after
 * stays are counted out again (a rollback), which leaves no empty bucket behind.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { stayPercentiles } from "../../indexer/store/read/stay-durations.js";
import { insertRows } from "../../indexer/store/write/insert-rows.js";
import { bucketStart, countStays, durationBucket } from "../../indexer/store/write/stay-durations.js";

const anyDuration = fc.oneof(fc.bigInt({ min: 0n, max: 200n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 2n ** 62n }));

describe("duration buckets", () => {
  it("hold each duration between their start and the next bucket's, in order", () => {
    fc.assert(
      fc.property(anyDuration, anyDuration, (a, b) => {
        const bucket = durationBucket(a);
        expect(bucketStart(bucket) <= a && a < bucketStart(bucket + 1n)).toBe(true);
        if (a <= b) expect(durationBucket(a) <= durationBucket(b)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("stay few: under a thousand for stays up to a century", () => {
    expect(durationBucket(100n * 366n * 86_400n)).toBeLessThan(1000n);
  });
});

describe("stay percentiles", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(":memory:");
  });
  afterAll(() => store?.close());

  const nearestRank = (sorted: bigint[], percent: bigint) => sorted[Number((BigInt(sorted.length) * percent + 99n) / 100n - 1n)]!;

  it("equal the nearest-rank percentiles of the stays, before and after a rollback", async () => {
    let lot = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            facility: fc.constantFrom("GATE-1", "GATE-2"),
            duration: fc.oneof(fc.bigInt({ min: 0n, max: 100n }), fc.bigInt({ min: 0n, max: 10n ** 7n })),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        fc.nat(),
        async (drawn, cut) => {
          await store.db.deleteFrom("stage_stays").execute();
          await store.db.deleteFrom("stay_durations").execute();
          const stays = drawn.map(({ facility, duration }) => ({
            lot: `L${lot++}`,
            entered_event: 1n,
            state: "ARRIVED",
            facility,
            entered_at: 0n,
            left_at: duration,
            duration,
            left_event: 2n,
          }));
          await insertRows(store.db, "stage_stays", stays);
          await countStays(store.db, stays, 1n);
          const removed = stays.slice(cut % stays.length);
          for (const check of [stays, stays.slice(0, cut % stays.length)]) {
            for (const facility of ["GATE-1", "GATE-2"]) {
              const sorted = check
                .filter((stay) => stay.facility === facility)
                .map(({ duration }) => duration)
                .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
              const percents = [1n, 50n, 90n, 95n, 100n];
              expect(await stayPercentiles(store.db, { state: "ARRIVED", facility }, percents)).toEqual({
                stays: BigInt(sorted.length),
                at: percents.map((percent) => (sorted.length === 0 ? 0n : nearestRank(sorted, percent))),
              });
            }
            if (check !== stays) break;
            await store.db
              .deleteFrom("stage_stays")
              .where(
                "lot",
                "in",
                removed.map(({ lot }) => lot),
              )
              .execute();
            await countStays(store.db, removed, -1n);
          }
          const left = await store.db
            .selectFrom("stay_durations")
            .select(({ fn }) => fn.countAll<number>().as("rows"))
            .where("stays", "<=", 0n)
            .executeTakeFirstOrThrow();
          expect(Number(left.rows)).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
