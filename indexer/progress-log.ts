/**
 * Progress lines (blocks done, events/s, lag): at most one per PROGRESS_INTERVAL_MS, plus one when the
 * head is first reached, so the tokens `npm start` prints stay on screen while a demo writes block after
 * block; every rollback and error.
 */
import type { BatchReport, IndexerObserver } from "./indexer.js";
import { isDiskFull } from "./store/disk-full.js";

export const PROGRESS_INTERVAL_MS = 5000;

export class ProgressLog implements IndexerObserver {
  private lastLine: number;
  private eventsSinceLine = 0;
  private reachedHead = false;

  constructor(
    private readonly write: (line: string) => void,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.lastLine = clock();
  }

  committed({ to, head, events, catchingUp }: BatchReport): void {
    this.eventsSinceLine += events;
    const now = this.clock();
    const firstAtHead = !this.reachedHead && to.number === head.number;
    if (now - this.lastLine < PROGRESS_INTERVAL_MS && !firstAtHead) return;
    this.reachedHead ||= firstAtHead;
    const rate = Math.round((this.eventsSinceLine * 1000) / Math.max(1, now - this.lastLine));
    const done = head.number === 0n ? 100 : Number((to.number * 10_000n) / head.number) / 100;
    this.write(
      `indexed to block ${to.number} of ${head.number} (${done.toFixed(2)}%): ${this.eventsSinceLine} events, ${rate} events/s, ` +
        `lag ${head.number - to.number} blocks / ${head.time - to.time} s` +
        (catchingUp ? "; catching up: findings and indexes follow at the head" : ""),
    );
    this.lastLine = now;
    this.eventsSinceLine = 0;
  }

  rolledBack({ from, to, removed }: { from: bigint; to: { number: bigint }; removed: number }): void {
    this.write(`reorganisation: rolled back from block ${from} to ${to.number}, removing ${removed} events`);
  }

  failed(error: unknown): void {
    this.write(`step failed, retrying: ${error instanceof Error ? error.message : String(error)}${isDiskFull(error) ? DISK_FULL : ""}`);
  }
}

const DISK_FULL = " (the disk holding the index is full: free space there, and indexing goes on by itself)";

/** Reports to every observer. */
export function everyObserver(...observers: IndexerObserver[]): IndexerObserver {
  return {
    committed: (report) => observers.forEach((observer) => observer.committed(report)),
    atHead: (head, indexed) => observers.forEach((observer) => observer.atHead?.(head, indexed)),
    rolledBack: (report) => observers.forEach((observer) => observer.rolledBack(report)),
    failed: (error) => observers.forEach((observer) => observer.failed(error)),
  };
}
