/**
 * The indexer as a process (`npm run indexer -- …`; its options in USAGE below). The settings are read
 * as `npm start` reads them (settings.ts, sdk/settings/): every bad one, or a TRACEGATE_* variable no
 * command reads, is named on stderr and the command exits 2. Progress goes to stderr; metrics are served
 * at http://127.0.0.1:<metrics-port>/metrics. SIGINT/SIGTERM stop it between transactions; a harder stop
 * loses nothing either.
 */
import { rmSync } from "node:fs";
import { LedgerUnavailableError } from "../sdk/ledger.js";
import { readCommandLine } from "../sdk/settings/command-line.js";
import { SettingsReader } from "../sdk/settings/reader.js";
import { startIndexing } from "./service.js";
import { readHome, readIndexerSettings } from "./settings.js";
import { openSource } from "./sources/from-settings.js";
import { readSourceSettings, SOURCE_OPTIONS, SourceSettingsError, type SourceSettings } from "./sources/settings.js";
import { openStore } from "./store/open.js";

const USAGE = `usage: npm run indexer -- [options]   (each option also has the variable named beside it)
  --ledger evm|fabric  which ledger to follow (TRACEGATE_LEDGER, default evm)
  EVM: --rpc URL[,URL…] JSON-RPC endpoints, read in turn with failover (TRACEGATE_RPC_URL, default http://127.0.0.1:8545)
       --registry ADDRESS TraceGateRegistry (TRACEGATE_REGISTRY), --custody ADDRESS CustodyRegistry (TRACEGATE_CUSTODY)
  Fabric: --fabric-gateway HOST:PORT, --fabric-tls-ca PEM [--fabric-tls-server-name NAME] or --fabric-plaintext,
       --fabric-msp-id, --fabric-cert PEM, --fabric-key PEM, --fabric-channel, [--fabric-chaincode, default tracegate]
       (TRACEGATE_FABRIC_GATEWAY, _TLS_CA, _TLS_SERVER_NAME, _PLAINTEXT, _MSP_ID, _CERT, _KEY, _CHANNEL, _CHAINCODE)
  --store PATH|URL     SQLite file or postgres://… (TRACEGATE_INDEX_STORE, default $TRACEGATE_HOME/index.sqlite,
                       TRACEGATE_HOME defaulting to .tracegate)
  --ledger-cache PATH|none what was read of final blocks, for a rebuild (TRACEGATE_LEDGER_CACHE,
                       default ledger-cache.sqlite beside an SQLite store, else in $TRACEGATE_HOME)
  --rebuild            delete the SQLite store first and index again (from the ledger cache, then the node)
  --finality N         (TRACEGATE_FINALITY, default 12 on EVM, 0 on Fabric)
  --metrics-port N     (TRACEGATE_METRICS_PORT, default 9464; 0: any free port)
  --batch-blocks N --poll-ms N --until-head (stop once caught up)
  TRACEGATE_FINDINGS_* the findings' thresholds (README.md, "Settings")`;

const values = readCommandLine(USAGE, {
  ...SOURCE_OPTIONS,
  store: { type: "string" },
  "ledger-cache": { type: "string" },
  rebuild: { type: "boolean", default: false },
  finality: { type: "string" },
  "batch-blocks": { type: "string", default: "10000" },
  "poll-ms": { type: "string", default: "1000" },
  "metrics-port": { type: "string" },
  "until-head": { type: "boolean", default: false },
});
const read = new SettingsReader("indexer", process.env, {
  TRACEGATE_INDEX_STORE: { flag: "--store", value: values.store },
  TRACEGATE_LEDGER_CACHE: { flag: "--ledger-cache", value: values["ledger-cache"] },
  TRACEGATE_METRICS_PORT: { flag: "--metrics-port", value: values["metrics-port"] },
  TRACEGATE_FINALITY: { flag: "--finality", value: values.finality },
});
const settings = readIndexerSettings(read, readHome(read, process.cwd()));
let sourceSettings: SourceSettings | undefined;
try {
  sourceSettings = readSourceSettings(values);
} catch (error) {
  if (!(error instanceof SourceSettingsError)) throw error;
  read.problem(error.message);
}
const [batchBlocks, pollMs] = (["batch-blocks", "poll-ms"] as const).map((flag) => {
  const text = values[flag];
  if (!/^[1-9]\d{0,8}$/.test(text)) read.problem(`--${flag} must be a whole number of at least 1, not "${text}"`);
  return Number(text);
});
if (values.rebuild && /^postgres(ql)?:\/\//i.test(settings.indexStore)) {
  read.problem(`--rebuild deletes an SQLite store; for a PostgreSQL one (${read.nameOf("TRACEGATE_INDEX_STORE")}), drop its tables and start again`);
}
if (read.problems.length > 0) {
  process.stderr.write(`${read.problems.join("\n")}\n`);
  process.exit(2);
}
const opened = await openSource(sourceSettings!).catch((error: unknown) => {
  // A node that does not answer at start is said in one line, as the CLI says it (exit 3), not as a stack.
  if (!(error instanceof SourceSettingsError || error instanceof LedgerUnavailableError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(error instanceof SourceSettingsError ? 2 : 3);
});
const { source } = opened;
const finality = settings.finality ?? opened.defaultFinality;

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
if (values.rebuild) {
  const path = settings.indexStore.replace(/^sqlite:/, "");
  for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
  log(`deleted ${path}: rebuilding it${settings.ledgerCache === undefined ? " from the node" : ` from ${settings.ledgerCache}, then the node`}`);
}
const store = await openStore(settings.indexStore, { findings: settings.findings });
const indexing = await startIndexing(store, source, {
  finality,
  batchBlocks: batchBlocks!,
  pollMs: pollMs!,
  metricsPort: settings.metricsPort,
  log,
  ledgerCache: settings.ledgerCache,
});
// Handlers first: a signal sent on the line below, before them, would kill it outright.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void indexing.stop());
log(`following ${source.id} into ${store.engine} (finality ${finality} blocks); metrics on ${indexing.metricsUrl}`);
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
