/** The indexer's command (indexer/main.ts) as a child process, under the project's Node 22 and tsx. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface IndexerProcess {
  child: ChildProcess;
  /** Resolves once the indexer has opened its store and source (its first log line). */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote to stderr. */
  log(): string;
}

export interface IndexerProcessOptions {
  /** Node's own options, before the script (e.g. a module to preload). */
  nodeArgs?: readonly string[];
  /** Its environment: this process's by default. */
  env?: NodeJS.ProcessEnv;
}

export function startIndexer(args: readonly string[], { nodeArgs = [], env = process.env }: IndexerProcessOptions = {}): IndexerProcess {
  const child = spawn(process.execPath, [...nodeArgs, "--disable-warning=ExperimentalWarning", "--import", "tsx", "indexer/main.ts", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(" following ")) resolve();
    });
    child.once("exit", () => reject(new Error(`the indexer exited before it started:\n${stderr}`)));
  });
  ready.catch(() => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, ready, exited, log: () => stderr };
}
