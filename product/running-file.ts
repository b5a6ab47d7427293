/**
 * `<home>/running.json`: where a running product can be reached, for `npm run demo` and other local
 * tools. Written once the product serves, removed when it stops; a file left by a killed process is
 * recognised by its dead pid.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ContractAddresses } from "../sdk/evm/chain-reads.js";
import { isAlive } from "./home-lock.js";

export interface RunningProduct {
  pid: number;
  apiUrl: string;
  metricsUrl: string;
  /** The embedded chain, when the product runs one. */
  chain?: { rpcUrl: string; addresses: ContractAddresses };
}

const fileOf = (home: string) => resolve(home, "running.json");

export async function writeRunningFile(home: string, running: RunningProduct): Promise<void> {
  await writeFile(fileOf(home), `${JSON.stringify(running, null, 2)}\n`, { mode: 0o600 });
}

export async function removeRunningFile(home: string): Promise<void> {
  await rm(fileOf(home), { force: true });
}

/** The product running on `home`, or an error saying how to start it. */
export async function findRunningProduct(home: string): Promise<RunningProduct> {
  let running: RunningProduct;
  try {
    running = JSON.parse(await readFile(fileOf(home), "utf8")) as RunningProduct;
  } catch {
    throw new Error(`TraceGate is not running on ${home}: start it with \`npm start\` (in another shell), then run this again`);
  }
  if (!isAlive(running.pid)) throw new Error(`TraceGate on ${home} has stopped (process ${running.pid} is gone): start it with \`npm start\``);
  return running;
}
