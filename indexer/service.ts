/**
 * The indexer as a service inside a process: follows the source into the store in the background,
 * reports progress to `log` and metrics on 127.0.0.1:`metricsPort`, and says when it first reached
 * the head (the store then answers for everything the ledger held at start).
 */
import type { AddressInfo } from "node:net";
import { Indexer, type IndexerOptions } from "./indexer.js";
import { IndexerMetrics, serveMetrics } from "./metrics.js";
import { everyObserver, ProgressLog } from "./progress-log.js";
import { withLedgerCache } from "./sources/cache/cached-source.js";
import type { LedgerSource } from "./sources/source.js";
import type { Store } from "./store/engine.js";

export interface IndexingService {
  metricsUrl: string;
  /** Resolves once the store has caught up with the head the ledger had; rejects if indexing fails for good. */
  caughtUp: Promise<void>;
  /** Resolves when following stops: after `stop`, or rejects on an error the indexer cannot retry (a deep reorg). */
  done: Promise<void>;
  /** Stops between transactions and closes the metrics server (the store stays open: its owner closes it). */
  stop(): Promise<void>;
}

export async function startIndexing(
  store: Store,
  source: LedgerSource,
  options: IndexerOptions & { metricsPort: number; log: (line: string) => void; ledgerCache?: string | undefined },
): Promise<IndexingService> {
  // What it reads of final blocks is kept in the ledger cache, so a rebuild of the store reads it there.
  const cached =
    options.ledgerCache === undefined
      ? undefined
      : withLedgerCache(source, options.ledgerCache, { finality: options.finality, warn: (line) => options.log(`warning: ${line}`) });
  const metrics = new IndexerMetrics(() => source.endpoints?.() ?? []);
  const indexer = await Indexer.open(store, cached ?? source, options, everyObserver(metrics, new ProgressLog(options.log)));
  const server = await serveMetrics(metrics, options.metricsPort);
  const stopping = new AbortController();
  const caughtUp = indexer.run({ signal: stopping.signal, untilHead: true });
  const done = caughtUp.then(() => indexer.run({ signal: stopping.signal }));
  // Either may be awaited by the caller, or neither yet: an unhandled rejection must not end the process.
  caughtUp.catch(() => undefined);
  done.catch(() => undefined);
  return {
    metricsUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    caughtUp,
    done,
    async stop() {
      stopping.abort();
      await done.catch(() => undefined);
      cached?.close();
      // A scraper's keep-alive connection must not hold the process open.
      server.close().closeAllConnections();
    },
  };
}
