/**
 * network.json, next to a chain journal: what a restarted demo network reuses instead of deploying and
 * registering again (the contracts' addresses, the deployer, the registrar's and members' demo keys).
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { isAddress } from "ethers";
import { ROLES, type Id, type Role } from "../../domain/index.js";
import { CHAIN_DATA_REMEDY, ChainDataError } from "./chain-journal.js";
import type { Deployment } from "./embedded-chain.js";
import type { SignerKey } from "./ledger.js";

const NETWORK_FORMAT = "tracegate-demo-network/1";
const KEY = /^0x[0-9a-fA-F]{64}$/;

export interface NetworkFile extends Deployment {
  registrarKey: string;
  signers: SignerKey[];
}

/** Writes `network` durably; refuses to overwrite a file. Demo keys only, yet private: mode 0600. */
export function writeNetworkFile(path: string, network: NetworkFile): void {
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ format: NETWORK_FORMAT, ...network }, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function readNetworkFile(path: string): NetworkFile {
  const invalid = (detail: string) => new ChainDataError(path, `the network file ${path} ${detail}. ${CHAIN_DATA_REMEDY}`);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw invalid(`cannot be read as JSON (${error instanceof Error ? error.message : error})`);
  }
  if (json?.format !== NETWORK_FORMAT) throw invalid(`is not in the format ${NETWORK_FORMAT}`);
  const { addresses, deployer, registrarKey, signers } = json as Partial<Record<string, unknown>> & { addresses?: Record<string, unknown> };
  if (!isAddress(addresses?.TraceGateRegistry) || !isAddress(addresses?.CustodyRegistry)) throw invalid("lacks the contracts' addresses");
  if (!isAddress(deployer)) throw invalid("lacks the deployer's address");
  if (typeof registrarKey !== "string" || !KEY.test(registrarKey)) throw invalid("lacks the registrar's key");
  if (!Array.isArray(signers) || !signers.every(isSignerKey)) throw invalid("lacks the members' keys (org, role, privateKey)");
  return { addresses: { TraceGateRegistry: addresses.TraceGateRegistry, CustodyRegistry: addresses.CustodyRegistry }, deployer, registrarKey, signers };
}

function isSignerKey(value: unknown): value is SignerKey {
  const { org, role, privateKey } = (value ?? {}) as { org?: Id; role?: Role; privateKey?: unknown };
  return typeof org === "string" && ROLES.includes(role as Role) && typeof privateKey === "string" && KEY.test(privateKey);
}
