/**
 * network.json, next to a chain journal: what a restarted demo network reuses instead of deploying and
 * registering again (the contracts' addresses, the deployer, the registrar's and members' keys) and the
 * chain's key secret, from which its genesis account and every member key derive (demoKey). A file in
 * the first format, made before chains had a secret, has none: that chain's keys are publicly known.
 */
import { closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isAddress } from "ethers";
import { ROLES } from "../../domain/index.js";
import { array, decodeAs, fromJson, object, oneOf, refined, string } from "../../domain/json-shapes.js";
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

const key = (what: string) => refined(string, (value) => KEY.test(value), `${what} (0x and 64 hex digits)`);
const address = refined(string, (value) => isAddress(value), "an address");
const networkShape = object(
  {
    format: oneOf([NETWORK_FORMAT, PUBLIC_KEYS_FORMAT]),
    addresses: object({ TraceGateRegistry: address, CustodyRegistry: address }),
    deployer: address,
    registrarKey: key("the registrar's key"),
    signers: array(object({ org: string, role: oneOf(ROLES), privateKey: key("a member's key") })),
  },
  { keySecret: key("the chain's key secret") },
);

/** Reads a network file; one holding a key secret must be readable by its owner only. */
export function readNetworkFile(path: string): NetworkFile {
  const invalid = (detail: string) => new ChainDataError(path, `the network file ${path} ${detail}. ${CHAIN_DATA_REMEDY}`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw invalid(`cannot be read (${error instanceof Error ? error.message : error})`);
  }
  const file = decodeAs(
    (where) => invalid(`is not a network file: ${where}`),
    () => fromJson(networkShape, text),
  );
  const { format, addresses, deployer, registrarKey, signers, keySecret } = file;
  if (format === NETWORK_FORMAT && keySecret === undefined) throw invalid("lacks the chain's key secret (32 bytes, hex)");
  const mode = statSync(path).mode & 0o777;
  if (format === NETWORK_FORMAT && (mode & 0o077) !== 0) {
    throw new ChainDataError(
      path,
      `the network file ${path} holds the chain's keys and is readable by other users (mode ${mode.toString(8).padStart(4, "0")}): ` +
        `make it private (chmod 600 ${path}); if anyone else may have read it, they can sign as the chain's accounts: move the data directory aside to start a fresh chain`,
    );
  }
  return { addresses, deployer, registrarKey, signers, keySecret: format === NETWORK_FORMAT ? keySecret : undefined };
}
