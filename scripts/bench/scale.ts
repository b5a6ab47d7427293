/**
 * National scale (`npm run bench -- --scale`): a year of the seeds scenario at 1 and 10 million events
 * (TRACEGATE_BENCH_SCALE_EVENTS, a comma-separated list), ingested by the indexer into PostgreSQL through
 * the LedgerSource interface (scripts/workloads/scenario-ledger.ts: no chain), then the audit API over
 * it as its own processes. SQLite beside it up to TRACEGATE_BENCH_SCALE_SQLITE events (default 1M).
 *
 * Each store is kept under bench/ (scale-<events>-<engine>.tmp, with the ingest figures beside it) so a
 * second run measures the API again without ingesting: the migrations a new version brings are applied
 * when the store opens, as they would be in a deployment. Delete the directory to ingest again.
 * PostgreSQL runs durable (fsync, synchronous commit) with the memory settings docs/scale.md gives.
 */
import { createReadStream, existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { sql } from "kysely";
import { Indexer } from "../../indexer/indexer.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { SECONDS_PER_DAY } from "../../indexer/store/write/balances.js";
import { CUSTOMS } from "../../seeds/registry.js";
import { generateScenario } from "../../seeds/scenario.js";
import { startPostgres } from "../harness/postgres-server.js";
import { ScenarioLedger } from "../workloads/scenario-ledger.js";
import { probeApi } from "./api-probe.js";
import { auditLatencies, HISTORY, LATENCY_SAMPLES, RECONCILE, RECONCILIATION_SAMPLES, samplesOf, VERIFY } from "./api.js";

const DEFAULT_SIZES = [1_000_000, 10_000_000];
const DEFAULT_SQLITE_LIMIT = 1_000_000;
const SEED = 2027;
/** About this many events per indexer batch (one transaction). */
const EVENTS_PER_BATCH = 50_000;
const SLOTS_PER_YEAR = 52_560;

/**
 * The server settings of a store of this size on a 24 GiB machine (docs/scale.md explains them): buffers
 * that hold the whole 10M store, since this machine's kernel pages out file pages left idle for a minute
 * (DAMON), so the OS cache cannot hold what PostgreSQL does not.
 */
export const POSTGRES_SETTINGS = {
  shared_buffers: "16GB",
  // Huge pages when the system has them reserved (vm.nr_hugepages): each server process maps the
  // buffers it touches, and with 4 KiB pages a fresh backend page-faults on every buffer it reads first.
  huge_pages: "try",
  effective_cache_size: "20GB",
  maintenance_work_mem: "1GB",
  work_mem: "64MB",
  max_wal_size: "16GB",
  checkpoint_timeout: "15min",
  wal_compression: "on",
  random_page_cost: "1.1",
};

const FINDINGS = `query { findings(first: 20) { edges { node { id kind severity lot enterprise explanation } } } }`;

/** What some figures measure, for the report (the rest say it in their names). */
export const SCALE_LABELS: Record<string, string> = {
  ingest_events_per_s:
    "the indexer from an empty store to the year's last block (catching up, then the last 10,000 blocks as at the head), generating the events excluded",
  ingest_cpu_ms: "CPU time of the indexer's process during the ingest, the generator's excluded (the database server's own is not counted)",
  generator_ms: "time spent generating the scenario's steps, taken out of the ingest figures",
  store_MiB: "the database's size on disk after the ingest (PostgreSQL: pg_database_size; SQLite: the file after a WAL checkpoint)",
  api_rss_MiB: "resident memory of the API's processes (primary and one worker per core) after the measurements",
};

/** SCALE_LABELS for the figures as benchScale names them (engine and size first). */
export function scaleLabels(figures: Record<string, number>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(figures).flatMap((name) => {
      const label = SCALE_LABELS[name.replace(/^(pg|sqlite)_[^_]+_/, "")];
      return label === undefined ? [] : [[name, label]];
    }),
  );
}

/** The audit queries' p99 targets at every size (issue #18): the same as at 1M, and a year's reconciliation in 2 s. */
export const SCALE_TARGETS_MS: Record<string, number> = {
  lot_history: 10,
  lineage_depth_10: 50,
  verify: 5,
  reconciliation_30_days: 200,
  reconciliation_1_year: 2_000,
};

const LATENCIES: Array<[string, string]> = [
  ["lot_history", "lot history (50 events, their documents)"],
  ["lineage_depth_10", "lineage, depth 10"],
  ["verify", "verify a document by hash"],
  ["reconciliation_30_days", "reconciliation, 30 days"],
  ["reconciliation_1_year", "reconciliation, 1 year"],
  ["findings_first_20", "risk findings, first 20"],
  ["epcis_lot_events", "EPCIS query, one lot's events"],
  ["epcis_day_receiving", "EPCIS query, a day's receiving (100)"],
];

