/**
 * Settings from flags and environment variables (flags win), validated before anything connects.
 * The signer's private key and the API token come only from the environment or a file, never from a
 * flag that would show in the process list.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ROLES, type Role } from "../../domain/index.js";
import type { ContractAddresses } from "../evm/chain-reads.js";
import { isAlive, readRunningFile, RunningFileError, type RunningProduct } from "../running-file.js";
import { SettingsReader } from "../settings/reader.js";
import { NodeUnavailableError, UsageError } from "./exit-codes.js";

export const SETTING_OPTIONS = {
  "rpc-url": { type: "string" },
  registry: { type: "string" },
  custody: { type: "string" },
  "from-block": { type: "string" },
  confirmations: { type: "string" },
  org: { type: "string" },
  role: { type: "string" },
  "key-file": { type: "string" },
  "data-dir": { type: "string" },
  "keys-dir": { type: "string" },
  "public-url": { type: "string" },
} as const;

export type SettingFlags = Partial<Record<keyof typeof SETTING_OPTIONS, string>>;

export interface Settings {
  /** One JSON-RPC URL, or several of one chain (the next when one fails: sdk/evm/endpoints.ts). */
  rpcUrls: string[];
  /** The bearer token a node asks for (TraceGate's embedded chain off loopback: its control token). */
  rpcToken: string | undefined;
  addresses: ContractAddresses;
  fromBlock: bigint;
  confirmations: number;
  /** The organisation this user acts and reads for, and the role its key holds. */
  org: string | undefined;
  role: Role;
  privateKey: string | undefined;
  /** The embedded document store's block directory. */
  dataDir: string;
  /** Organisations' X25519 keys: ORG.public.pem, and this organisation's ORG.private.pem. */
  keysDir: string;
  /** Organisations every anchored document is shared with, besides the issuer. */
  shareWith: string[];
  /** The node's address as a scanner reaches it: the base of verification links (--qr, stamp). */
  publicUrl: string | undefined;
}

export const ENVIRONMENT_HELP = `Configuration (environment variable, or the flag in brackets; flags win):
  TRACEGATE_RPC_URL       [--rpc-url]       JSON-RPC endpoint, or several comma-separated
                                            (default http://127.0.0.1:8545)
  TRACEGATE_RPC_TOKEN                       bearer token the endpoint asks for, if it does
  TRACEGATE_REGISTRY      [--registry]      TraceGateRegistry contract address (required)
  TRACEGATE_CUSTODY       [--custody]       CustodyRegistry contract address (required)
  TRACEGATE_FROM_BLOCK    [--from-block]    block the contracts were deployed in (default 0)
  TRACEGATE_CONFIRMATIONS [--confirmations] blocks before a transaction counts (default 1)
  TRACEGATE_ORG           [--org]           your organisation id
  TRACEGATE_ROLE          [--role]          the role your key holds (default SIGNER)
  TRACEGATE_PRIVATE_KEY   [--key-file]      your account's private key (hex), or a file holding it
  TRACEGATE_DATA_DIR      [--data-dir]      embedded document store directory (default $TRACEGATE_HOME/documents)
  TRACEGATE_KEYS_DIR      [--keys-dir]      organisations' document keys: ORG.public.pem, your ORG.private.pem
                                            (default $TRACEGATE_HOME/keys)
  TRACEGATE_SHARE_WITH    [--share-with]    organisations to share anchored documents with (comma-separated)
  TRACEGATE_HOME                            the data directory \`npm start\` uses (default .tracegate)
  TRACEGATE_PUBLIC_URL    [--public-url]    the node's address as people scanning a code reach it: the base of
                                            verification links (anchor --qr, stamp; default TRACEGATE_API_URL)

capture and act ask a TraceGate node to act for you, as your API token's organisation and role:
  TRACEGATE_API_URL       [--api-url]       the node's API, e.g. http://127.0.0.1:4000 (default: the TraceGate
                                            \`npm start\` runs on TRACEGATE_HOME, default .tracegate)
  TRACEGATE_API_TOKEN     [--api-token-file FILE]
                                            your API token, or a file holding it (\`npm start\` prints
                                            development tokens; the CLI does not make tokens)
`;

