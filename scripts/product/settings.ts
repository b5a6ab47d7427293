/**
 * The product's configuration, from environment variables, validated before anything starts: every
 * problem is reported at once, each with the variable to fix.
 */
import { resolve } from "node:path";
import { API_AUDIENCE } from "../../api/auth/dev-tokens.js";
import { DEFAULT_FINDING_SETTINGS, FindingSettingsError, readFindingSettings, type FindingSettings } from "../../indexer/findings/settings.js";
import { readSourceSettings, SourceSettingsError, type SourceSettings } from "../../indexer/sources/settings.js";

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

export type TokenSettings =
  /** A signing key kept in the data directory; the product prints a token per organisation. */
  | { kind: "development"; keyFile: string }
  /** Tokens from the organisations' identity provider, verified against these keys. */
  | { kind: "trusted-keys"; jwksFile: string; issuer: string; audience: string };

export interface ProductSettings {
  /** Everything the product keeps: chain journal, index, documents, keys. */
  home: string;
  host: string;
  apiPort: number;
  metricsPort: number;
  ledger: LedgerSettings;
  /** A SQLite file or a postgres:// URL. */
  indexStore: string;
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
`;

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`TraceGate cannot start with this configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n\n${SETTINGS_HELP}`);
    this.name = "ConfigurationError";
  }
}

export function readProductSettings(env: NodeJS.ProcessEnv, cwd: string): ProductSettings {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const port = (name: string, fallback: number): number => {
    const text = read(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value > 65_535) problems.push(`${name} must be a port number 0-65535, not "${text}"`);
    return value;
  };
  const required = (name: string, why: string): string => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is not set: ${why}`);
    return value ?? "";
  };
  const url = (name: string, value: string | undefined, example: string): string | undefined => {
    if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) problems.push(`${name} must be an http(s) URL such as ${example}, not "${value}"`);
    return value;
  };

  const home = resolve(cwd, read("TRACEGATE_HOME") ?? ".tracegate");
  const settings: ProductSettings = {
    home,
    host: read("TRACEGATE_HOST") ?? "127.0.0.1",
    apiPort: port("TRACEGATE_PORT", 4000),
    metricsPort: port("TRACEGATE_METRICS_PORT", 9464),
    ledger: { kind: "embedded", rpcPort: 0, rpcHost: "127.0.0.1" },
    indexStore: read("TRACEGATE_INDEX_STORE") ?? resolve(home, "index.sqlite"),
    documents: { kind: "embedded", directory: resolve(home, "documents") },
    tokens: { kind: "development", keyFile: resolve(home, "api-dev-key.json") },
    findings: DEFAULT_FINDING_SETTINGS,
    documentKeys: { directory: resolve(home, "keys"), orgs: "all" },
  };
  try {
    settings.findings = readFindingSettings(env);
  } catch (error) {
    if (!(error instanceof FindingSettingsError)) throw error;
    problems.push(...error.problems);
  }

  const ledger = read("TRACEGATE_LEDGER") ?? "embedded";
  // Checked on every ledger: a setting the product would ignore is a mistake to report, not to ignore.
  const finalityText = read("TRACEGATE_FINALITY");
  const finality = finalityText === undefined ? undefined : Number(finalityText);
  if (finality !== undefined && (!/^\d+$/.test(finalityText!) || !Number.isSafeInteger(finality))) {
    problems.push(`TRACEGATE_FINALITY must be a whole number of blocks, not "${finalityText}"`);
  } else if (finality !== undefined && ledger === "embedded") {
    problems.push("TRACEGATE_FINALITY applies to an external ledger (TRACEGATE_LEDGER=evm or fabric): the embedded chain never reorganises, so unset it");
  }
  if (ledger === "embedded") {
    settings.ledger = { kind: "embedded", rpcPort: port("TRACEGATE_RPC_PORT", 8545), rpcHost: read("TRACEGATE_RPC_HOST") ?? "127.0.0.1" };
  } else if (ledger !== "evm" && ledger !== "fabric") {
    problems.push(`TRACEGATE_LEDGER must be embedded, evm or fabric, not "${ledger}"`);
  } else {
    try {
      const memberKeys = read("TRACEGATE_MEMBER_KEYS");
      settings.ledger = { kind: "external", source: readSourceSettings({}, env), finality, ...(memberKeys === undefined ? {} : { memberKeys: resolve(cwd, memberKeys) }) };
    } catch (error) {
      if (!(error instanceof SourceSettingsError)) throw error;
      problems.push(error.message);
    }
  }

  const decryptFor = read("TRACEGATE_DECRYPT_FOR");
  if (decryptFor !== undefined && decryptFor !== "all") {
    const orgs = decryptFor === "none" ? [] : decryptFor.split(",").map((org) => org.trim());
    if (orgs.every((org) => /^[\x21-\x7e]{1,31}$/.test(org) && !org.includes(","))) settings.documentKeys.orgs = orgs;
    else problems.push(`TRACEGATE_DECRYPT_FOR must be all, none or organisation ids separated by commas (e.g. CUSTOMS,ENT-1), not "${decryptFor}"`);
  }

  const store = settings.indexStore;
  if (/^[a-z]+:\/\//i.test(store) && !/^postgres(ql)?:\/\//i.test(store)) {
    problems.push(`TRACEGATE_INDEX_STORE must be a file path or a postgres:// URL, not "${store}"`);
  }
  const kubo = url("TRACEGATE_IPFS_API", read("TRACEGATE_IPFS_API"), "http://127.0.0.1:5001");
  if (kubo !== undefined) settings.documents = { kind: "kubo", url: kubo };
  const jwks = read("TRACEGATE_JWKS");
  if (jwks !== undefined) {
    settings.tokens = {
      kind: "trusted-keys",
      jwksFile: resolve(cwd, jwks),
      issuer: required("TRACEGATE_JWT_ISSUER", "the issuer (iss) your identity provider puts in tokens"),
      audience: read("TRACEGATE_JWT_AUDIENCE") ?? API_AUDIENCE,
    };
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}
