/**
 * The audit API as its own processes over a store (api/main.ts, one worker per core, as in production),
 * asked over HTTP on 127.0.0.1 with a customs auditor's token: latency one request at a time, and
 * throughput under autocannon. Shared by the API benchmark (api.ts) and the national-scale one (scale.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { Agent, request as httpRequest } from "node:http";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { DEV_TOKEN_ISSUER, devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { CSRF_HEADER } from "../../api/yoga.js";

/**
 * Requests before each measurement, of the same kind on other samples: the figures are those of a server
 * that has been answering. A fresh API process and its fresh database connections are slower for their
 * first few thousand requests while V8 optimises the hot paths and each PostgreSQL backend fills its
 * caches: over the 1M PostgreSQL store, a lot history's p50 by 500 requests went 4.8, 3.4, 3.1, 2.4,
 * 2.5, 2.1, 1.9, 1.9, 1.8, 1.7 ms (two runs alike, 2026-12-05): steady from about the 3,500th.
 */
export const WARM_UP_REQUESTS = 4_000;

export interface ApiProbe {
  /** p50 and p99 of `count` GraphQL requests, one at a time, after the warm-up's, unmeasured. */
  latency(name: string, count: number, variables: (index: number) => Record<string, unknown>, query: string): Promise<Record<string, number>>;
  /** The same for GET requests (the EPCIS query interface), `path(index)` from the server's root. */
  getLatency(name: string, count: number, path: (index: number) => string): Promise<Record<string, number>>;
  /** autocannon with 32 connections for 10 s over these GraphQL requests. */
  load(requests: Array<{ query: string; variables: Record<string, unknown> }>): Promise<Record<string, number>>;
  /** Requests answered with an error so far (a figure of a failing query means nothing). */
  readonly failures: number;
  /** The API processes' resident memory, MiB (the primary and its workers). */
  residentMiB(): Promise<number>;
  close(): Promise<void>;
}

/** `customs`: the customs organisation of the store, whose auditor asks; `warmUp` requests before each measurement. */
export async function probeApi(store: string, customs: string, progress: (label: string) => void, warmUp = WARM_UP_REQUESTS): Promise<ApiProbe> {
  const directory = await mkdtemp(join(tmpdir(), "tracegate-bench-api-"));
  const issuer = await devTokenIssuer();
  await writeFile(join(directory, "jwks.json"), JSON.stringify(issuer.jwks));
  const token = await issuer.mint(customs, "AUDITOR");
  const { url, child } = await startApiProcess(store, join(directory, "jwks.json"));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}`, [CSRF_HEADER]: "1" };
  // node:http on one kept-alive connection: fetch's own cost (streams, promises, GC) would otherwise
  // be most of what is timed on this machine, where client and server share the cores.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let failures = 0;
  const timed = async (send: () => Promise<{ status: number; body: string }>, graphql: boolean): Promise<number> => {
    const started = performance.now();
    const { status, body } = await send();
    if (status !== 200 || (graphql && (JSON.parse(body) as { errors?: unknown }).errors !== undefined)) {
      if (failures++ === 0) progress(`a request failed (${status}): ${body.slice(0, 500)}`);
    }
    return performance.now() - started;
  };
  const measure = async (name: string, count: number, once: (index: number) => Promise<number>) => {
    // The warm-up asks for other samples than the measured ones (indexes from `count` on): what it warms is the code, not their rows.
    for (let index = 0; index < warmUp; index++) await once(count + index);
    const times: number[] = [];
    for (let index = 0; index < count; index++) times.push(await once(index));
    times.sort((a, b) => a - b);
    const figures = { [`${name}_p50_ms`]: round(percentile(times, 50)), [`${name}_p99_ms`]: round(percentile(times, 99)) };
    progress(`${name}: ${JSON.stringify(figures)}`);
    return figures;
  };
  return {
    latency: (name, count, variables, query) =>
      measure(name, count, (index) =>
        timed(() => send(agent, "POST", `${url}/graphql`, headers, JSON.stringify({ query, variables: variables(index) })), true),
      ),
    getLatency: (name, count, path) => measure(name, count, (index) => timed(() => send(agent, "GET", `${url}${path(index)}`, headers), false)),
    async load(requests) {
      const result = await autocannon({
        url: `${url}/graphql`,
        method: "POST",
        headers,
        connections: 32,
        duration: 10,
        requests: requests.map(({ query, variables }) => ({ method: "POST", body: JSON.stringify({ query, variables }) })),
      });
      progress(`load: ${Math.round(result.requests.average)} requests/s, ${result.errors} errors, ${result.non2xx} non-2xx`);
      return {
        load_requests_per_s: Math.round(result.requests.average),
        load_p99_ms: result.latency.p99,
        load_errors: result.errors + result.timeouts + result.non2xx,
      };
    },
    get failures() {
      return failures;
    },
    residentMiB: () => residentMiB(child.pid!),
    async close() {
      agent.destroy();
      child.kill("SIGTERM");
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function startApiProcess(store: string, jwks: string): Promise<{ url: string; child: ChildProcess }> {
  const workers = String(availableParallelism());
  const args = ["--disable-warning=ExperimentalWarning", "--import", "tsx", "api/main.ts", "--store", store, "--jwks", jwks];
  const child = spawn(process.execPath, [...args, "--issuer", DEV_TOKEN_ISSUER, "--port", "0", "--workers", workers], {
    stdio: ["ignore", "pipe", "inherit"],
    // The API refuses settings it does not know; the benchmarks' own are not its.
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TRACEGATE_BENCH_"))),
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const found = /on (http:\/\/\S+) /.exec(output);
      if (found) resolve(found[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the API exited (${code}) before it listened:\n${output}`)));
  });
  return { url, child };
}

/** One request on `agent` with node:http (fetch's own streams and promises would be most of what is timed, and outlive their responses). */
export function send(
  agent: Agent,
  method: "GET" | "POST",
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
    const request = httpRequest(url, { method, agent, headers: { ...headers, ...length } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** The resident memory of a process and its children (the API's cluster workers), from /proc. */
async function residentMiB(pid: number): Promise<number> {
  const rssOf = async (id: number) => {
    const status = await readFile(`/proc/${id}/status`, "utf8").catch(() => "");
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  };
  const children = async (id: number): Promise<number[]> => {
    const tasks = await readdir(`/proc/${id}/task`).catch(() => [] as string[]);
    const lists = await Promise.all(tasks.map((task) => readFile(`/proc/${id}/task/${task}/children`, "utf8").catch(() => "")));
    return lists.flatMap((list) =>
      list
        .split(" ")
        .filter((value) => value !== "")
        .map(Number),
    );
  };
  const all = [pid, ...(await children(pid))];
  return Math.round((await Promise.all(all.map(rssOf))).reduce((sum, rss) => sum + rss, 0) / 2 ** 20);
}

export function percentile(sorted: readonly number[], percent: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((percent / 100) * sorted.length) - 1)]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;
