/**
 * The audit API under load, over a large store (scripts/bench/api-store.ts; size from
 * TRACEGATE_BENCH_API_EVENTS, default 200,000 events; cached under bench/). The API runs as its own
 * processes (api/main.ts, one worker per core), as in production; requests go over HTTP on 127.0.0.1
 * with a bearer token.
 * - latency, one request at a time: p50/p99 of a lot's history (first 50 events), lineage to depth 10,
 *   document verification by hash, and a 30-day reconciliation of an enterprise;
 * - throughput: autocannon, 32 connections for 10 s, lot histories and verifications alternating.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { sql } from "kysely";
import { DEV_TOKEN_ISSUER, devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { openStore } from "../../indexer/store/open.js";
import { SECONDS_PER_DAY } from "../../indexer/store/write/balances.js";
import { buildBenchStore } from "./api-store.js";

const DEFAULT_EVENTS = 200_000;
const LATENCY_SAMPLES = 400;
const RECONCILIATION_SAMPLES = 100;

const HISTORY = `query ($id: String!) { lot(id: $id) { id state history(first: 50) { edges { node { kind time actor facility tx documents { id status } } } } } }`;
const LINEAGE = `query ($id: String!) { lot(id: $id) { lineage(direction: BOTH, depth: 10) { nodes { depth lot { id state quantity } } edges { parent child kind quantity } withheld } } }`;
const VERIFY = `query ($hash: String!) { verifyDocument(hash: $hash) { verdict checks { name outcome } anchor { id kind issuer status subjects } } }`;
const RECONCILE = `query ($enterprise: String!, $period: PeriodInput!) { reconciliation(enterprise: $enterprise, period: $period) {
  rows { material book expected consumed consumptionDifference discrepancies { kind amount } } } }`;

interface Samples {
  lots: string[];
  lineageLots: string[];
  documents: string[];
  enterprises: string[];
  period: { from: string; to: string };
  events: number;
  lotCount: number;
}

async function samplesOf(path: string): Promise<Samples> {
  const store = await openStore(path);
  try {
    const { db } = store;
    const count = async (table: "events" | "lots") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<bigint>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const pick = async (query: string) => (await sql<{ id: string }>`${sql.raw(query)}`.execute(db)).rows.map((row) => row.id);
    const last = (await db.selectFrom("events").select("time").orderBy("id", "desc").limit(1).executeTakeFirstOrThrow()).time;
    const to = last - (last % SECONDS_PER_DAY);
    const iso = (time: bigint) => new Date(Number(time) * 1000).toISOString();
    return {
      lots: await pick("select id from lots order by random() limit 500"),
      lineageLots: await pick("select child as id from lineage order by random() limit 500"),
      documents: await pick("select hash as id from documents order by random() limit 500"),
      enterprises: await pick("select id from organisations where kind = 'ENTERPRISE'"),
      period: { from: iso(to - 30n * SECONDS_PER_DAY), to: iso(to) },
      events: await count("events"),
      lotCount: await count("lots"),
    };
  } finally {
    await store.close();
  }
}

async function startApiProcess(store: string, jwks: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      "--disable-warning=ExperimentalWarning",
      "--import",
      "tsx",
      "api/main.ts",
      "--store",
      store,
      "--jwks",
      jwks,
      "--issuer",
      DEV_TOKEN_ISSUER,
      "--port",
      "0",
      "--workers",
      String(availableParallelism()),
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
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

function postJson(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (response) => {
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

export function percentile(sorted: readonly number[], percent: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((percent / 100) * sorted.length) - 1)]!;
}

export async function benchApi(progress: (label: string) => void = () => {}): Promise<Record<string, number>> {
  const events = Number(process.env.TRACEGATE_BENCH_API_EVENTS ?? DEFAULT_EVENTS);
  const storePath = `bench/api-store-${events}.tmp`;
  if (!existsSync(storePath)) {
    progress(`building a store of ${events.toLocaleString("en")} events (cached in ${storePath} afterwards)`);
    const started = performance.now();
    const building = `bench/api-store-${events}-building.tmp`;
    await rm(building, { force: true });
    await buildBenchStore(building, events, 2026, progress);
    await rename(building, storePath);
    progress(`built in ${Math.round((performance.now() - started) / 1000)} s`);
  }
  const samples = await samplesOf(storePath);
  progress(`${samples.events.toLocaleString("en")} events, ${samples.lotCount.toLocaleString("en")} lots`);
  const directory = await mkdtemp(join(tmpdir(), "tracegate-bench-api-"));
  const issuer = await devTokenIssuer();
  await writeFile(join(directory, "jwks.json"), JSON.stringify(issuer.jwks));
  const token = await issuer.mint("CUSTOMS", "AUDITOR");
  const { url, child } = await startApiProcess(storePath, join(directory, "jwks.json"));
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}`, [CSRF_HEADER]: "1" };
  let failures = 0;
  // node:http on one kept-alive connection: fetch's own cost (streams, promises, GC) would otherwise
  // be most of what is timed on this machine, where client and server share the cores.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ask = async (query: string, variables: Record<string, unknown>): Promise<number> => {
    const started = performance.now();
    const { status, body } = await postJson(agent, `${url}/graphql`, headers, JSON.stringify({ query, variables }));
    if (status !== 200 || (JSON.parse(body) as { errors?: unknown }).errors !== undefined) failures++;
    return performance.now() - started;
  };
  const latency = async (name: string, count: number, variables: (index: number) => Record<string, unknown>, query: string) => {
    for (let index = 0; index < 20; index++) await ask(query, variables(index));
    const times: number[] = [];
    for (let index = 0; index < count; index++) times.push(await ask(query, variables(index)));
    times.sort((a, b) => a - b);
    const figures = { [`${name}_p50_ms`]: round(percentile(times, 50)), [`${name}_p99_ms`]: round(percentile(times, 99)) };
    progress(`${name}: ${JSON.stringify(figures)}`);
    return figures;
  };
  const at = <T>(list: readonly T[], index: number) => list[index % list.length]!;
  try {
    const figures = {
      api_store_events: samples.events,
      api_store_lots: samples.lotCount,
      ...(await latency("lot_history", LATENCY_SAMPLES, (i) => ({ id: at(samples.lots, i) }), HISTORY)),
      ...(await latency("lineage_depth_10", LATENCY_SAMPLES, (i) => ({ id: at(samples.lineageLots, i) }), LINEAGE)),
      ...(await latency("verify", LATENCY_SAMPLES, (i) => ({ hash: at(samples.documents, i) }), VERIFY)),
      ...(await latency(
        "reconciliation_30_days",
        RECONCILIATION_SAMPLES,
        (i) => ({ enterprise: at(samples.enterprises, i), period: samples.period }),
        RECONCILE,
      )),
    };
    const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
    const load = await autocannon({
      url: `${url}/graphql`,
      method: "POST",
      headers,
      connections: 32,
      duration: 10,
      requests: samples.lots.slice(0, 50).flatMap((id, i) => [
        { method: "POST", body: body(HISTORY, { id }) },
        { method: "POST", body: body(VERIFY, { hash: at(samples.documents, i) }) },
      ]),
    });
    progress(`load: ${Math.round(load.requests.average)} requests/s, ${load.errors} errors, ${load.non2xx} non-2xx`);
    return {
      ...figures,
      latency_request_failures: failures,
      load_requests_per_s: Math.round(load.requests.average),
      load_p99_ms: load.latency.p99,
      load_errors: load.errors + load.timeouts + load.non2xx,
    };
  } finally {
    agent.destroy();
    child.kill("SIGTERM");
    await rm(directory, { recursive: true, force: true });
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
