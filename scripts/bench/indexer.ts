/**
 * Indexer throughput on a real chain of 200,000 TraceGate events: the trade workload sent to the
 * in-process EVM (one transaction per action, about 4 minutes), recorded once and cached under
 * bench/indexer-chain-200000.tmp. Measured from that recording:
 * - decode: logs to domain events (the SDK's ethers codec), events/s;
 * - store ingest per engine: the decoded events written in batches of 10,000 blocks (one transaction
 *   each, checkpoint included), events/s, and the store's size afterwards; PostgreSQL with its default
 *   durability (fsync on, synchronous commit), SQLite in WAL with synchronous=NORMAL;
 * - the indexer into SQLite, four ways, each labelled (INDEXER_LABELS): reading the recording through
 *   an EIP-1193 provider in its own process (no network); over HTTP from a real JSON-RPC server on
 *   127.0.0.1 serving the recording (the ledger cache on, as by default); rebuilding the store from that
 *   cache (the node asked for no log; the median of three rebuilds); and from a Fabric channel through
 *   the gateway stand-in (fabric-ingest.ts). And the cache read alone, with no store: what bounds a
 *   cached rebuild besides the store's own writes.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import type { ChainEvent } from "../../indexer/events.js";
import { Indexer } from "../../indexer/indexer.js";
import { withLedgerCache } from "../../indexer/sources/cache/cached-source.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import type { LedgerSource } from "../../indexer/sources/source.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";
import { httpBatchRpc, providerBatchRpc } from "../../sdk/evm/batch-rpc.js";
import { CATCH_UP_BLOCKS, catchesUp } from "../../indexer/store/catch-up.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch } from "../../indexer/store/commit.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { TABLE_KEYS } from "../../indexer/store/schema.js";
import { startPostgres } from "../harness/postgres-server.js";
import { percentile } from "./api-probe.js";
import { benchFabricIngest } from "./fabric-ingest.js";
import { startLoopbackNode } from "./loopback-node.js";
import { loadChain, recordChain, recordedChainProvider, saveChain, type RecordedChain } from "../workloads/recorded-chain.js";
import { tradeChainWith } from "../workloads/trade-chain.js";

const ACTIONS = 200_000;
/** Cached rebuilds measured, of which the median is the figure. */
const REBUILDS = 3;
const CACHE = `bench/indexer-chain-${ACTIONS}.tmp`;
const BATCH_BLOCKS = 10_000n;
/** As `npm run indexer` runs by default on an EVM chain. */
const INDEXER_OPTIONS = { finality: 12, batchBlocks: Number(BATCH_BLOCKS), pollMs: 10 };

/** What each of the indexer's figures measures, for the report. */
export const INDEXER_LABELS: Record<string, string> = {
  indexer_sqlite_ingest_cpu_ms:
    "CPU time of the process (user + system) during the SQLite ingest of the decoded events: comparable across runs under other load, where events/s is not",
  indexer_sqlite_catch_up_ingest_events_per_s:
    "the same SQLite ingest written catching up (store/catch-up.ts): the API's indexes and the findings made once, 10,000 blocks before the head, that last step timed too",
  indexer_sqlite_catch_up_ingest_cpu_ms: "CPU time of the process during that catching-up ingest",
  indexer_postgres_catch_up_ingest_events_per_s: "the PostgreSQL ingest written catching up, as above",
  indexer_in_process_events_per_s:
    "the indexer into SQLite, reading the recording through a provider in its own process: no network, no JSON-RPC server (not end to end); catching up until 10,000 blocks before the head, as by default",
  indexer_http_loopback_events_per_s:
    "the indexer into SQLite, reading a real HTTP JSON-RPC server (node:http, 127.0.0.1) that serves the recording; the ledger cache on, as by default",
  indexer_cached_rebuild_events_per_s: `the store rebuilt from that ledger cache (new SQLite store, same cache, the same server for the head; catching up as by default), the median of ${REBUILDS} rebuilds: bounded by the store's writes`,
  indexer_cached_rebuild_node_log_queries: `eth_getLogs the server answered during a cached rebuild (the most of the ${REBUILDS})`,
  indexer_cache_read_events_per_s: "the ledger cache read alone, no store: the cache's side of a cached rebuild",
  indexer_ledger_cache_MiB: "the ledger cache's file",
  indexer_fabric_gateway_events_per_s:
    "the indexer into SQLite from a Fabric channel through the peer's Gateway stand-in over gRPC on 127.0.0.1 (in-process peer, real chaincode): one transaction, so one event, per block, one qscc query each",
  indexer_fabric_events: "events on that channel (the trade workload's first 2,000 actions and the registrations)",
};

async function chainOf(progress: (label: string) => void): Promise<RecordedChain> {
  if (existsSync(CACHE)) return loadChain(CACHE);
  progress(`building a chain of ${ACTIONS.toLocaleString("en")} actions (cached in ${CACHE} afterwards)`);
  const { chain } = await tradeChainWith(ACTIONS, 2026, (sent) => progress(`sent ${sent.toLocaleString("en")} actions`));
  const recorded = await recordChain(chain.rpc, chain.addresses);
  await chain.stop();
  await saveChain(recorded, CACHE);
  return recorded;
}

