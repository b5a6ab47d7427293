/**
 * What the settings name must be usable before the product makes anything: the data directory and an
 * SQLite index on a disk, a PostgreSQL index reachable, the files named readable, a Kubo node answering,
 * the ports free. A start that would fail on any of them is refused here, each problem naming its
 * variable (ConfigurationError, exit 2), before a directory, chain, journal or index exists.
 */
import { constants } from "node:fs";
import { access, stat, statfs } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, relative, resolve, sep } from "node:path";
import { HomeInUseError, lockOwner } from "./home-lock.js";
import { ConfigurationError, type ProductSettings } from "./settings.js";

/** statfs types of the kernel's virtual filesystems: they hold no data, and some hang a recursive mkdir. */
const KERNEL_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x1cd1, "devpts"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0xcafe4a11, "bpf"],
]);

/** How long PostgreSQL has to accept a connection before the start is refused. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

export async function checkBeforeStart(settings: ProductSettings): Promise<void> {
  const owner = lockOwner(settings.home);
  if (owner !== undefined) throw new HomeInUseError(settings.home, owner);
  const problems: string[] = [];
  const note = (problem: string | undefined) => {
    if (problem !== undefined) problems.push(problem);
  };

  const homeProblem = await directoryProblem("TRACEGATE_HOME", settings.home);
  note(homeProblem);
  const store = settings.indexStore;
  if (/^postgres(ql)?:\/\//i.test(store)) note(await postgresProblem(store));
  else if (homeProblem === undefined || !isInside(settings.home, store)) note(await fileProblem("TRACEGATE_INDEX_STORE", store.replace(/^sqlite:/, "")));

  if (settings.tokens.kind === "trusted-keys") note(await readableProblem("TRACEGATE_JWKS", settings.tokens.jwksFile));
  const { ledger } = settings;
  if (ledger.kind === "external" && ledger.source.ledger === "fabric") {
    const { certPath, keyPath, tls } = ledger.source;
    note(await readableProblem("TRACEGATE_FABRIC_CERT", certPath));
    note(await readableProblem("TRACEGATE_FABRIC_KEY", keyPath));
    if (tls !== "plaintext") note(await readableProblem("TRACEGATE_FABRIC_TLS_CA", tls.caCertPath));
  }
  if (settings.documents.kind === "kubo") {
    const { probeKubo } = await import("./documents.js");
    note(
      await probeKubo(settings.documents.url).then(
        () => undefined,
        (error: Error) => error.message,
      ),
    );
  }

  const ports: Array<{ variable: string; host: string; port: number }> = [
    { variable: "TRACEGATE_PORT", host: settings.host, port: settings.apiPort },
    { variable: "TRACEGATE_METRICS_PORT", host: "127.0.0.1", port: settings.metricsPort },
  ];
  if (ledger.kind === "embedded") ports.push({ variable: "TRACEGATE_RPC_PORT", host: ledger.rpcHost, port: ledger.rpcPort });
  const taken = new Map<number, string>();
  for (const { variable, host, port } of ports) {
    if (port === 0) continue;
    const before = taken.get(port);
    if (before !== undefined) note(`${variable} is ${port}, the port ${before} already names: give each its own port`);
    else note(await portProblem(variable, host, port));
    taken.set(port, variable);
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
}

/** Whether `path` is `directory` or inside it. */
function isInside(directory: string, path: string): boolean {
  const rest = relative(directory, resolve(path));
  return rest === "" || (!rest.startsWith(`..${sep}`) && rest !== ".." && !rest.startsWith(sep));
}

/** Why `path` cannot be (or become) a data directory, if it cannot. */
async function directoryProblem(variable: string, path: string): Promise<string | undefined> {
  const found = await stat(path).catch(() => undefined);
  if (found !== undefined && !found.isDirectory()) return `${variable}: ${path} is a file, not a directory`;
  return storageProblem(variable, path);
}

/** Why `path` cannot be (or become) a data file, if it cannot. */
async function fileProblem(variable: string, path: string): Promise<string | undefined> {
  const found = await stat(path).catch(() => undefined);
  if (found?.isDirectory() === true) return `${variable}: ${path} is a directory, not an SQLite file`;
  return storageProblem(variable, path, dirname(path));
}

/** The nearest existing directory at or above `directory` must be a writable directory on real storage. */
async function storageProblem(variable: string, path: string, directory = path): Promise<string | undefined> {
  let existing = resolve(directory);
  let found = await stat(existing).catch(() => undefined);
  while (found === undefined && dirname(existing) !== existing) {
    existing = dirname(existing);
    found = await stat(existing).catch(() => undefined);
  }
  if (found === undefined) return `${variable}: no part of ${path} exists`;
  if (!found.isDirectory()) return `${variable}: ${path} is under ${existing}, which is a file, not a directory`;
  const kernel = KERNEL_FILESYSTEMS.get(Number((await statfs(existing)).type));
  if (kernel !== undefined) return `${variable}: ${path} is on the kernel's ${kernel} filesystem, which stores nothing: choose a directory on a disk`;
  try {
    await access(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    return `${variable}: ${path} cannot be written (${(error as NodeJS.ErrnoException).code} on ${existing})`;
  }
  return undefined;
}

async function readableProblem(variable: string, path: string): Promise<string | undefined> {
  try {
    await access(path, constants.R_OK);
    if (!(await stat(path)).isFile()) return `${variable}: ${path} is not a file`;
    return undefined;
  } catch (error) {
    return `${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`;
  }
}

async function postgresProblem(url: string): Promise<string | undefined> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS });
  // A connection that fails later (the server going away) reports here rather than crashing the process.
  client.on("error", () => undefined);
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return `TRACEGATE_INDEX_STORE: cannot connect to PostgreSQL at ${withoutPassword(url)}: ${describe(error)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the URL given";
  }
}

/** Listens on the port for a moment: the product's servers will listen there once the ledger and index are open. */
async function portProblem(variable: string, host: string, port: number): Promise<string | undefined> {
  const server = createServer();
  try {
    await new Promise<void>((done, fail) => server.once("error", fail).listen({ port, host, exclusive: true }, done));
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      return `${variable}: port ${port} on ${host} is in use (another TraceGate, or another program): stop it, or choose another port (0: any free port)`;
    if (code === "EACCES") return `${variable}: port ${port} on ${host} needs privileges this process lacks: choose a port above 1023`;
    return `TRACEGATE_HOST: cannot listen on ${host} port ${port} (${describe(error)}): use an address of this machine, such as 127.0.0.1`;
  } finally {
    await new Promise((done) => server.close(done));
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describe).join("; ");
  const { code, message } = error as { code?: string; message?: string };
  return message === undefined || message === "" ? String(code ?? error) : message;
}
