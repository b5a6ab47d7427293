/**
 * `<home>/running.json`, as the product writes it once it serves and removes it when it stops; its
 * format and reader are sdk/running-file.ts, which the CLI reads it through too.
 */
import { rm, writeFile } from "node:fs/promises";
import { isAlive, readRunningFile, runningFilePath, type RunningProduct } from "../sdk/running-file.js";

export type { RunningProduct } from "../sdk/running-file.js";

export async function writeRunningFile(home: string, running: RunningProduct): Promise<void> {
  await writeFile(runningFilePath(home), `${JSON.stringify(running, null, 2)}\n`, { mode: 0o600 });
}

export async function removeRunningFile(home: string): Promise<void> {
  await rm(runningFilePath(home), { force: true });
}

/** The product running on `home`, or an error saying how to start it. */
export async function findRunningProduct(home: string): Promise<RunningProduct> {
  const running = readRunningFile(home);
  if (running === undefined) throw new Error(`TraceGate is not running on ${home}: start it with \`npm start\` (in another shell), then run this again`);
  if (!isAlive(running.pid)) throw new Error(`TraceGate on ${home} has stopped (process ${running.pid} is gone): start it with \`npm start\``);
  return running;
}