/** The README's scale table: one column per store measured, p50 / p99 for each query against its target. */
export function scaleMarkdown(figures: Record<string, number>): string {
  const stores = Object.keys(figures).flatMap((name) => /^((?:pg|sqlite)_[^_]+)_events$/.exec(name)?.[1] ?? []);
  const title = (store: string) => `${store.startsWith("pg") ? "PostgreSQL" : "SQLite"} ${store.replace(/^[a-z]+_/, "").toUpperCase()}`;
  const number = (value: number | undefined) => (value === undefined ? "—" : value.toLocaleString("en", { maximumFractionDigits: 2 }));
  const row = (label: string, target: string, cell: (store: string) => string) => `| ${label} | ${target} | ${stores.map(cell).join(" | ")} |`;
  const of = (store: string, name: string) => figures[`${store}_${name}`];
  const latency = (name: string) => (store: string) => {
    const [p50, p99] = [of(store, `${name}_p50_ms`), of(store, `${name}_p99_ms`)];
    const over = p99 !== undefined && SCALE_TARGETS_MS[name] !== undefined && p99 > SCALE_TARGETS_MS[name]!;
    return `${number(p50)} / ${over ? `**${number(p99)}** (over)` : number(p99)}`;
  };
  return [
    `| measure | target | ${stores.map(title).join(" | ")} |`,
    `|---|--:|${stores.map(() => "--:").join("|")}|`,
    row("events in the year", "", (store) => number(of(store, "events"))),
    row("ingest, events/s (generation excluded)", "", (store) => number(of(store, "ingest_events_per_s"))),
    row("indexer peak resident memory, MiB", "", (store) => number(of(store, "indexer_peak_rss_MiB"))),
    row("store on disk, MiB per million events", "", (store) => number(of(store, "store_MiB_per_million_events"))),
    ...LATENCIES.map(([name, label]) =>
      row(`${label}, p50 / p99 ms`, SCALE_TARGETS_MS[name] === undefined ? "" : `p99 ≤ ${number(SCALE_TARGETS_MS[name])}`, latency(name)),
    ),
    row("requests/s under load (32 connections), p99 ms", "", (store) => `${number(of(store, "load_requests_per_s"))}, ${number(of(store, "load_p99_ms"))}`),
    row("API resident memory, MiB (3 processes)", "", (store) => number(of(store, "api_rss_MiB"))),
  ].join("\n");
}

type Engine = "postgres" | "sqlite";

interface IngestFigures {
  events: number;
  ingest_events_per_s: number;
  ingest_cpu_ms: number;
  generator_ms: number;
  indexer_peak_rss_MiB: number;
  store_MiB: number;
  store_MiB_per_million_events: number;
}

export async function benchScale(progress: (label: string) => void = () => {}): Promise<Record<string, number>> {
  const sizes = listOf(process.env.TRACEGATE_BENCH_SCALE_EVENTS) ?? DEFAULT_SIZES;
  const sqliteLimit = Number(process.env.TRACEGATE_BENCH_SCALE_SQLITE ?? DEFAULT_SQLITE_LIMIT);
  const figures: Record<string, number> = {};
  for (const events of sizes) {
    for (const engine of ["postgres", "sqlite"] as const) {
      if (engine === "sqlite" && events > sqliteLimit) continue;
      const prefix = `${engine === "postgres" ? "pg" : "sqlite"}_${millions(events)}`;
      const measured = await measureSize(events, engine, (label) => progress(`${prefix}: ${label}`));
      for (const [name, value] of Object.entries(measured)) figures[`${prefix}_${name}`] = value;
    }
  }
  return figures;
}

async function measureSize(events: number, engine: Engine, progress: (label: string) => void): Promise<Record<string, number>> {
  const directory = `bench/scale-${events}-${engine}.tmp`;
  await mkdir(directory, { recursive: true });
  const postgres = engine === "postgres" ? await startPostgres({ durable: true, directory, settings: POSTGRES_SETTINGS }) : undefined;
  try {
    const url = postgres?.url ?? `${directory}/index.sqlite`;
    const ingest = await ingestOnce(url, events, directory, progress);
    if (postgres !== undefined) await prewarm(url, progress);
    else await readThrough(url, progress);
    return { ...ingest, ...(await measureApi(url, progress)) };
  } finally {
    await postgres?.stop();
  }
}

