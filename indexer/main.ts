/**
 * The indexer as a process (`npm run indexer -- …`):
 *   --ledger evm|fabric  which ledger to follow (TRACEGATE_LEDGER, default evm)
 *   EVM: --rpc URL       JSON-RPC endpoint (TRACEGATE_RPC_URL, default http://127.0.0.1:8545)
 *        --registry ADDRESS TraceGateRegistry (TRACEGATE_REGISTRY), --custody ADDRESS CustodyRegistry (TRACEGATE_CUSTODY)
 *   Fabric: --fabric-gateway HOST:PORT, --fabric-tls-ca PEM [--fabric-tls-server-name NAME] or --fabric-plaintext,
 *        --fabric-msp-id, --fabric-cert PEM, --fabric-key PEM, --fabric-channel, [--fabric-chaincode, default tracegate]
 *        (TRACEGATE_FABRIC_GATEWAY, _TLS_CA, _TLS_SERVER_NAME, _PLAINTEXT, _MSP_ID, _CERT, _KEY, _CHANNEL, _CHAINCODE)
 *   --store PATH|URL     SQLite file or postgres://… (TRACEGATE_INDEX_STORE, default .tracegate/index.sqlite)
 *   --finality N (default 12 on EVM, 0 on Fabric) --batch-blocks N --poll-ms N --metrics-port N (0: any free port)
 *   --until-head (stop once caught up)
 *   TRACEGATE_FINDINGS_* the findings' thresholds (findings/settings.ts)
 * Progress goes to stderr; metrics are served at http://127.0.0.1:<metrics-port>/metrics.
 * SIGINT/SIGTERM stop it between transactions; a harder stop loses nothing either.
 */
import { parseArgs } from "node:util";
import { startIndexing } from "./service.js";
import { openSource } from "./sources/from-settings.js";
import { FindingSettingsError, readFindingSettings } from "./findings/settings.js";
import { readSourceSettings, SOURCE_OPTIONS, SourceSettingsError } from "./sources/settings.js";
import { openStore } from "./store/open.js";

const { values } = parseArgs({
  options: {
    ...SOURCE_OPTIONS,
    store: { type: "string", default: process.env.TRACEGATE_INDEX_STORE ?? ".tracegate/index.sqlite" },
    finality: { type: "string" },
    "batch-blocks": { type: "string", default: "10000" },
    "poll-ms": { type: "string", default: "1000" },
    "metrics-port": { type: "string", default: "9464" },
    "until-head": { type: "boolean", default: false },
  },
});
const opened = await (async () => openSource(readSourceSettings(values)))().catch((error: unknown) => {
  if (!(error instanceof SourceSettingsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
});
const { source } = opened;

const findings = (() => {
  try {
    return readFindingSettings(process.env);
  } catch (error) {
    if (!(error instanceof FindingSettingsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
})();
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const store = await openStore(values.store, { findings });
const indexing = await startIndexing(store, source, {
  finality: Number(values.finality ?? opened.defaultFinality),
  batchBlocks: Number(values["batch-blocks"]),
  pollMs: Number(values["poll-ms"]),
  metricsPort: Number(values["metrics-port"]),
  log,
});
log(`following ${source.id} into ${store.engine}; metrics on ${indexing.metricsUrl}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void indexing.stop());
try {
  await (values["until-head"] ? indexing.caughtUp : indexing.done);
} catch (error) {
  // A failure the indexer cannot retry (a ledger that refuses this identity, a deep reorg): say why, no stack.
  log(`indexing stopped for good: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 3;
} finally {
  await indexing.stop();
  await store.close();
  opened.close();
}
