/**
 * The indexer's settings, read the same way by `npm run indexer` and `npm start` (which runs the indexer
 * in its process): where the store and the ledger cache are, the metrics port, the finality depth and the
 * findings' thresholds.
 */
import { dirname, resolve } from "node:path";
import type { SettingsReader } from "../sdk/settings/reader.js";
import { DEFAULT_FINDING_SETTINGS, FindingSettingsError, readFindingSettings, type FindingSettings } from "./findings/settings.js";

export interface IndexerSettings {
  /** A SQLite file or a postgres:// URL. */
  indexStore: string;
  /** The ledger cache's file (sources/cache/); undefined: none. */
  ledgerCache: string | undefined;
  /** Where the Prometheus metrics are served on 127.0.0.1; 0: any free port. */
  metricsPort: number;
  /** Blocks after which the ledger cannot reorganise; undefined: the source's default (12 on EVM, 0 on Fabric). */
  finality: number | undefined;
  findings: FindingSettings;
}

/** The data directory (TRACEGATE_HOME), from `cwd`. */
export function readHome(read: SettingsReader, cwd: string): string {
  return resolve(cwd, read.text("TRACEGATE_HOME") ?? ".tracegate");
}

/** The store the indexer writes and the API reads: TRACEGATE_INDEX_STORE, else index.sqlite in the data directory. */
export function readIndexStore(read: SettingsReader, home: string): string {
  const store = read.text("TRACEGATE_INDEX_STORE") ?? resolve(home, "index.sqlite");
  if (/^[a-z]+:\/\//i.test(store) && !/^postgres(ql)?:\/\//i.test(store)) {
    read.problem(`${read.nameOf("TRACEGATE_INDEX_STORE")} must be a file path or a postgres:// URL, not "${store}"`);
  }
  return store;
}

/**
 * What the indexer read of the ledger, kept for a rebuild of `store`: TRACEGATE_LEDGER_CACHE, else
 * ledger-cache.sqlite beside an SQLite store, or in the data directory; `none`: no cache.
 */
export function readLedgerCache(read: SettingsReader, home: string, store: string): string | undefined {
  const file = store.replace(/^sqlite:/, "");
  const beside = /^postgres(ql)?:\/\//i.test(store) || file === ":memory:" ? home : dirname(resolve(file));
  const cache = read.text("TRACEGATE_LEDGER_CACHE") ?? resolve(beside, "ledger-cache.sqlite");
  if (cache === "none") return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(cache)) read.problem(`${read.nameOf("TRACEGATE_LEDGER_CACHE")} is a file path or none, not "${cache}"`);
  return cache;
}

export function readIndexerSettings(read: SettingsReader, home: string): IndexerSettings {
  let findings = DEFAULT_FINDING_SETTINGS;
  try {
    findings = readFindingSettings(read.env);
  } catch (error) {
    if (!(error instanceof FindingSettingsError)) throw error;
    for (const problem of error.problems) read.problem(problem);
  }
  const indexStore = readIndexStore(read, home);
  return {
    indexStore,
    ledgerCache: readLedgerCache(read, home, indexStore),
    metricsPort: read.port("TRACEGATE_METRICS_PORT", 9464),
    finality: read.wholeNumber("TRACEGATE_FINALITY", 0, "a whole number of blocks"),
    findings,
  };
}
