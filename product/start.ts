/**
 * `npm start`: TraceGate on this machine. The embedded chain (kept in TRACEGATE_HOME), the indexer and
 * the audit API with its web pages, configured by environment variables (see SETTINGS_HELP).
 * Prints where everything is and a token per organisation; Ctrl+C (SIGINT) or SIGTERM stops it cleanly.
 */
import { ConfigurationError, readProductSettings } from "./settings.js";
import { checkBeforeStart } from "./preflight.js";
import type { Product } from "./product.js";
import { closeHome, keepDataPrivate } from "./private-data.js";
import { Wallet } from "ethers";
import { formatDevTokens } from "../api/auth/dev-token-list.js";

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

let product: Product;
try {
  keepDataPrivate();
  const settings = readProductSettings(process.env, process.cwd());
  await checkBeforeStart(settings);
  await closeHome(settings.home);
  // Loaded once the settings are known to be usable: the chain's and API's modules take seconds to load.
  const { startProduct } = await import("./product.js");
  product = await startProduct(settings, log);
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigurationError ? error.message : `TraceGate could not start: ${error instanceof Error ? error.message : String(error)}`}\n`,
  );
  process.exit(error instanceof ConfigurationError ? 2 : 3);
}

let stopping = false;
async function stopProduct(why: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(why);
  await product.stop();
  log("stopped");
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopProduct(`${signal}: stopping`, 0));
// Serving answers from an index that no longer follows the ledger would mislead every caller: stop, saying why.
product.indexingStopped.catch((error: unknown) =>
  stopProduct(
    `indexing stopped for good: ${error instanceof Error ? error.message : String(error)}; stopping TraceGate (fix the cause, then start it again)`,
    3,
  ),
);
// Said only once Ctrl+C stops it cleanly: a signal that came before the handlers would kill it outright.
process.stdout.write(`${summary(product)}\n`);

function summary({ apiUrl, metricsUrl, ledger, devTokens, keysDir, documentsDir }: Product): string {
  const lines = [
    "TraceGate is running.",
    `  web pages        ${apiUrl}/`,
    `  GraphQL API      ${apiUrl}/graphql`,
    `  documents        ${apiUrl}/ipfs/<cid>`,
    `  indexer metrics  ${metricsUrl}`,
    `  ledger           ${ledger.source.id}`,
  ];
  if (ledger.embedded !== undefined) {
    const { rpcUrl, addresses, signers, keysFile } = ledger.embedded;
    // The keys stay in their owner-only file, out of terminals and logs: the command reads one from it.
    const keyOf = (org: string, role: string) =>
      `$(node -p 'require(process.argv[1]).signers.find((s) => s.org === "${org}" && s.role === "${role}").privateKey' ${shellQuoted(keysFile)})`;
    lines.push(
      `  chain JSON-RPC   ${rpcUrl}`,
      "",
      "Load a year of demo traffic: npm run demo",
      "Use the CLI against this chain:",
      `  export TRACEGATE_RPC_URL=${rpcUrl} TRACEGATE_REGISTRY=${addresses.TraceGateRegistry} TRACEGATE_CUSTODY=${addresses.CustodyRegistry}`,
      `  export TRACEGATE_KEYS_DIR=${keysDir}${documentsDir === undefined ? "" : ` TRACEGATE_DATA_DIR=${documentsDir}`}`,
      "  # act as the certificate-of-origin issuer VCCI-HCM, sharing documents with customs:",
      `  export TRACEGATE_ORG=VCCI-HCM TRACEGATE_ROLE=SIGNER TRACEGATE_PRIVATE_KEY=${keyOf("VCCI-HCM", "SIGNER")} TRACEGATE_SHARE_WITH=VNCUSTOMS`,
      "  npm run tracegate -- anchor README.md --kind CO --subject AP-FAB-1 && npm run tracegate -- verify README.md",
      "",
      `Demo accounts: their keys are this data directory's own, made with its chain, in ${keysFile} (readable by you only):`,
      ...signers.map((signer) => `  ${`${signer.org}/${signer.role}`.padEnd(26)} ${new Wallet(signer.privateKey).address}`),
    );
  }
  const later = devTokens.length === 0 ? "" : `The start page ${apiUrl}/ offers these, and tokens for organisations registered later.\n`;
  return `${lines.join("\n")}\n\n${formatDevTokens(devTokens)}${later}`;
}

function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
