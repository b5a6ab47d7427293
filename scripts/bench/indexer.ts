/**
 * Indexer throughput on a real chain of 200,000 TraceGate events: the trade workload sent to the
 * in-process EVM (one transaction per action, about 4 minutes), recorded once and cached under
 * bench/indexer-chain-200000.tmp. Measured from that recording:
 * - decode: logs to domain events (the SDK's ethers codec), events/s;
 * - store ingest per engine: the decoded events written in batches of 10,000 blocks (one transaction
 *   each, checkpoint included), events/s, and the store's size afterwards; PostgreSQL with its default
 *   durability (fsync on, synchronous commit), SQLite in WAL with synchronous=NORMAL;
 * - end to end: the indexer reading the recording as JSON-RPC (in process) into SQLite, events/s.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import type { ChainEvent } from "../../indexer/events.js";
import { Indexer } from "../../indexer/indexer.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import { providerBatchRpc } from "../../sdk/evm/batch-rpc.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch } from "../../indexer/store/commit.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { startPostgres } from "../harness/postgres-server.js";
import { loadChain, recordChain, recordedChainProvider, saveChain, type RecordedChain } from "../workloads/recorded-chain.js";
import { tradeChainWith } from "../workloads/trade-chain.js";

const ACTIONS = 200_000;
const CACHE = `bench/indexer-chain-${ACTIONS}.tmp`;
const BATCH_BLOCKS = 10_000n;

async function chainOf(progress: (label: string) => void): Promise<RecordedChain> {
  if (existsSync(CACHE)) return loadChain(CACHE);
  progress(`building a chain of ${ACTIONS.toLocaleString("en")} actions (cached in ${CACHE} afterwards)`);
  const { chain } = await tradeChainWith(ACTIONS, 2026, (sent) => progress(`sent ${sent.toLocaleString("en")} actions`));
  const recorded = await recordChain(chain.rpc, chain.addresses);
  await chain.stop();
  await saveChain(recorded, CACHE);
  return recorded;
}

async function ingest(store: Store, events: readonly ChainEvent[], head: bigint): Promise<number> {
  let checkpoint = await openCheckpoint(store.db, "bench");
  const started = performance.now();
  let next = 0;
  for (let from = 0n; from <= head; from += BATCH_BLOCKS) {
    const to = from + BATCH_BLOCKS - 1n < head ? from + BATCH_BLOCKS - 1n : head;
    const start = next;
    while (next < events.length && events[next]!.block <= to) next++;
    ({ checkpoint } = await commitBatch(store, checkpoint, { events: events.slice(start, next), to: { number: to, hash: `block ${to}` }, headers: [], finalUpTo: -1n }));
  }
  return Math.round((events.length * 1000) / (performance.now() - started));
}

export async function benchIndexer(progress: (label: string) => void = () => {}): Promise<Record<string, number>> {
  const recorded = await chainOf(progress);
  const head = BigInt(recorded.blocks.length - 1);
  const provider = recordedChainProvider(recorded);
  const directory = await mkdtemp(join(tmpdir(), "tracegate-bench-indexer-"));
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
    const sqlitePerSecond = await ingest(sqlite, events, head);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(sqlite.db);
    await sqlite.close();
    progress(`SQLite: ${sqlitePerSecond}/s`);

    const pg = await openStore(postgres.url);
    const postgresPerSecond = await ingest(pg, events, head);
    const { rows } = await sql<{ size: string }>`select pg_database_size(current_database()) as size`.execute(pg.db);
    await pg.close();
    progress(`PostgreSQL: ${postgresPerSecond}/s`);

    const endToEnd = await openStore(join(directory, "end-to-end.sqlite"));
    const started = performance.now();
    const indexer = await Indexer.open(endToEnd, source, { finality: 64, batchBlocks: Number(BATCH_BLOCKS), pollMs: 10 }, { committed() {}, rolledBack() {}, failed: (error) => progress(String(error)) });
    await indexer.run({ untilHead: true });
    const endToEndPerSecond = Math.round((events.length * 1000) / (performance.now() - started));
    await endToEnd.close();
    progress(`end to end: ${endToEndPerSecond}/s`);

    return {
      indexer_chain_events: events.length,
      indexer_decode_events_per_s: decodePerSecond,
      indexer_sqlite_ingest_events_per_s: sqlitePerSecond,
      indexer_sqlite_store_MiB: Math.round((await stat(sqlitePath)).size / 2 ** 20),
      indexer_postgres_ingest_events_per_s: postgresPerSecond,
      indexer_postgres_store_MiB: Math.round(Number(rows[0]!.size) / 2 ** 20),
      indexer_end_to_end_sqlite_events_per_s: endToEndPerSecond,
    };
  } finally {
    await postgres.stop();
    await rm(directory, { recursive: true, force: true });
  }
}
