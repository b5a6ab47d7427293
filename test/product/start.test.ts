/**
 * `npm start` as a user runs it (product/start.ts in a child process): a configuration it cannot use
 * exits 2 naming the variable and leaves no data directory behind (no chain, no journal, no index),
 * a port conflict included; a start that succeeds keeps every file it makes owner-only.
 */
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let parent: string;
let busy: Server;
let busyPort: number;

interface Run {
  code: number | string | null;
  stderr: string;
}

/** Runs `npm start` until it exits, or until it serves (then stops it with SIGINT). */
function start(env: NodeJS.ProcessEnv): Promise<Run & { served: boolean }> {
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "product/start.ts"], {
    env: { PATH: process.env.PATH, TRACEGATE_PORT: "0", TRACEGATE_METRICS_PORT: "0", TRACEGATE_RPC_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let served = false;
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on("data", (chunk: Buffer) => {
    if (!served && chunk.toString().includes("TraceGate is running")) {
      served = true;
      child.kill("SIGINT");
    }
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code: code ?? signal, stderr, served })));
}

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), "tracegate-start-"));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  await rm(parent, { recursive: true, force: true });
});

describe("npm start", () => {
  const refusals: Array<[string, (home: string) => NodeJS.ProcessEnv, RegExp]> = [
    ["a finality that is not a number", () => ({ TRACEGATE_FINALITY: "abc" }), /TRACEGATE_FINALITY must be a whole number of blocks, not "abc"/],
    [
      "a misspelt variable",
      () => ({ TRACEGATE_METRICS_PROT: "9999" }),
      /TRACEGATE_METRICS_PROT is not a TraceGate setting: did you mean TRACEGATE_METRICS_PORT\?/,
    ],
    [
      "a PostgreSQL index that refuses connections",
      () => ({ TRACEGATE_INDEX_STORE: "postgres://tg@127.0.0.1:1/tracegate" }),
      /TRACEGATE_INDEX_STORE: cannot connect to PostgreSQL/,
    ],
    ["the chain's JSON-RPC port in use", () => ({ TRACEGATE_RPC_PORT: String(busyPort) }), /TRACEGATE_RPC_PORT: port \d+ on 127.0.0.1 is in use/],
    ["the API's port in use", () => ({ TRACEGATE_PORT: String(busyPort) }), /TRACEGATE_PORT: port \d+ on 127.0.0.1 is in use/],
    ["the metrics port in use", () => ({ TRACEGATE_METRICS_PORT: String(busyPort) }), /TRACEGATE_METRICS_PORT: port \d+ on 127.0.0.1 is in use/],
  ];
  for (const [index, [what, env, message]] of refusals.entries()) {
    it.concurrent(`refuses ${what} with exit 2, creating nothing`, async () => {
      const home = join(parent, `home-${index}`);
      const run = await start({ TRACEGATE_HOME: home, ...env(home) });
      expect(run.stderr).toMatch(message);
      expect(run.code).toBe(2);
      await expect(stat(home)).rejects.toThrow(/ENOENT/);
    });
  }

  it("refuses a data directory that is a file, or on /proc, at once with exit 2", async () => {
    const file = join(parent, "a-file");
    await writeFile(file, "x");
    const onFile = await start({ TRACEGATE_HOME: file });
    expect([onFile.code, onFile.stderr]).toEqual([2, expect.stringContaining(`TRACEGATE_HOME: ${file} is a file, not a directory`)]);
    const onProc = await start({ TRACEGATE_HOME: "/proc/tracegate" });
    expect([onProc.code, onProc.stderr]).toEqual([2, expect.stringContaining("TRACEGATE_HOME: /proc/tracegate is on the kernel's proc filesystem")]);
    await rm(file);
  });

  it("keeps every file it makes for its owner: files 0600, directories 0700, an older open data directory closed", async () => {
    const home = join(parent, "private");
    await mkdir(home);
    await chmod(home, 0o755);
    const run = await start({ TRACEGATE_HOME: home });
    expect([run.served, run.code, run.stderr]).toEqual([true, 0, expect.stringContaining("stopped")]);
    const modes: string[] = [];
    const walk = async (directory: string): Promise<void> => {
      modes.push(`${directory.slice(parent.length)} ${((await stat(directory)).mode & 0o777).toString(8)}`);
      for (const entry of await readdir(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) await walk(path);
        else modes.push(`${path.slice(parent.length)} ${((await stat(path)).mode & 0o777).toString(8)}`);
      }
    };
    await walk(home);
    expect(modes.length).toBeGreaterThan(8); // index, journal, network file, keys, token key, documents
    expect(modes.filter((line) => !/ (600|700)$/.test(line))).toEqual([]);
  });
});
