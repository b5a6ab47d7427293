/** The indexer's progress lines keep a terminal readable: at most one every few seconds, at head or catching up. */
import { describe, expect, it } from "vitest";
import { PROGRESS_INTERVAL_MS, ProgressLog } from "../../indexer/progress-log.js";

const block = (number: bigint) => ({ number, hash: `0x${number}`, parentHash: `0x${number - 1n}`, time: number * 2n });

/** Reports `batches` batches, one every `everyMs` on a fake clock, and returns the lines written. */
function run(batches: number, everyMs: number, behind: (index: number) => bigint, catchingUp = false): string[] {
  const lines: string[] = [];
  let now = 0;
  const log = new ProgressLog(
    (line) => lines.push(line),
    () => now,
  );
  for (let index = 1; index <= batches; index++) {
    now += everyMs;
    const to = BigInt(index * 10);
    log.committed({ from: to - 9n, to: block(to), head: block(to + behind(index)), events: 3, seconds: 0.01, catchingUp });
  }
  return lines;
}

describe("ProgressLog", () => {
  it("writes at most one line per interval while following the head block by block", () => {
    // A demo writing a block every 100 ms for a minute: every batch reaches the head.
    const lines = run(600, 100, () => 0n);
    expect(lines.length).toBeLessThanOrEqual(60_000 / PROGRESS_INTERVAL_MS + 1);
    expect(PROGRESS_INTERVAL_MS).toBeGreaterThanOrEqual(3000);
  });

  it("writes at most one line per interval while catching up", () => {
    expect(run(600, 100, (index) => BigInt(6000 - index * 10)).length).toBeLessThanOrEqual(60_000 / PROGRESS_INTERVAL_MS + 1);
  });

  it("says, while catching up, that findings and indexes follow at the head", () => {
    const far = run(600, 100, () => 100_000n, true);
    expect(far.every((line) => line.endsWith("; catching up: findings and indexes follow at the head"))).toBe(true);
    expect(run(600, 100, () => 0n).some((line) => line.includes("catching up"))).toBe(false);
  });

  it("counts every event of the batches it did not write a line for", () => {
    const lines = run(2 * (PROGRESS_INTERVAL_MS / 100), 100, () => 0n);
    expect(lines.at(-1)).toContain(`${(PROGRESS_INTERVAL_MS / 100) * 3} events`);
  });
});
