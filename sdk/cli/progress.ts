/** A progress bar for bulk work, on stderr and only on a terminal (logs and pipes stay clean). */
import type { Output } from "./command.js";

export interface Progress {
  /** One more item done. */
  tick(): void;
  /** `count` items done in all (work that reports its own totals, such as a node's job). */
  reached(count: number): void;
  done(): void;
}

const WIDTH = 30;

export function progressBar(stream: Output, label: string, total: number): Progress {
  if (stream.isTTY !== true || total < 2) return { tick() {}, reached() {}, done() {} };
  const started = performance.now();
  let count = 0;
  let drawn = 0;
  const draw = () => {
    const filled = Math.round((count / total) * WIDTH);
    const rate = count / Math.max((performance.now() - started) / 1000, 1e-3);
    stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${count}/${total} ${rate.toFixed(0)}/s`);
    drawn = performance.now();
  };
  const reached = (next: number) => {
    count = Math.min(next, total);
    if (count === total || performance.now() - drawn > 100) draw();
  };
  return {
    tick: () => reached(count + 1),
    reached,
    done() {
      draw();
      stream.write("\n");
    },
  };
}
