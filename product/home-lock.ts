/**
 * One product per data directory: two would both append to the chain's journal and write the index.
 * `<home>/lock` holds the owner's pid, created exclusively; a lock whose process is gone is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { isAlive } from "../sdk/running-file.js";

export class HomeInUseError extends Error {
  constructor(home: string, pid: number) {
    super(`TraceGate is already running on ${home} (process ${pid}): stop it first, or give this one another TRACEGATE_HOME`);
    this.name = "HomeInUseError";
  }
}

/** Takes the data directory for this process; the returned function gives it back. */
export function lockHome(home: string): () => void {
  const path = resolve(home, "lock");
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx", mode: 0o600 });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = lockOwner(home);
    if (owner !== undefined) throw new HomeInUseError(home, owner);
    rmSync(path, { force: true });
  }
}

/** The live process holding the data directory, if one does. */
export function lockOwner(home: string): number | undefined {
  let owner: number;
  try {
    owner = Number(readFileSync(resolve(home, "lock"), "utf8"));
  } catch {
    return undefined;
  }
  return Number.isInteger(owner) && owner > 0 && isAlive(owner) ? owner : undefined;
}