export function readSettings(flags: SettingFlags, env: NodeJS.ProcessEnv, cwd: string, shareWith: string | undefined): Settings {
  const flag = (name: keyof SettingFlags) => ({ flag: `--${name}`, value: flags[name] });
  const read = new SettingsReader("tracegate", env, {
    TRACEGATE_RPC_URL: flag("rpc-url"),
    TRACEGATE_REGISTRY: flag("registry"),
    TRACEGATE_CUSTODY: flag("custody"),
    TRACEGATE_FROM_BLOCK: flag("from-block"),
    TRACEGATE_CONFIRMATIONS: flag("confirmations"),
    TRACEGATE_ORG: flag("org"),
    TRACEGATE_ROLE: flag("role"),
    TRACEGATE_DATA_DIR: flag("data-dir"),
    TRACEGATE_KEYS_DIR: flag("keys-dir"),
    TRACEGATE_SHARE_WITH: { flag: "--share-with", value: shareWith },
    TRACEGATE_PUBLIC_URL: flag("public-url"),
  });
  const contract = (variable: "TRACEGATE_REGISTRY" | "TRACEGATE_CUSTODY", flagName: string): string => {
    const address = read.address(variable);
    if (address === undefined)
      read.problem(`${variable} is not set: give the contract's address (${flagName} or ${variable}); \`npm start\` prints the addresses of the local chain`);
    return address ?? "";
  };
  const keyFile = flags["key-file"];
  // The data directory `npm start` keeps its documents and keys in.
  const home = resolve(cwd, read.text("TRACEGATE_HOME") ?? ".tracegate");
  const settings: Settings = {
    rpcUrls: read.urls("TRACEGATE_RPC_URL", "http://127.0.0.1:8545") ?? ["http://127.0.0.1:8545"],
    rpcToken: read.text("TRACEGATE_RPC_TOKEN"),
    addresses: { TraceGateRegistry: contract("TRACEGATE_REGISTRY", "--registry"), CustodyRegistry: contract("TRACEGATE_CUSTODY", "--custody") },
    fromBlock: BigInt(read.wholeNumber("TRACEGATE_FROM_BLOCK", 0) ?? 0),
    confirmations: read.wholeNumber("TRACEGATE_CONFIRMATIONS", 1) ?? 1,
    org: read.text("TRACEGATE_ORG"),
    role: role(read),
    privateKey: keyFile === undefined ? read.text("TRACEGATE_PRIVATE_KEY") : readSecretFile(resolve(cwd, keyFile), "key"),
    dataDir: resolve(cwd, read.text("TRACEGATE_DATA_DIR") ?? resolve(home, "documents")),
    keysDir: resolve(cwd, read.text("TRACEGATE_KEYS_DIR") ?? resolve(home, "keys")),
    shareWith: (read.text("TRACEGATE_SHARE_WITH") ?? "")
      .split(",")
      .map((org) => org.trim())
      .filter((org) => org !== ""),
    publicUrl: read.text("TRACEGATE_PUBLIC_URL") ?? read.text("TRACEGATE_API_URL"),
  };
  if (read.problems.length > 0) throw new UsageError(read.problems.join("\n"));
  return settings;
}

export const NODE_SETTING_OPTIONS = {
  "api-url": { type: "string" },
  "api-token-file": { type: "string" },
} as const;

export type NodeSettingFlags = Partial<Record<keyof typeof NODE_SETTING_OPTIONS, string>>;

export interface NodeSettings {
  /** The node's API, without a trailing slash. */
  apiUrl: string;
  /** The bearer token the API takes: its organisation and role are who acts. */
  token: string;
}

/** The node and the token, like readSettings: flags win, and the token never comes from a flag. */
export function readNodeSettings(flags: NodeSettingFlags, env: NodeJS.ProcessEnv, cwd: string): NodeSettings {
  const read = new SettingsReader("tracegate", env, { TRACEGATE_API_URL: { flag: "--api-url", value: flags["api-url"] } });
  const given = read.url("TRACEGATE_API_URL", "http://127.0.0.1:4000");
  if (read.problems.length > 0) throw new UsageError(read.problems.join("\n"));
  const apiUrl = (given ?? runningApiUrl(resolve(cwd, read.text("TRACEGATE_HOME") ?? ".tracegate"))).replace(/\/+$/, "");
  const tokenFile = flags["api-token-file"];
  const token = tokenFile === undefined ? read.text("TRACEGATE_API_TOKEN") : readSecretFile(resolve(cwd, tokenFile), "API token");
  if (token === undefined) {
    throw new UsageError(
      "TRACEGATE_API_TOKEN is not set: give your API token (the environment variable, or --api-token-file FILE); `npm start` prints a development token per organisation",
    );
  }
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new UsageError("TRACEGATE_API_TOKEN must be the token as it was printed: one line of printable characters, without spaces");
  return { apiUrl, token };
}

/**
 * The API of the TraceGate running on `home` (its `running.json`, written by \`npm start\`), so that a
 * local node needs no setting. A file left by a stopped node names a process that is gone.
 */
function runningApiUrl(home: string): string {
  let running: RunningProduct | undefined;
  try {
    running = readRunningFile(home);
  } catch (error) {
    if (error instanceof RunningFileError) throw new UsageError(`${error.message}: set TRACEGATE_API_URL to the node's API`);
    throw error;
  }
  if (running === undefined) {
    throw new UsageError(
      `TRACEGATE_API_URL is not set and no TraceGate is running on ${home}: give the node's API (--api-url or TRACEGATE_API_URL, e.g. http://127.0.0.1:4000), or start one with \`npm start\` (TRACEGATE_HOME names its data directory)`,
    );
  }
  if (!isAlive(running.pid))
    throw new NodeUnavailableError(`TraceGate on ${home} has stopped (process ${running.pid} is gone): start it with \`npm start\`, or set TRACEGATE_API_URL`);
  return running.apiUrl;
}

function role(read: SettingsReader): Role {
  const value = read.text("TRACEGATE_ROLE") ?? "SIGNER";
  if (!(ROLES as readonly string[]).includes(value)) read.problem(`${read.nameOf("TRACEGATE_ROLE")} must be one of ${ROLES.join(", ")}, not "${value}"`);
  return value as Role;
}

function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    throw new UsageError(`cannot read the ${what} file ${path}`);
  }
}
