/**
 * Catching up: while the indexer is far behind the head (a store built from scratch, a rebuild from the
 * ledger cache), its batches leave out what only the API's reads need — the secondary indexes below,
 * kept up at a random step per row, and the findings whose scopes are recomputed per batch — and make
 * them once when it comes near the head: an index built over a full table is one sorted pass, and
 * `rebuildFindings` computes the same findings as the batches would have (they are a function of the
 * stored events). The custody events' own findings are written by the batches (they read no dropped
 * index), so the rebuild does not read those events back.
 *
 * Crash-safe and exactly once: entering and leaving happen inside a batch's transaction (or one of their
 * own, after the checkpoint's compare and set), with the flag (chains.catching_up) and the dropped
 * indexes' own definitions (deferred_indexes) in the store; a restart reads where it stands.
 */
import { sql, type Kysely } from "kysely";
import { rebuildFindings } from "../findings/apply.js";
import { DEFAULT_FINDING_SETTINGS, type FindingSettings } from "../findings/settings.js";
import type { Engine, Store } from "./engine.js";
import type { Database } from "./schema.js";
import { warnOnStderr } from "./warnings.js";

/** Final blocks still to go above which the indexer catches up (IndexerOptions.catchUpBlocks). */
export const CATCH_UP_BLOCKS = 10_000;

export interface BatchPlace {
  /** The batch's first block. */
  from: bigint;
  /** Where the store's events start (the source's first block, else 0). */
  start: bigint;
  /** Blocks at or below this are final. */
  finalUpTo: bigint;
  /** Whether the store is catching up now. */
  catchingUp: boolean;
  catchUpBlocks: number;
}

/**
 * Whether a batch is written catching up: while more than `catchUpBlocks` final blocks are to go when
 * it starts (so the last full batch before the head is written so too, and the mode is left before a
 * batch of at most that many). A store enters the mode only if it would at least double: leaving it
 * builds every deferred index and finding over the whole store, which for a store of millions of
 * events behind by a few hours costs far more than writing those hours batch by batch.
 */
export function catchesUp({ from, start, finalUpTo, catchingUp, catchUpBlocks }: BatchPlace): boolean {
  const toGo = finalUpTo - from + 1n;
  return toGo > BigInt(catchUpBlocks) && (catchingUp || toGo > from - start);
}

/**
 * The indexes only reads need. Never those the write path reads by (primary keys, lots by id,
 * documents by hash, balance buckets), nor uniqueness (captured_events_accepted), nor the findings'
 * own (not written while catching up).
 */
export const DEFERRED_INDEXES: readonly string[] = [
  "events_actor",
  "events_kind",
  "events_time",
  "events_flagged",
  "events_facility",
  "events_epcis_key",
  "events_tx_key",
  "lots_owner",
  "lots_custodian",
  "lots_location",
  "lots_state",
  "lot_transitions_lot",
  "stage_stays_dwell",
  "lineage_parent",
  "lineage_child",
  "documents_issuer",
  "document_subjects_lot",
  "event_documents_hash",
];

/** Whether the store's chain `chain` is catching up. */
export async function isCatchingUp(db: Kysely<Database>, chain: bigint): Promise<boolean> {
  const row = await db.selectFrom("chains").select("catching_up").where("number", "=", chain).executeTakeFirst();
  return row?.catching_up === 1n;
}

/** The definitions of the deferred indexes the store has, as its engine reports them. */
async function indexDefinitions(db: Kysely<Database>, engine: Engine): Promise<Array<{ name: string; definition: string }>> {
  const names = sql.join(DEFERRED_INDEXES.map((name) => sql`${name}`));
  const { rows } =
    engine === "sqlite"
      ? await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master where type = 'index' and name in (${names})`.execute(
          db,
        )
      : await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes
          where schemaname = current_schema() and indexname in (${names})`.execute(db);
  return rows;
}

/** Inside a write transaction: drops the deferred indexes, keeping their definitions, and sets the flag. */
export async function enterCatchUp(db: Kysely<Database>, engine: Engine, chain: bigint): Promise<void> {
  const indexes = await indexDefinitions(db, engine);
  if (indexes.length > 0) await db.insertInto("deferred_indexes").values(indexes).execute();
  for (const { name } of indexes) await db.schema.dropIndex(name).execute();
  await db.updateTable("chains").set({ catching_up: 1n }).where("number", "=", chain).execute();
}

/** Inside a write transaction: creates the deferred indexes again, computes every finding, clears the flag. */
export async function leaveCatchUp(db: Kysely<Database>, chain: bigint, settings: FindingSettings = DEFAULT_FINDING_SETTINGS): Promise<void> {
  for (const { definition } of await db.selectFrom("deferred_indexes").selectAll().orderBy("name").execute()) await sql.raw(definition).execute(db);
  await db.deleteFrom("deferred_indexes").execute();
  await rebuildFindings(db, settings, { custodyEventFindingsKept: true });
  await db.updateTable("chains").set({ catching_up: 0n }).where("number", "=", chain).execute();
}

/**
 * After leaving the mode, outside any transaction (VACUUM runs in none): on PostgreSQL, vacuums and
 * analyses the store's tables, as PostgreSQL's "Populating a Database" advises after a bulk load.
 * Without it the planner judges by whatever autovacuum last sampled, index-only scans visit the heap
 * (no page is marked all-visible yet), and a row's first reader sets its hint bits, dirtying the page
 * under an auditor's request, until autovacuum gets to each table. Its batch is committed by then: a
 * refused or interrupted vacuum is said (`warn`), not thrown, and left to autovacuum, as a crash
 * before it would be. SQLite keeps neither statistics nor visibility maps unless asked: nothing to do.
 */
export async function settleAfterCatchUp(store: Store, warn: (line: string) => void = warnOnStderr): Promise<void> {
  if (store.engine !== "postgres") return;
  try {
    const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(
      store.db,
    );
    if (rows.length > 0) await sql`vacuum (analyze) ${sql.join(rows.map(({ name }) => sql.id(name)))}`.execute(store.db);
  } catch (error) {
    warn(`could not vacuum and analyse the store after catching up (${error instanceof Error ? error.message : String(error)}); autovacuum will`);
  }
}
