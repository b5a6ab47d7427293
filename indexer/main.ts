/**
 * The indexer as a process (`npm run indexer -- …`):
 *   --rpc URL            JSON-RPC endpoint (TRACEGATE_RPC_URL, default http://127.0.0.1:8545)
 *   --registry ADDRESS   TraceGateRegistry (TRACEGATE_REGISTRY), --custody ADDRESS CustodyRegistry (TRACEGATE_CUSTODY)
 *   --store PATH|URL     SQLite file or postgres://… (TRACEGATE_INDEX_STORE, default .tracegate/index.sqlite)
 *   --finality N --batch-blocks N --poll-ms N --metrics-port N (0: any free port) --until-head (stop once caught up)
 * Progress goes to stderr; metrics are served at http://127.0.0.1:<metrics-port>/metrics.
 * SIGINT/SIGTERM stop it between transactions; a harder stop loses nothing either.
 */
import { parseArgs } from "node:util";
import { Indexer } from "./indexer.js";
import { IndexerMetrics, serveMetrics } from "./metrics.js";
import { everyObserver, ProgressLog } from "./progress-log.js";
import { EvmSource } from "./sources/evm/evm-source.js";
import { httpBatchRpc } from "./sources/evm/json-rpc.js";
import { openStore } from "./store/open.js";

const { values } = parseArgs({
  options: {
    rpc: { type: "string", default: process.env.TRACEGATE_RPC_URL ?? "http://127.0.0.1:8545" },
    registry: { type: "string", default: process.env.TRACEGATE_REGISTRY },
    custody: { type: "string", default: process.env.TRACEGATE_CUSTODY },
    store: { type: "string", default: process.env.TRACEGATE_INDEX_STORE ?? ".tracegate/index.sqlite" },
    finality: { type: "string", default: "12" },
    "batch-blocks": { type: "string", default: "10000" },
    "poll-ms": { type: "string", default: "1000" },
    "metrics-port": { type: "string", default: "9464" },
    "until-head": { type: "boolean", default: false },
  },
});
if (values.registry === undefined || values.custody === undefined) {
  process.stderr.write("the indexer needs the contracts' addresses: --registry and --custody (or TRACEGATE_REGISTRY and TRACEGATE_CUSTODY)\n");
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const store = await openStore(values.store);
const source = await EvmSource.connect(httpBatchRpc(values.rpc), { registry: values.registry, custody: values.custody });
const metrics = new IndexerMetrics();
const server = await serveMetrics(metrics, Number(values["metrics-port"]));
const address = server.address();
log(`following ${source.id} into ${store.engine}; metrics on http://127.0.0.1:${typeof address === "object" ? address?.port : address}/metrics`);

const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());
const indexer = await Indexer.open(
  store,
  source,
  { finality: Number(values.finality), batchBlocks: Number(values["batch-blocks"]), pollMs: Number(values["poll-ms"]) },
  everyObserver(metrics, new ProgressLog(log)),
);
try {
  await indexer.run({ signal: stop.signal, untilHead: values["until-head"] });
} finally {
  // A scraper's keep-alive connection must not hold the process open.
  server.close().closeAllConnections();
  await store.close();
}
