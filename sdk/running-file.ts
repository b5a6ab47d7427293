/**
 * `<home>/running.json`: where a running TraceGate product can be reached. The product writes it once it
 * serves and removes it when it stops (product/running-file.ts); the CLI and the demo read it here, so
 * there is one reader, and a file left by a killed process is told by its dead pid (`isAlive`).
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { decodeAs, FormatError, fromJson, object, positiveInteger, refined, string } from "../domain/json-shapes.js";
import type { ContractAddresses } from "./evm/chain-reads.js";

export interface RunningProduct {
  pid: number;
  apiUrl: string;
  metricsUrl: string;
  /** The embedded chain, when the product runs one. */
  chain?: { rpcUrl: string; addresses: ContractAddresses };
}

/** The running file is not what the product writes; `field` says where. */
export class RunningFileError extends FormatError {}

const url = refined(string, (value) => /^https?:\/\/\S+$/.test(value), "an http(s) URL");
const runningShape = object(
  { pid: positiveInteger, apiUrl: url, metricsUrl: string },
  { chain: object({ rpcUrl: string, addresses: object({ TraceGateRegistry: string, CustodyRegistry: string }) }) },
);

export function runningFilePath(home: string): string {
  return resolve(home, "running.json");
}

/** What `home`'s running file says (undefined: there is none); the process it names may have died since. */
export function readRunningFile(home: string): RunningProduct | undefined {
  const file = runningFilePath(home);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  return decodeAs(
    (where, path) => new RunningFileError(`${file} is not what \`npm start\` writes (${where})`, path),
    () => fromJson(runningShape, text),
  );
}

/** Whether process `pid` is alive (one of another user's counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
