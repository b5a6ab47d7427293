/**
 * network.json, next to a chain journal: what a restarted demo network reuses instead of deploying and
 * registering again (the contracts' addresses, the deployer, the registrar's and members' keys) and the
 * chain's key secret, from which its genesis account and every member key derive (demoKey). A file in
 * the first format, made before chains had a secret, has none: that chain's keys are publicly known.
 */
import { closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isAddress } from "ethers";
import { ROLES, type Id, type Role } from "../../domain/index.js";
import { CHAIN_DATA_REMEDY, ChainDataError } from "./chain-journal.js";
import type { Deployment } from "./embedded-chain.js";
import type { SignerKey } from "../../sdk/evm/ledger.js";

const NETWORK_FORMAT = "tracegate-demo-network/2";
/** Before key secrets: the keys derive from public labels. */
const PUBLIC_KEYS_FORMAT = "tracegate-demo-network/1";
const KEY = /^0x[0-9a-fA-F]{64}$/;

export interface NetworkFile extends Deployment {
  registrarKey: string;
  signers: SignerKey[];
  /** 32 random bytes (hex), made with the chain; undefined for a chain made before secrets (public keys). */
  keySecret: string | undefined;
}

/** A persistent chain's folder in its data directory, and its network file there. */
export const CHAIN_DIR = "chain";
export const NETWORK_FILE = "network.json";

/** The network file of the persistent chain kept in the data directory `dataDir`. */
export function networkFilePath(dataDir: string): string {
  return join(dataDir, CHAIN_DIR, NETWORK_FILE);
}

/** Writes `network` durably, readable by its owner only (0600); refuses to overwrite a file. */
export function writeNetworkFile(path: string, network: NetworkFile): void {
  if (network.keySecret === undefined) throw new TypeError("a new network file holds its chain's key secret");
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ format: NETWORK_FORMAT, ...network }, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads a network file; one holding a key secret must be readable by its owner only. */
export function readNetworkFile(path: string): NetworkFile {
  const invalid = (detail: string) => new ChainDataError(path, `the network file ${path} ${detail}. ${CHAIN_DATA_REMEDY}`);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw invalid(`cannot be read as JSON (${error instanceof Error ? error.message : error})`);
  }
  if (json?.format !== NETWORK_FORMAT && json?.format !== PUBLIC_KEYS_FORMAT) throw invalid(`is not in the format ${NETWORK_FORMAT}`);
  const { addresses, deployer, registrarKey, signers, keySecret } = json as Partial<Record<string, unknown>> & { addresses?: Record<string, unknown> };
  if (!isAddress(addresses?.TraceGateRegistry) || !isAddress(addresses?.CustodyRegistry)) throw invalid("lacks the contracts' addresses");
  if (!isAddress(deployer)) throw invalid("lacks the deployer's address");
  if (typeof registrarKey !== "string" || !KEY.test(registrarKey)) throw invalid("lacks the registrar's key");
  if (!Array.isArray(signers) || !signers.every(isSignerKey)) throw invalid("lacks the members' keys (org, role, privateKey)");
  if (json.format === NETWORK_FORMAT && (typeof keySecret !== "string" || !KEY.test(keySecret))) throw invalid("lacks the chain's key secret (32 bytes, hex)");
  const mode = statSync(path).mode & 0o777;
  if (json.format === NETWORK_FORMAT && (mode & 0o077) !== 0) {
    throw new ChainDataError(
      path,
      `the network file ${path} holds the chain's keys and is readable by other users (mode ${mode.toString(8).padStart(4, "0")}): ` +
        `make it private (chmod 600 ${path}); if anyone else may have read it, they can sign as the chain's accounts: move the data directory aside to start a fresh chain`,
    );
  }
  return {
    addresses: { TraceGateRegistry: addresses.TraceGateRegistry, CustodyRegistry: addresses.CustodyRegistry },
    deployer,
    registrarKey,
    signers,
    keySecret: json.format === NETWORK_FORMAT ? (keySecret as string) : undefined,
  };
}

function isSignerKey(value: unknown): value is SignerKey {
  const { org, role, privateKey } = (value ?? {}) as { org?: Id; role?: Role; privateKey?: unknown };
  return typeof org === "string" && ROLES.includes(role as Role) && typeof privateKey === "string" && KEY.test(privateKey);
}
