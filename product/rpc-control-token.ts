/**
 * `<home>/rpc-control-token`: the bearer token that opens the embedded chain's control methods
 * (evm_mine, evm_setAutomine, …) over JSON-RPC, for local tools of the chain's owner such as
 * `npm run demo`. A new one at every start, readable by the owner only (0600).
 */
import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";

const fileOf = (home: string) => resolve(home, "rpc-control-token");

/** A new token, written owner-only in place of the last one. */
export async function issueControlToken(home: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  // Removed, then created exclusively: a file left by someone else, or with wider permissions, is never reused.
  await rm(fileOf(home), { force: true });
  await writeFile(fileOf(home), `${token}\n`, { mode: 0o600, flag: "wx" });
  return token;
}

/** The running product's token. */
export async function readControlToken(home: string): Promise<string> {
  try {
    return (await readFile(fileOf(home), "utf8")).trim();
  } catch {
    throw new Error(`cannot read the chain's control token ${fileOf(home)}: run this as the user who started TraceGate`);
  }
}