/**
 * Events/s, and the CPU milliseconds the process spent (which, unlike the rate, holds under other load).
 * `catchingUp`: batches written catching up as the indexer decides (store/catch-up.ts catchesUp); the
 * batch that leaves the mode, indexes and findings made, is timed too.
 */
async function ingest(store: Store, events: readonly ChainEvent[], head: bigint, catchingUp = false): Promise<{ perSecond: number; cpuMs: number }> {
  let checkpoint = await openCheckpoint(store.db, "bench");
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  let mode = false;
  for (let from = 0n; from <= head; from += BATCH_BLOCKS) {
    const to = from + BATCH_BLOCKS - 1n < head ? from + BATCH_BLOCKS - 1n : head;
    const start = next;
    while (next < events.length && events[next]!.block <= to) next++;
    mode = catchingUp && catchesUp({ from, start: 0n, finalUpTo: head, catchingUp: mode, catchUpBlocks: CATCH_UP_BLOCKS });
    ({ checkpoint } = await commitBatch(store, checkpoint, {
      events: events.slice(start, next),
      to: { number: to, hash: `block ${to}` },
      headers: [],
      finalUpTo: -1n,
      catchingUp: mode,
    }));
  }
  const { user, system } = process.cpuUsage(cpu);
  return { perSecond: Math.round((events.length * 1000) / (performance.now() - started)), cpuMs: Math.round((user + system) / 1000) };
}

