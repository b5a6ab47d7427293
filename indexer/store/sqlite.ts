/**
 * The embedded store: Node 22's built-in SQLite (node:sqlite, synchronous, no native addon to build)
 * behind Kysely's SQLite dialect, through a small adapter.
 */
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from "kysely";
import type { Store } from "./engine.js";
import type { Database } from "./schema.js";
import { WalCheckpointer } from "./wal-checkpointer.js";
import { warnOnStderr } from "./warnings.js";

/** Prepared statements kept per SQL text: batch writes repeat the same few shapes. */
const STATEMENT_CACHE_SIZE = 256;

class NodeSqliteDatabase implements SqliteDatabase {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(
    private readonly db: DatabaseSync,
    private readonly checkpointer: WalCheckpointer | undefined,
  ) {}

  prepare(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.watched(sql, adapt(this.db.prepare(sql)));
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  /**
   * Kysely begins and ends every transaction with these statements: the checkpointer hears of each.
   * A rollback after SQLite has rolled back itself (a full disk, an I/O error) does nothing: failing,
   * it would take the place of the error that caused it ("cannot rollback - no transaction is active").
   */
  private watched(sql: string, statement: SqliteStatement): SqliteStatement {
    if (/^rollback$/i.test(sql))
      return { ...statement, run: (parameters) => (this.db.isTransaction ? statement.run(parameters) : { changes: 0, lastInsertRowid: 0 }) };
    const checkpointer = this.checkpointer;
    const begins = /^begin$/i.test(sql);
    if (checkpointer === undefined || !(begins || /^commit$/i.test(sql))) return statement;
    return {
      ...statement,
      run: (parameters) => {
        if (begins) checkpointer.beginning();
        const result = statement.run(parameters);
        if (!begins) checkpointer.committed();
        return result;
      },
    };
  }
}

function adapt(statement: StatementSync): SqliteStatement {
  // Every integer column reads as bigint, whatever its size: the schema's bigint columns stay bigint.
  statement.setReadBigInts(true);
  const bind = (parameters: ReadonlyArray<unknown>) => parameters as Array<null | number | bigint | string | Uint8Array>;
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...bind(parameters)),
    run: (parameters) => statement.run(...bind(parameters)),
    iterate: (parameters) => statement.iterate(...bind(parameters)),
  };
}

/** The writer's own checkpoint, every 10,000 pages (80 MB), when no thread does it. */
const WRITER_CHECKPOINTS = "PRAGMA wal_autocheckpoint = 10000";

/**
 * Opens (creating if need be) the SQLite store at `path`. WAL with synchronous=NORMAL: a transaction is
 * atomic and durable across a crash of the process; a power cut may lose the last transactions, never
 * half of one, and the checkpoint is in the same transaction as the data it covers.
 */
export function openSqlite(path: string, { checkpointBytes }: { checkpointBytes?: number } = {}): Store {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // The index is its owner's alone; SQLite gives the -wal and -shm files the database file's mode.
    closeSync(openSync(path, "a", 0o600));
  }
  const raw = new DatabaseSync(path);
  // First: switching a new file to WAL needs it to itself, and a reader that opened it a moment before
  // (the API, a backup, a test polling progress) would otherwise fail this open with "database is locked".
  raw.exec("PRAGMA busy_timeout = 10000");
  // 8 KiB pages for a new store (an existing one keeps its size): fewer, fuller pages for the B-trees every
  // batch inserts into at random (tx hashes, lots, documents); measured 10-20% faster ingest than 4 KiB.
  raw.exec("PRAGMA page_size = 8192");
  raw.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536");
  // A checkpoint after 64-80 MB of log rather than SQLite's 4 MB: pages that successive batches rewrite
  // (indexes, current lots) reach the database file once, not once per batch (10-20% faster ingest);
  // mostly on another thread (wal-checkpointer.ts), the writer's own kept for when that one falls behind.
  const checkpointer =
    path === ":memory:"
      ? undefined
      : new WalCheckpointer(path, {
          checkpointHere: () => raw.exec("PRAGMA wal_checkpoint(PASSIVE)"),
          thresholdBytes: checkpointBytes,
          failed: (reason) => {
            warnOnStderr(`the store's checkpoint thread failed (${reason}); the indexer checkpoints by itself`);
            raw.exec(WRITER_CHECKPOINTS);
          },
        });
  raw.exec(checkpointer === undefined ? WRITER_CHECKPOINTS : "PRAGMA wal_autocheckpoint = 32768; PRAGMA journal_size_limit = 0");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new NodeSqliteDatabase(raw, checkpointer) }) });
  return {
    db,
    engine: "sqlite",
    close: async () => {
      await checkpointer?.close();
      await db.destroy();
    },
  };
}
