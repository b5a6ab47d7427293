/**
 * Reads the ledger cache's chunks on another thread, so that a rebuild reads the next chunks while the
 * store writes a batch: the SQLite read of a chunk's blob (megabytes, ~0.5 s of a 200,000-event
 * rebuild) leaves the indexer's thread. The blob comes back transferred, not copied; checking its digest
 * and decoding it stay with the caller (`LedgerCacheFile.decode`), which owns what a damaged chunk means.
 */
import { Worker } from "node:worker_threads";
import { READ_CHUNK, type StoredChunk } from "./cache-file.js";

/** Plain JavaScript, evaluated: the thread needs no TypeScript loader, and starts in a few milliseconds. */
const THREAD = `
const { DatabaseSync } = require("node:sqlite");
const { parentPort, workerData } = require("node:worker_threads");
const db = new DatabaseSync(workerData.path, { readOnly: true });
const read = db.prepare(workerData.statement);
read.setReadBigInts(true);
parentPort.on("message", ({ id, source, first }) => {
  let row;
  try {
    row = read.get(source, first);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  if (row === undefined) parentPort.postMessage({ id });
  else parentPort.postMessage({ id, row }, [row.body.buffer]);
});
`;

type Reply = { id: number; row?: StoredChunk; error?: string };

export class ChunkReader {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(row: StoredChunk | undefined): void; reject(error: Error): void }>();
  private nextId = 0;
  private failure: Error | undefined;

  /** `failed`: the thread stopped; every read asked for and every read after it rejects. */
  constructor(path: string, failed: (reason: string) => void) {
    this.worker = new Worker(THREAD, { eval: true, workerData: { path, statement: READ_CHUNK } });
    this.worker.unref();
    this.worker.on("message", ({ id, row, error }: Reply) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (error === undefined) waiting?.resolve(row);
      else waiting?.reject(new Error(error));
    });
    const stop = (reason: string) => {
      if (this.failure !== undefined) return;
      this.failure = new Error(`the ledger cache's reading thread stopped (${reason})`);
      for (const { reject } of this.pending.values()) reject(this.failure);
      this.pending.clear();
      failed(reason);
    };
    this.worker.on("error", (error) => stop(error.message));
    this.worker.on("exit", (code) => stop(`exit code ${code}`));
  }

  /** The row of the chunk of `source` starting at `first` (undefined: the file has none), read on the thread, in the order asked. */
  read(source: string, first: bigint): Promise<StoredChunk | undefined> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, source, first });
    });
  }

  close(): void {
    this.failure ??= new Error("the ledger cache is closed");
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
    void this.worker.terminate();
  }
}
