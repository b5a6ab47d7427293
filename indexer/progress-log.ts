/** Progress lines: during catch-up at most one a second (blocks done, events/s, lag), every rollback and error. */
import type { BatchReport, IndexerObserver } from "./indexer.js";

export class ProgressLog implements IndexerObserver {
  private lastLine = performance.now();
  private eventsSinceLine = 0;

  constructor(private readonly write: (line: string) => void) {}

  committed({ to, head, events }: BatchReport): void {
    this.eventsSinceLine += events;
    const now = performance.now();
    const caughtUp = to.number === head.number;
    if (now - this.lastLine < 1000 && !caughtUp) return;
    const rate = Math.round((this.eventsSinceLine * 1000) / Math.max(1, now - this.lastLine));
    const done = head.number === 0n ? 100 : Number((to.number * 10_000n) / head.number) / 100;
    this.write(
      `indexed to block ${to.number} of ${head.number} (${done.toFixed(2)}%): ${this.eventsSinceLine} events, ${rate} events/s, ` +
        `lag ${head.number - to.number} blocks / ${head.time - to.time} s`,
    );
    this.lastLine = now;
    this.eventsSinceLine = 0;
  }

  rolledBack({ from, to, removed }: { from: bigint; to: { number: bigint }; removed: number }): void {
    this.write(`reorganisation: rolled back from block ${from} to ${to.number}, removing ${removed} events`);
  }

  failed(error: unknown): void {
    this.write(`step failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reports to every observer. */
export function everyObserver(...observers: IndexerObserver[]): IndexerObserver {
  return {
    committed: (report) => observers.forEach((observer) => observer.committed(report)),
    atHead: (head, indexed) => observers.forEach((observer) => observer.atHead?.(head, indexed)),
    rolledBack: (report) => observers.forEach((observer) => observer.rolledBack(report)),
    failed: (error) => observers.forEach((observer) => observer.failed(error)),
  };
}
