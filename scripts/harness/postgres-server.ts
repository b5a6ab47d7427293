/**
 * A real PostgreSQL server for tests: initdb into a temporary directory and pg_ctl start on
 * 127.0.0.1 (about 2 s), stopped and deleted afterwards; or a streaming replica of one. PostgreSQL refuses to run as root: as root,
 * the server runs as the `postgres` user (which the Debian package creates) or else `nobody`.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);
const DEBIAN_BINARIES = "/usr/lib/postgresql";

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory. */
function binaries(): string {
  const versions = existsSync(DEBIAN_BINARIES) ? readdirSync(DEBIAN_BINARIES).filter((v) => existsSync(join(DEBIAN_BINARIES, v, "bin", "initdb"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error(`no PostgreSQL server under ${DEBIAN_BINARIES}: apt-get install postgresql`);
  return join(DEBIAN_BINARIES, newest, "bin");
}

/** The user the server runs as, when this process is root. */
async function serverUser(): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    try {
      const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
      return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as");
}

export interface PostgresOptions {
  /** PostgreSQL's default fsync and commit settings (for benchmarks); tests run without fsync. */
  durable?: boolean;
  /** Keep the cluster here and reuse it when it exists (a benchmark's store); default: a temporary one, deleted when stopped. */
  directory?: string;
  /** More server settings (`-c name=value`), e.g. the memory a large store is given. */
  settings?: Readonly<Record<string, string>>;
  /** A read-only streaming replica of this server (hot standby), copied from it by pg_basebackup. */
  replicaOf?: PostgresServer;
}

export async function startPostgres({ durable = false, directory: kept, settings: more = {}, replicaOf }: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = binaries();
  const user = await serverUser();
  const directory = kept === undefined ? await mkdtemp(join(tmpdir(), "tracegate-pg-")) : resolve(kept);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  if (user !== undefined) await chown(directory, user.uid, user.gid);
  const as = (command: string, args: string[]) =>
    user === undefined ? run(join(bin, command), args) : run("runuser", ["-u", user.name, "--", join(bin, command), ...args]);
  const data = join(directory, "data");
  const port = await freePort();
  if (!existsSync(join(data, "PG_VERSION"))) {
    if (replicaOf === undefined) await as("initdb", ["-D", data, "-U", "tracegate", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    else {
      // -R writes the standby's connection to the primary; -X stream copies the WAL made meanwhile.
      const primary = new URL(replicaOf.url);
      await as("pg_basebackup", ["-h", primary.hostname, "-p", primary.port, "-U", primary.username, "-D", data, "-R", "-X", "stream", "--no-sync"]);
    }
  }
  // Sockets in the cluster's directory, TCP on loopback only.
  const fast = durable ? {} : { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };
  const options = Object.entries({ listen_addresses: "127.0.0.1", ...fast, ...more }).map(([name, value]) => `-c ${name}=${value}`);
  await as("pg_ctl", ["-D", data, "-o", [`-p ${port}`, `-k ${directory}`, ...options].join(" "), "-l", join(directory, "server.log"), "-w", "start"]);
  return {
    url: `postgres://tracegate@127.0.0.1:${port}/postgres`,
    async stop() {
      if (kept !== undefined) {
        await as("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
        return;
      }
      await as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      await rm(directory, { recursive: true, force: true });
    },
  };
}