/** Ingests the scenario unless this directory already holds it; the figures of the ingest that made it either way. */
async function ingestOnce(url: string, events: number, directory: string, progress: (label: string) => void): Promise<IngestFigures> {
  const saved = `${directory}/ingest.json`;
  if (existsSync(saved)) {
    progress(`reusing the store ingested earlier (${saved}; delete ${directory} to ingest again)`);
    return JSON.parse(await readFile(saved, "utf8")) as IngestFigures;
  }
  if (url.endsWith(".sqlite")) await rm(url, { force: true });
  const store = await openStore(url);
  try {
    const figures = await ingest(store, events, progress);
    await writeFile(saved, `${JSON.stringify(figures, null, 2)}\n`);
    return figures;
  } finally {
    await store.close();
  }
}

async function ingest(store: Store, events: number, progress: (label: string) => void): Promise<IngestFigures> {
  const scenario = generateScenario({ seed: SEED, events });
  const source = new ScenarioLedger(scenario);
  const batchBlocks = Math.max(10, Math.ceil((EVENTS_PER_BATCH * SLOTS_PER_YEAR) / events));
  let written = 0;
  let reported = 0;
  let peakRss = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const indexer = await Indexer.open(
    store,
    source,
    { finality: 0, batchBlocks, pollMs: 0 },
    {
      committed: ({ events: applied, to, head }) => {
        written += applied;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (written - reported >= events / 20) {
          reported = written;
          const seconds = (performance.now() - started) / 1000;
          progress(`${written.toLocaleString("en")} events (block ${to.number} of ${head.number}) in ${Math.round(seconds)} s`);
        }
      },
      rolledBack: () => {
        throw new Error("the scenario ledger never reorganises");
      },
      failed: (error) => {
        throw error;
      },
    },
  );
  await indexer.run({ untilHead: true });
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  const storeBytes = await sizeOf(store);
  const figures: IngestFigures = {
    events: written,
    ingest_events_per_s: Math.round((written * 1000) / (wallMs - source.generatingMs)),
    ingest_cpu_ms: Math.round((user + system) / 1000 - source.generatingMs),
    generator_ms: Math.round(source.generatingMs),
    indexer_peak_rss_MiB: Math.round(peakRss / 2 ** 20),
    store_MiB: Math.round(storeBytes / 2 ** 20),
    store_MiB_per_million_events: Math.round((storeBytes / 2 ** 20) * (1_000_000 / written)),
  };
  progress(`ingested: ${JSON.stringify(figures)}`);
  return figures;
}

/** The store's tables and indexes (`c`), what the cache is warmed with. */
const STORE_RELATIONS = sql`pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'i')`;

/**
 * Brings the store to the state of a server that has been answering for a while: the ingest's dirty
 * pages written out (CHECKPOINT: after a fresh ingest, and the VACUUM that ends it, the server would
 * otherwise write gigabytes while the API is measured), then the tables and indexes read into the
 * operating system's cache, and into PostgreSQL's own buffers as much as they hold, indexes first
 * (pg_prewarm): a kept store's server has just started. Without the reads the figures would be those of
 * its first minutes, every read from disk; without the buffers, every page a request reads costs a
 * system call into the OS cache (a lot history's SQL, p50 1.15-1.76 ms against 0.47-0.80 ms from
 * shared buffers, over the 1M store, measured by a throwaway pg client).
 */
async function prewarm(url: string, progress: (label: string) => void): Promise<void> {
  const store = await openStore(url);
  try {
    const started = performance.now();
    await sql`checkpoint`.execute(store.db);
    await sql`create extension if not exists pg_prewarm`.execute(store.db);
    const { rows } = await sql<{ blocks: string }>`select coalesce(sum(pg_prewarm(c.oid, 'read')), 0) as blocks from ${STORE_RELATIONS}`.execute(store.db);
    // Only what fits in nine tenths of shared_buffers: more would evict what was loaded before it.
    const buffered = await sql<{ blocks: string }>`with relations as (
        select c.oid, sum(pg_relation_size(c.oid)) over (order by c.relkind, pg_relation_size(c.oid) desc, c.oid) as upto
        from ${STORE_RELATIONS})
      select coalesce(sum(pg_prewarm(oid, 'buffer')), 0) as blocks from relations
      where upto <= (select setting::bigint * 8192 * 9 / 10 from pg_settings where name = 'shared_buffers')`.execute(store.db);
    const mib = (blocks: string) => Math.round((Number(blocks) * 8) / 1024).toLocaleString("en");
    progress(
      `cache warmed: ${mib(rows[0]!.blocks)} MiB read, ${mib(buffered.rows[0]!.blocks)} MiB of it into shared buffers, in ${Math.round((performance.now() - started) / 1000)} s; ${await hugePagesInUse()}`,
    );
  } finally {
    await store.close();
  }
}

