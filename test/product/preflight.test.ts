/**
 * Settings that name something unusable are refused before the product makes anything, each problem
 * naming its variable: a data directory that is a file or on a kernel filesystem, an index store that is
 * a directory or an unreachable PostgreSQL, unreadable key files, ports in use, a data directory in use.
 */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HomeInUseError } from "../../product/home-lock.js";
import { checkBeforeStart, POSTGRES_CONNECT_TIMEOUT_MS } from "../../product/preflight.js";
import { ConfigurationError, readProductSettings } from "../../product/settings.js";
import { freePort } from "../../scripts/harness/free-port.js";

let parent: string;
let busy: Server;
let busyPort: number;
const sockets: Socket[] = [];

const FREE_PORTS = { TRACEGATE_PORT: "0", TRACEGATE_METRICS_PORT: "0", TRACEGATE_RPC_PORT: "0" };

async function problemsOf(env: NodeJS.ProcessEnv): Promise<readonly string[]> {
  try {
    await checkBeforeStart(readProductSettings({ TRACEGATE_HOME: join(parent, "home"), ...FREE_PORTS, ...env }, parent));
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), "tracegate-preflight-"));
  // Accepts connections and never answers: a server that is there but not PostgreSQL, or a stuck one.
  busy = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => busy.close(resolve));
  await rm(parent, { recursive: true, force: true });
});

describe("checks before the product starts", () => {
  it("accepts an empty place for a new data directory, and makes nothing there", async () => {
    expect(await problemsOf({})).toEqual([]);
    expect(await readdir(parent)).toEqual([]);
  });

  it("refuses a data directory that is a file, or under one", async () => {
    const file = join(parent, "a-file");
    await writeFile(file, "x");
    expect(await problemsOf({ TRACEGATE_HOME: file })).toEqual([`TRACEGATE_HOME: ${file} is a file, not a directory`]);
    expect(await problemsOf({ TRACEGATE_HOME: join(file, "home") })).toEqual([
      `TRACEGATE_HOME: ${join(file, "home")} is under ${file}, which is a file, not a directory`,
    ]);
    await rm(file);
  });

  it("refuses a data directory on a kernel filesystem at once, where a recursive mkdir hung", async () => {
    for (const home of ["/proc/tracegate", "/proc/self/tracegate", "/sys/tracegate"]) {
      expect(await problemsOf({ TRACEGATE_HOME: home })).toEqual([
        expect.stringMatching(new RegExp(`^TRACEGATE_HOME: ${home} is on the kernel's (proc|sysfs) filesystem`)),
      ]);
    }
  });

  it("refuses an SQLite index that is a directory or on a kernel filesystem", async () => {
    expect(await problemsOf({ TRACEGATE_INDEX_STORE: parent })).toEqual([`TRACEGATE_INDEX_STORE: ${parent} is a directory, not an SQLite file`]);
    expect(await problemsOf({ TRACEGATE_INDEX_STORE: "/proc/index.sqlite" })).toEqual([
      expect.stringMatching(/^TRACEGATE_INDEX_STORE: \/proc\/index.sqlite is on the kernel's proc filesystem/),
    ]);
  });

  it("refuses a PostgreSQL index that refuses connections, without showing its password", async () => {
    const closed = await freePort();
    expect(await problemsOf({ TRACEGATE_INDEX_STORE: `postgres://tg:secret@127.0.0.1:${closed}/tracegate` })).toEqual([
      `TRACEGATE_INDEX_STORE: cannot connect to PostgreSQL at postgres://tg:***@127.0.0.1:${closed}/tracegate: connect ECONNREFUSED 127.0.0.1:${closed}`,
    ]);
  });

  it("gives up on a PostgreSQL index that never answers after the connect timeout", async () => {
    const started = performance.now();
    expect(await problemsOf({ TRACEGATE_INDEX_STORE: `postgres://tg@127.0.0.1:${busyPort}/tracegate` })).toEqual([
      expect.stringMatching(/^TRACEGATE_INDEX_STORE: cannot connect to PostgreSQL at postgres:\/\/tg@127.0.0.1:\d+\/tracegate: .*timeout/i),
    ]);
    expect(performance.now() - started).toBeLessThan(POSTGRES_CONNECT_TIMEOUT_MS + 2_000);
  });

  it("refuses files it would read that cannot be read", async () => {
    const missing = join(parent, "missing.pem");
    expect(await problemsOf({ TRACEGATE_JWKS: missing, TRACEGATE_JWT_ISSUER: "https://idp" })).toEqual([`TRACEGATE_JWKS: cannot read ${missing} (ENOENT)`]);
    const fabric = {
      TRACEGATE_LEDGER: "fabric",
      TRACEGATE_FABRIC_GATEWAY: "127.0.0.1:7051",
      TRACEGATE_FABRIC_MSP_ID: "Org1MSP",
      TRACEGATE_FABRIC_CERT: missing,
      TRACEGATE_FABRIC_KEY: parent,
      TRACEGATE_FABRIC_CHANNEL: "mychannel",
      TRACEGATE_FABRIC_TLS_CA: missing,
    };
    const { TRACEGATE_RPC_PORT: _, ...ports } = FREE_PORTS;
    expect(await problemsOf({ ...fabric, ...ports, TRACEGATE_RPC_PORT: undefined })).toEqual([
      `TRACEGATE_FABRIC_CERT: cannot read ${missing} (ENOENT)`,
      `TRACEGATE_FABRIC_KEY: ${parent} is not a file`,
      `TRACEGATE_FABRIC_TLS_CA: cannot read ${missing} (ENOENT)`,
    ]);
  });

  it("refuses a port in use, naming its variable, and the same port given twice", async () => {
    for (const variable of ["TRACEGATE_PORT", "TRACEGATE_METRICS_PORT", "TRACEGATE_RPC_PORT"]) {
      expect(await problemsOf({ [variable]: String(busyPort) })).toEqual([
        `${variable}: port ${busyPort} on 127.0.0.1 is in use (another TraceGate, or another program): stop it, or choose another port (0: any free port)`,
      ]);
    }
    const port = String(await freePort());
    expect(await problemsOf({ TRACEGATE_PORT: port, TRACEGATE_RPC_PORT: port })).toEqual([
      `TRACEGATE_RPC_PORT is ${port}, the port TRACEGATE_PORT already names: give each its own port`,
    ]);
    expect(await problemsOf({ TRACEGATE_HOST: "192.0.2.1" })).toEqual([]); // port 0 is never probed
    expect(await problemsOf({ TRACEGATE_HOST: "192.0.2.1", TRACEGATE_PORT: port })).toEqual([
      expect.stringMatching(/^TRACEGATE_HOST: cannot listen on 192.0.2.1 port \d+/),
    ]);
  });

  it("refuses a data directory another running product holds, before the ports it holds", async () => {
    const home = join(parent, "held");
    await rm(home, { recursive: true, force: true });
    await import("node:fs/promises").then(({ mkdir }) => mkdir(home));
    await writeFile(join(home, "lock"), String(process.pid));
    await expect(checkBeforeStart(readProductSettings({ TRACEGATE_HOME: home, TRACEGATE_RPC_PORT: String(busyPort) }, parent))).rejects.toThrow(HomeInUseError);
    await rm(home, { recursive: true });
  });
});
