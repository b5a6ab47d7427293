/** The progress bar `capture` draws from a job's status: events done of the total, and the rate, on a terminal only. */
import { describe, expect, it } from "vitest";
import { progressBar } from "../../sdk/cli/progress.js";

const terminal = () => {
  const written: string[] = [];
  return { written, stream: { isTTY: true, write: (chunk: string | Uint8Array) => written.push(String(chunk)) } };
};

describe("progressBar", () => {
  it("draws the count a job reports, never past the total, ending on its own line", () => {
    const { written, stream } = terminal();
    const progress = progressBar(stream, "capturing", 200);
    progress.reached(0);
    progress.reached(250);
    progress.done();
    expect(written[0]).toMatch(/^\rcapturing \[-{30}\] 0\/200 0\/s$/);
    expect(written.at(-2)).toMatch(/^\rcapturing \[#{30}\] 200\/200 \d+\/s$/);
    expect(written.at(-1)).toBe("\n");
  });

  it("writes nothing when stderr is not a terminal (logs and pipes stay clean)", () => {
    const written: string[] = [];
    const progress = progressBar({ write: (chunk) => written.push(String(chunk)) }, "capturing", 200);
    progress.reached(100);
    progress.done();
    expect(written).toEqual([]);
  });
});