export async function benchIndexer(progress: (label: string) => void = () => {}): Promise<Record<string, number>> {
  const directory = await mkdtemp(join(tmpdir(), "tracegate-bench-indexer-"));
  try {
    // The recording is let go before the loopback node loads its own copy: two would not fit beside
    // the stores, and a heap of several GiB slows every collection of the indexer measured.
    const { figures: fromRecording, eventBlocks } = await recordingFigures(directory, progress);
    const fromNode = await loopbackFigures(directory, eventBlocks, progress);
    const fabric = await benchFabricIngest(progress);
    progress(`Fabric through the gateway: ${fabric.eventsPerSecond}/s (${fabric.events} events, ${fabric.blocks} blocks)`);
    return { ...fromRecording, ...fromNode, indexer_fabric_gateway_events_per_s: fabric.eventsPerSecond, indexer_fabric_events: fabric.events };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The indexer into a new SQLite store at `directory`/`name`.sqlite from `source`: events/s. */
async function indexInto(directory: string, name: string, source: LedgerSource, events: number, progress: (label: string) => void): Promise<number> {
  const store = await openStore(join(directory, `${name}.sqlite`));
  try {
    const started = performance.now();
    await (await Indexer.open(store, source, INDEXER_OPTIONS, { committed() {}, rolledBack() {}, failed: (error) => progress(String(error)) })).run({
      untilHead: true,
    });
    return Math.round((events * 1000) / (performance.now() - started));
  } finally {
    await store.close();
  }
}

/** What is measured from the recording in this process: decode, store ingests, the indexer in process. */
async function recordingFigures(directory: string, progress: (label: string) => void): Promise<{ figures: Record<string, number>; eventBlocks: bigint[] }> {
  const recorded = await chainOf(progress);
  const provider = recordedChainProvider(recorded);
  // The decoded events (a few hundred MB of heap) are let go before the indexer runs in process: it
  // decodes its own, and every collection would otherwise mark them too.
  const { figures, eventBlocks } = await decodedFigures(directory, recorded, provider, progress);
  const inProcess = await indexInto(
    directory,
    "in-process",
    await EvmSource.connect(providerBatchRpc(provider), recorded.addresses, { fromBlock: 0n }),
    eventBlocks.length,
    progress,
  );
  progress(`in process: ${inProcess}/s`);
  return { eventBlocks, figures: { ...figures, indexer_in_process_events_per_s: inProcess } };
}

/** Decoding the recording, then the store's ingests of the decoded events (SQLite, PostgreSQL). */
async function decodedFigures(
  directory: string,
  recorded: RecordedChain,
  provider: Eip1193Provider,
  progress: (label: string) => void,
): Promise<{ figures: Record<string, number>; eventBlocks: bigint[] }> {
  const head = BigInt(recorded.blocks.length - 1);
  const postgres = await startPostgres({ durable: true });
  try {
    const source = await EvmSource.connect(providerBatchRpc(provider), recorded.addresses, { fromBlock: 0n });
    const decodeStarted = performance.now();
    const events: ChainEvent[] = [];
    for (let from = 0n; from <= head; from += BATCH_BLOCKS) events.push(...(await source.events(from, from + BATCH_BLOCKS - 1n)));
    const decodePerSecond = Math.round((events.length * 1000) / (performance.now() - decodeStarted));
    progress(`decoded ${events.length.toLocaleString("en")} events: ${decodePerSecond}/s`);

    const sqlitePath = join(directory, "ingest.sqlite");
    const sqlite = await openStore(sqlitePath);
    const { perSecond: sqlitePerSecond, cpuMs: sqliteCpuMs } = await ingest(sqlite, events, head);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(sqlite.db);
    await sqlite.close();
    progress(`SQLite: ${sqlitePerSecond}/s`);
    const caughtUp = await openStore(join(directory, "catch-up.sqlite"));
    const { perSecond: sqliteCatchUpPerSecond, cpuMs: sqliteCatchUpCpuMs } = await ingest(caughtUp, events, head, true);
    await caughtUp.close();
    progress(`SQLite catching up: ${sqliteCatchUpPerSecond}/s`);

    const pg = await openStore(postgres.url);
    const { perSecond: postgresPerSecond } = await ingest(pg, events, head);
    const { rows } = await sql<{ size: string }>`select pg_database_size(current_database()) as size`.execute(pg.db);
    for (const table of Object.keys(TABLE_KEYS) as Array<keyof typeof TABLE_KEYS>) await pg.db.deleteFrom(table).execute();
    const { perSecond: postgresCatchUpPerSecond } = await ingest(pg, events, head, true);
    await pg.close();
    progress(`PostgreSQL: ${postgresPerSecond}/s, catching up ${postgresCatchUpPerSecond}/s`);
    return {
      eventBlocks: events.map(({ block }) => block),
      figures: {
        indexer_chain_events: events.length,
        indexer_decode_events_per_s: decodePerSecond,
        indexer_sqlite_ingest_events_per_s: sqlitePerSecond,
        indexer_sqlite_ingest_cpu_ms: sqliteCpuMs,
        indexer_sqlite_catch_up_ingest_events_per_s: sqliteCatchUpPerSecond,
        indexer_sqlite_catch_up_ingest_cpu_ms: sqliteCatchUpCpuMs,
        indexer_sqlite_store_MiB: Math.round((await stat(sqlitePath)).size / 2 ** 20),
        indexer_postgres_ingest_events_per_s: postgresPerSecond,
        indexer_postgres_catch_up_ingest_events_per_s: postgresCatchUpPerSecond,
        indexer_postgres_store_MiB: Math.round(Number(rows[0]!.size) / 2 ** 20),
      },
    };
  } finally {
    await postgres.stop();
  }
}

/**
 * What is measured against the loopback node (a process of its own serving the recording over HTTP):
 * a sync that fills the ledger cache, a rebuild from that cache, and the cache read alone.
 */
async function loopbackFigures(directory: string, eventBlocks: readonly bigint[], progress: (label: string) => void): Promise<Record<string, number>> {
  const node = await startLoopbackNode(CACHE);
  const cachePath = join(directory, "ledger-cache.sqlite");
  const overHttp = async () => {
    const evm = await EvmSource.connect(httpBatchRpc(node.url), node.addresses, { fromBlock: 0n });
    return withLedgerCache(evm, cachePath, { finality: INDEXER_OPTIONS.finality, warn: progress });
  };
  try {
    const synced = await overHttp();
    const httpLoopback = await indexInto(directory, "http", synced, eventBlocks.length, progress);
    synced.close();
    progress(`HTTP loopback: ${httpLoopback}/s`);

    // Rebuilt three times, the median kept: one rebuild takes ~10 s, within which this shared machine's
    // speed swings by a third (the memory traffic of other guests on the host; see indexer/README.md).
    const rebuilds: number[] = [];
    let rebuildLogQueries = 0;
    for (let round = 1; round <= REBUILDS; round++) {
      await node.logQueries();
      const rebuilding = await overHttp();
      rebuilds.push(await indexInto(directory, `rebuilt-${round}`, rebuilding, eventBlocks.length, progress));
      rebuilding.close();
      rebuildLogQueries = Math.max(rebuildLogQueries, await node.logQueries());
    }
    const cachedRebuild = percentile(
      [...rebuilds].sort((a, b) => a - b),
      50,
    );
    progress(`cached rebuild: ${cachedRebuild}/s (median of ${rebuilds.join(", ")}), at most ${rebuildLogQueries} eth_getLogs each`);

    // Only the blocks the cache holds (the last `finality` were not final when they were read).
    const reading = await overHttp();
    const top = (await reading.head()).number - BigInt(INDEXER_OPTIONS.finality);
    const readStarted = performance.now();
    for (let from = 0n; from <= top; from += BATCH_BLOCKS) await reading.events(from, from + BATCH_BLOCKS - 1n < top ? from + BATCH_BLOCKS - 1n : top);
    const cacheRead = Math.round((eventBlocks.filter((block) => block <= top).length * 1000) / (performance.now() - readStarted));
    reading.close();
    progress(`cache read alone: ${cacheRead}/s`);
    return {
      indexer_http_loopback_events_per_s: httpLoopback,
      indexer_cached_rebuild_events_per_s: cachedRebuild,
      indexer_cached_rebuild_node_log_queries: rebuildLogQueries,
      indexer_cache_read_events_per_s: cacheRead,
      indexer_ledger_cache_MiB: Math.round((await stat(cachePath)).size / 2 ** 20),
    };
  } finally {
    await node.stop();
  }
}
