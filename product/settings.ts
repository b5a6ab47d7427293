/**
 * The product's configuration, from environment variables, validated before anything starts: every
 * problem is reported at once, each with the variable to fix. The indexer's and the API's own settings
 * are read by the same functions their commands use (indexer/settings.ts, api/settings.ts).
 */
import { resolve } from "node:path";
import type { PublicLotPart } from "../api/lot-resolver.js";
import { readApiSettings, type TokenSettings } from "../api/settings.js";
import type { TrackPolicy } from "../api/transit/track-anchorer.js";
import type { FindingSettings } from "../indexer/findings/settings.js";
import { readHome, readIndexerSettings } from "../indexer/settings.js";
import { readSourceSettings, SourceSettingsError, type SourceSettings } from "../indexer/sources/settings.js";
import { SettingsReader } from "../sdk/settings/reader.js";

export type { TokenSettings };

export type LedgerSettings =
  /**
   * Hardhat's in-process chain, journaled in the data directory, served over JSON-RPC on `rpcHost`
   * (loopback by default; any other address requires the control token on every request) and `rpcPort`.
   */
  | { kind: "embedded"; rpcPort: number; rpcHost: string }
  /**
   * A ledger TraceGate is deployed on: an EVM chain (e.g. Besu/QBFT) over JSON-RPC, or a Fabric channel
   * through a peer's Gateway. `finality` overrides the source's default (12 blocks on EVM, 0 on Fabric).
   */
  | { kind: "external"; source: SourceSettings; finality: number | undefined; memberKeys?: string };

export type DocumentStoreSettings = { kind: "embedded"; directory: string } | { kind: "kubo"; url: string };

export interface ProductSettings {
  /** Everything the product keeps: chain journal, index, documents, keys. */
  home: string;
  host: string;
  apiPort: number;
  /** What a lot's resolver tells a caller who may not see the lot (TRACEGATE_RESOLVER_PUBLIC). */
  publicLotPart: PublicLotPart;
  /** When seal reports are anchored (TRACEGATE_TRACK_SEGMENT_*). */
  track: TrackPolicy;
  metricsPort: number;
  ledger: LedgerSettings;
  /** A SQLite file or a postgres:// URL. */
  indexStore: string;
  /** What the indexer read of final blocks, for a rebuild of the store (TRACEGATE_LEDGER_CACHE); undefined: none. */
  ledgerCache: string | undefined;
  documents: DocumentStoreSettings;
  tokens: TokenSettings;
  /** The thresholds the indexer judges findings by (TRACEGATE_FINDINGS_*). */
  findings: FindingSettings;
  /**
   * Where the organisations' X25519 document keys are, and those the node decrypts documents for
   * (GET /documents/<hash>/content): every ORG.private.pem there, or those listed (TRACEGATE_DECRYPT_FOR).
   */
  documentKeys: { directory: string; orgs: "all" | string[] };
}

export const SETTINGS_HELP = `Configuration (environment variables):
  TRACEGATE_HOME           data directory (default .tracegate)
  TRACEGATE_HOST           address to serve on (default 127.0.0.1)
  TRACEGATE_PORT           audit API and web pages (default 4000; 0: any free port)
  TRACEGATE_METRICS_PORT   indexer metrics (default 9464; 0: any free port)
  TRACEGATE_LEDGER         embedded (default) | evm | fabric
    embedded: TRACEGATE_RPC_PORT   JSON-RPC port of the embedded chain (default 8545; 0: any free port)
              TRACEGATE_RPC_HOST   address it listens on (default 127.0.0.1; another needs the control token on every request)
    evm:      TRACEGATE_RPC_URL, TRACEGATE_REGISTRY, TRACEGATE_CUSTODY (contract addresses)
    fabric:   TRACEGATE_FABRIC_GATEWAY, TRACEGATE_FABRIC_MSP_ID, TRACEGATE_FABRIC_CERT, TRACEGATE_FABRIC_KEY,
              TRACEGATE_FABRIC_CHANNEL, TRACEGATE_FABRIC_TLS_CA or TRACEGATE_FABRIC_PLAINTEXT=true,
              TRACEGATE_FABRIC_CHAINCODE (default tracegate); see indexer/README.md
    TRACEGATE_FINALITY     blocks after which the ledger cannot reorganise (default 12 on evm, 0 on fabric)
    TRACEGATE_MEMBER_KEYS  JSON file (mode 600) of the members the API acts for: evm [{"org","role","privateKey"}],
                           fabric [{"org","role","mspId","certPath","keyPath"}]; unset: the API only reads
                           (the embedded chain acts for its own demo members)
  TRACEGATE_INDEX_STORE    SQLite file or postgres://user:pass@host/db (default $TRACEGATE_HOME/index.sqlite)
  TRACEGATE_IPFS_API       Kubo RPC URL, e.g. http://127.0.0.1:5001 (default: embedded store in $TRACEGATE_HOME/documents)
  TRACEGATE_JWKS           trusted token keys (JWKS file); unset: development tokens, printed at start
  TRACEGATE_JWT_ISSUER, TRACEGATE_JWT_AUDIENCE   expected "iss" and "aud" of trusted tokens
  TRACEGATE_FINDINGS_*     thresholds of the risk findings (see indexer/README.md)
  TRACEGATE_DECRYPT_FOR    organisations this node decrypts documents for, with their ORG.private.pem in
                           $TRACEGATE_HOME/keys: all (default: every key there), none, or ids separated by commas;
                           the others decrypt in their browser from their own key file
  TRACEGATE_RESOLVER_PUBLIC what a lot's label (/lot/<id>) tells a scanner who may not see the lot:
                           none (default: nothing, not even whether it exists), exists, or state (state, custodian)
  TRACEGATE_TRACK_SEGMENT_REPORTS, TRACEGATE_TRACK_SEGMENT_SECONDS   a seal's pending device reports are anchored
                           once this many are pending (default 120) or the oldest is this old in ledger time
                           (default 3600); an alert or the unsealing anchors them at once (api/README.md)
`;

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`TraceGate cannot start with this configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n\n${SETTINGS_HELP}`);
    this.name = "ConfigurationError";
  }
}

