/**
 * The audit API under load, over a large store (scripts/bench/api-store.ts; size from
 * TRACEGATE_BENCH_API_EVENTS, default 200,000 events; cached under bench/). The API runs as its own
 * processes (api/main.ts, one worker per core), as in production; requests go over HTTP on 127.0.0.1
 * with a bearer token.
 * - latency, one request at a time: p50/p99 of a lot's history (first 50 events), lineage to depth 10,
 *   document verification by hash, and a 30-day reconciliation of an enterprise;
 * - throughput: autocannon, 32 connections for 10 s, lot histories and verifications alternating.
 */
import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { sql } from "kysely";
import { openStore } from "../../indexer/store/open.js";
import { SECONDS_PER_DAY } from "../../indexer/store/write/balances.js";
import { probeApi, WARM_UP_REQUESTS, type ApiProbe } from "./api-probe.js";
import { buildBenchStore } from "./api-store.js";

const DEFAULT_EVENTS = 200_000;
/** One request in a hundred makes a p99: a thousand make it the tenth slowest, not the fourth. */
export const LATENCY_SAMPLES = 1_000;
export const RECONCILIATION_SAMPLES = 100;
/** Lots, lineages and documents picked at random: those measured, then others to warm up on (api-probe.ts). */
const SAMPLES = LATENCY_SAMPLES + WARM_UP_REQUESTS;

export const HISTORY = `query ($id: String!) { lot(id: $id) { id state history(first: 50) { edges { node { kind time actor facility tx documents { id status } } } } } }`;
export const LINEAGE = `query ($id: String!) { lot(id: $id) { lineage(direction: BOTH, depth: 10) { nodes { depth lot { id state quantity } } edges { parent child kind quantity } withheld } } }`;
export const VERIFY = `query ($hash: String!) { verifyDocument(hash: $hash) { verdict checks { name outcome } anchor { id kind issuer status subjects } } }`;
export const RECONCILE = `query ($enterprise: String!, $period: PeriodInput!) { reconciliation(enterprise: $enterprise, period: $period) {
  rows { material book expected consumed consumptionDifference discrepancies { kind amount } } } }`;

/** The audit queries every API benchmark times: a lot's history, lineage, verification, a 30-day reconciliation. */
export async function auditLatencies(api: ApiProbe, samples: Samples): Promise<Record<string, number>> {
  const at = <T>(list: readonly T[], index: number) => list[index % list.length]!;
  return {
    ...(await api.latency("lot_history", LATENCY_SAMPLES, (i) => ({ id: at(samples.lots, i) }), HISTORY)),
    ...(await api.latency("lineage_depth_10", LATENCY_SAMPLES, (i) => ({ id: at(samples.lineageLots, i) }), LINEAGE)),
    ...(await api.latency("verify", LATENCY_SAMPLES, (i) => ({ hash: at(samples.documents, i) }), VERIFY)),
    ...(await api.latency(
      "reconciliation_30_days",
      RECONCILIATION_SAMPLES,
      (i) => ({ enterprise: at(samples.enterprises, i), period: samples.period }),
      RECONCILE,
    )),
  };
}

export interface Samples {
  lots: string[];
  lineageLots: string[];
  documents: string[];
  enterprises: string[];
  period: { from: string; to: string };
  events: number;
  lotCount: number;
}

export async function samplesOf(path: string): Promise<Samples> {
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
      lots: await pick(`select id from lots order by random() limit ${SAMPLES}`),
      lineageLots: await pick(`select child as id from lineage order by random() limit ${SAMPLES}`),
      documents: await pick(`select hash as id from documents order by random() limit ${SAMPLES}`),
      enterprises: await pick("select id from organisations where kind = 'ENTERPRISE'"),
      period: { from: iso(to - 30n * SECONDS_PER_DAY), to: iso(to) },
      events: await count("events"),
      lotCount: await count("lots"),
    };
  } finally {
    await store.close();
  }
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
  const api = await probeApi(storePath, "CUSTOMS", progress);
  const at = <T>(list: readonly T[], index: number) => list[index % list.length]!;
  try {
    const figures = { api_store_events: samples.events, api_store_lots: samples.lotCount, ...(await auditLatencies(api, samples)) };
    const load = await api.load(
      samples.lots.slice(0, 50).flatMap((id, i) => [
        { query: HISTORY, variables: { id } },
        { query: VERIFY, variables: { hash: at(samples.documents, i) } },
      ]),
    );
    return { ...figures, latency_request_failures: api.failures, ...load };
  } finally {
    await api.close();
  }
}