/** What the system's huge pages hold (Linux), for the report: the buffers are in them or not. */
async function hugePagesInUse(): Promise<string> {
  const meminfo = await readFile("/proc/meminfo", "utf8").catch(() => "");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(meminfo)?.[1] ?? 0);
  const used = (field("HugePages_Total") - field("HugePages_Free")) * field("Hugepagesize");
  return used > 0 ? `${Math.round(used / 1024).toLocaleString("en")} MiB in huge pages` : "no huge pages (none reserved: vm.nr_hugepages)";
}

/**
 * Reads an SQLite store's file once, into the operating system's cache, as the PostgreSQL stores are
 * warmed: without it the SQLite figures depended on what the runs before had left in that cache (over
 * the 1M store, lot history p50/p99 5.6/21 ms after the 10M PostgreSQL run, 2.1-2.9/5.8-8.3 warm).
 */
async function readThrough(path: string, progress: (label: string) => void): Promise<void> {
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) bytes += (chunk as Buffer).length;
  progress(`cache warmed: ${Math.round(bytes / 2 ** 20).toLocaleString("en")} MiB read in ${Math.round((performance.now() - started) / 1000)} s`);
}

async function sizeOf(store: Store): Promise<number> {
  if (store.engine === "postgres") {
    const { rows } = await sql<{ bytes: string }>`select pg_database_size(current_database()) as bytes`.execute(store.db);
    return Number(rows[0]!.bytes);
  }
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
  const { rows } = await sql<{ bytes: number }>`select page_count * page_size as bytes from pragma_page_count(), pragma_page_size()`.execute(store.db);
  return Number(rows[0]!.bytes);
}

async function measureApi(url: string, progress: (label: string) => void): Promise<Record<string, number>> {
  const samples = await samplesOf(url);
  const year = await yearOf(url);
  progress(`${samples.events.toLocaleString("en")} events, ${samples.lotCount.toLocaleString("en")} lots; asking the API`);
  const api = await probeApi(url, CUSTOMS, progress);
  const at = <T>(list: readonly T[], index: number) => list[index % list.length]!;
  const day = (index: number) => {
    const from = year.from + BigInt(index % 360) * SECONDS_PER_DAY;
    return `GE_eventTime=${iso(from)}&LT_eventTime=${iso(from + SECONDS_PER_DAY)}`;
  };
  try {
    const figures = {
      ...(await auditLatencies(api, samples)),
      ...(await api.latency(
        "reconciliation_1_year",
        RECONCILIATION_SAMPLES,
        (i) => ({ enterprise: at(samples.enterprises, i), period: { from: iso(year.from), to: iso(year.to) } }),
        RECONCILE,
      )),
      ...(await api.latency("findings_first_20", RECONCILIATION_SAMPLES, () => ({}), FINDINGS)),
      ...(await api.getLatency("epcis_lot_events", LATENCY_SAMPLES, (i) => `/epcis/events?MATCH_anyEPCClass=urn:tracegate:lot:${at(samples.lots, i)}`)),
      ...(await api.getLatency("epcis_day_receiving", RECONCILIATION_SAMPLES, (i) => `/epcis/events?EQ_bizStep=receiving&${day(i)}&perPage=100`)),
    };
    const load = await api.load(
      samples.lots.slice(0, 50).flatMap((id, i) => [
        { query: HISTORY, variables: { id } },
        { query: VERIFY, variables: { hash: at(samples.documents, i) } },
      ]),
    );
    const memory = { api_rss_MiB: await api.residentMiB() };
    if (api.failures > 0) throw new Error(`${api.failures} requests failed: the figures would mean nothing`);
    return { store_lots: samples.lotCount, ...figures, ...load, ...memory };
  } finally {
    await api.close();
  }
}

/** The scenario's year: from its first event's day to a year later. */
async function yearOf(url: string): Promise<{ from: bigint; to: bigint }> {
  const store = await openStore(url);
  try {
    const first = await store.db
      .selectFrom("events")
      .select("time")
      .where("kind", "not in", ["organisationRegistered", "facilityRegistered", "memberRegistered"])
      .orderBy("id")
      .limit(1)
      .executeTakeFirstOrThrow();
    const from = first.time - (first.time % SECONDS_PER_DAY);
    return { from, to: from + 365n * SECONDS_PER_DAY };
  } finally {
    await store.close();
  }
}

const iso = (time: bigint) => new Date(Number(time) * 1000).toISOString();

function millions(events: number): string {
  return events % 1_000_000 === 0 ? `${events / 1_000_000}m` : `${events}`;
}

function listOf(value: string | undefined): number[] | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const sizes = value.split(",").map((part) => Number(part.replaceAll("_", "").trim()));
  if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1)) throw new RangeError(`TRACEGATE_BENCH_SCALE_EVENTS takes whole numbers, not ${value}`);
  return sizes;
}