export function readProductSettings(env: NodeJS.ProcessEnv, cwd: string): ProductSettings {
  const read = new SettingsReader("start", env);
  const home = readHome(read, cwd);
  const api = readApiSettings(read, home, cwd);
  const indexer = readIndexerSettings(read, home);
  const settings: ProductSettings = {
    home,
    host: api.host,
    apiPort: api.port,
    publicLotPart: api.publicLotPart,
    track: api.track,
    metricsPort: indexer.metricsPort,
    ledger: { kind: "embedded", rpcPort: 0, rpcHost: "127.0.0.1" },
    indexStore: indexer.indexStore,
    ledgerCache: indexer.ledgerCache,
    documents: { kind: "embedded", directory: resolve(home, "documents") },
    tokens: api.tokens,
    findings: indexer.findings,
    documentKeys: { directory: resolve(home, "keys"), orgs: "all" },
  };

  const ledger = read.text("TRACEGATE_LEDGER") ?? "embedded";
  // Checked on every ledger: a setting the product would ignore is a mistake to report, not to ignore.
  if (indexer.finality !== undefined && ledger === "embedded") {
    read.problem("TRACEGATE_FINALITY applies to an external ledger (TRACEGATE_LEDGER=evm or fabric): the embedded chain never reorganises, so unset it");
  }
  if (ledger === "embedded") {
    settings.ledger = { kind: "embedded", rpcPort: read.port("TRACEGATE_RPC_PORT", 8545), rpcHost: read.text("TRACEGATE_RPC_HOST") ?? "127.0.0.1" };
  } else if (ledger !== "evm" && ledger !== "fabric") {
    read.problem(`TRACEGATE_LEDGER must be embedded, evm or fabric, not "${ledger}"`);
  } else {
    try {
      const memberKeys = read.text("TRACEGATE_MEMBER_KEYS");
      settings.ledger = {
        kind: "external",
        source: readSourceSettings({}, env, "start"),
        finality: indexer.finality,
        ...(memberKeys === undefined ? {} : { memberKeys: resolve(cwd, memberKeys) }),
      };
    } catch (error) {
      if (!(error instanceof SourceSettingsError)) throw error;
      read.problem(error.message);
    }
  }

  const decryptFor = read.text("TRACEGATE_DECRYPT_FOR");
  if (decryptFor !== undefined && decryptFor !== "all") {
    const orgs = decryptFor === "none" ? [] : decryptFor.split(",").map((org) => org.trim());
    if (orgs.every((org) => /^[\x21-\x7e]{1,31}$/.test(org) && !org.includes(","))) settings.documentKeys.orgs = orgs;
    else read.problem(`TRACEGATE_DECRYPT_FOR must be all, none or organisation ids separated by commas (e.g. CUSTOMS,ENT-1), not "${decryptFor}"`);
  }
  const kubo = read.url("TRACEGATE_IPFS_API", "http://127.0.0.1:5001");
  if (kubo !== undefined) settings.documents = { kind: "kubo", url: kubo };
  if (read.problems.length > 0) throw new ConfigurationError(read.problems);
  return settings;
}
