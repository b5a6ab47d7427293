/**
 * Checkpoints of the SQLite store's write-ahead log, mostly on another thread, as SQLite's WAL
 * documentation suggests for a busy writer. The writer's own automatic checkpoint copies the whole log
 * (80 MB) into the database file inside one of its commits, 0.2-0.5 s that the next batch waits for
 * (three times in a 200,000-event catch-up).
 *
 * Here, after a commit that left the log past `CHECKPOINT_BYTES`, a worker thread with its own
 * connection copies it (a PASSIVE checkpoint: it never blocks the writer), while the writer goes on
 * with the next batch. That alone would never let the log start over: a log is reset only when all of
 * it is in the database file as a write begins, and the writer commits more while the thread copies.
 * So once the thread is done, the writer copies the rest itself before its next transaction (what it
 * committed meanwhile, a batch or so), and the log starts over at that transaction's first write.
 *
 * The writer keeps `journal_size_limit = 0`, so the log file is cut back when it starts over, and its
 * size says how much is left to copy. SQLite keeps checkpoints crash-safe whichever connection runs
 * them. If the thread fails, the writer checkpoints by itself again, with a warning.
 */
import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";

/** The log's size after which the thread copies it. */
export const CHECKPOINT_BYTES = 64 * 1024 * 1024;

const IDLE = 0;
const COPYING = 1;
const COPIED = 2;

/** Plain JavaScript, evaluated: the thread needs no TypeScript loader, and starts in a few milliseconds. */
const THREAD = `
const { DatabaseSync } = require("node:sqlite");
const { parentPort, workerData } = require("node:worker_threads");
const state = new Int32Array(workerData.state);
const db = new DatabaseSync(workerData.path);
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
parentPort.on("message", () => {
  try {
    checkpoint.get();
    Atomics.store(state, 0, ${COPIED});
    parentPort.postMessage({ copied: true });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
`;

export interface CheckpointerOptions {
  /** The writer's connection checkpoints what the thread left (PASSIVE). */
  checkpointHere(): void;
  /** Called once if the thread fails: the writer must checkpoint by itself again. */
  failed(reason: string): void;
  /** The log's size after which the thread copies it (default CHECKPOINT_BYTES). */
  thresholdBytes?: number | undefined;
}

export class WalCheckpointer {
  private worker: Worker | undefined;
  /** IDLE, COPYING (the thread copies the log) or COPIED (it is done; the writer copies the rest next). */
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private broken = false;
  private waiting: Array<() => void> = [];
  private readonly thresholdBytes: number;

  constructor(
    private readonly path: string,
    private readonly options: CheckpointerOptions,
  ) {
    this.thresholdBytes = options.thresholdBytes ?? CHECKPOINT_BYTES;
  }

  /** The writer committed: the thread copies the log if it has grown past the threshold. */
  committed(): void {
    if (this.broken || Atomics.load(this.state, 0) !== IDLE || logBytes(this.path) < this.thresholdBytes) return;
    Atomics.store(this.state, 0, COPYING);
    this.thread().postMessage("checkpoint");
  }

  /** The writer begins a transaction: if the thread has copied the log, the writer copies the rest, so the log starts over. */
  beginning(): void {
    if (Atomics.load(this.state, 0) !== COPIED) return;
    this.options.checkpointHere();
    Atomics.store(this.state, 0, IDLE);
  }

  /** Resolves when the thread is not copying. */
  copied(): Promise<void> {
    if (Atomics.load(this.state, 0) !== COPYING) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async close(): Promise<void> {
    this.broken = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
    this.wake();
  }

  private thread(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(THREAD, { eval: true, workerData: { path: this.path, state: this.state.buffer } });
    // A store closing does not wait for the thread: the next checkpoint (the last close's) copies what it did not.
    worker.unref();
    worker.on("message", (reply: { copied: true } | { error: string }) => {
      if ("error" in reply) this.fail(reply.error);
      else this.wake();
    });
    worker.on("error", (error) => this.fail(error.message));
    worker.on("exit", (code) => {
      if (this.worker === worker) this.fail(`it stopped (exit code ${code})`);
    });
    this.worker = worker;
    return worker;
  }

  private fail(reason: string): void {
    if (this.broken) return;
    this.broken = true;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    Atomics.store(this.state, 0, IDLE);
    this.wake();
    this.options.failed(reason);
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** The size of the store's write-ahead log (0 when there is none). */
function logBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
