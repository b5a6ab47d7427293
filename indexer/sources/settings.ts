/**
 * Which ledger the indexer follows and how to reach it, from flags or environment variables (flags
 * win), checked before anything connects: a missing or contradictory setting is named, flag and
 * variable, in a SourceSettingsError. The EVM endpoint and addresses are checked as the CLI checks them.
 */
import { isAddress } from "ethers";
import { SettingsReader, urlList, type FlagValues } from "../../sdk/settings/reader.js";

export type SourceSettings = EvmSourceSettings | FabricSourceSettings;

export interface EvmSourceSettings {
  ledger: "evm";
  /** JSON-RPC endpoints of the chain: reads are spread over them (sdk/evm/endpoints.ts). */
  rpc: string[];
  /** TraceGateRegistry and CustodyRegistry addresses. */
  registry: string;
  custody: string;
  /** The contracts' deployment block; undefined: found on the chain. */
  fromBlock?: bigint;
}

export interface FabricSourceSettings {
  ledger: "fabric";
  /** A peer's Fabric Gateway, host:port. */
  gateway: string;
  /** TLS with this CA certificate (PEM file) and, optionally, the name the peer's certificate carries; or no TLS (a local peer). */
  tls: { caCertPath: string; serverName?: string } | "plaintext";
  /** The identity that reads the channel's blocks: its MSP, certificate and private key (PEM files). */
  mspId: string;
  certPath: string;
  keyPath: string;
  channel: string;
  chaincode: string;
}

/** A setting that is missing, malformed, or contradicts another. */
export class SourceSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourceSettingsError";
  }
}

/** Each setting's flag (without "--") and environment variable. */
const SETTINGS = {
  ledger: "TRACEGATE_LEDGER",
  rpc: "TRACEGATE_RPC_URL",
  registry: "TRACEGATE_REGISTRY",
  custody: "TRACEGATE_CUSTODY",
  "from-block": "TRACEGATE_FROM_BLOCK",
  "fabric-gateway": "TRACEGATE_FABRIC_GATEWAY",
  "fabric-tls-ca": "TRACEGATE_FABRIC_TLS_CA",
  "fabric-tls-server-name": "TRACEGATE_FABRIC_TLS_SERVER_NAME",
  "fabric-plaintext": "TRACEGATE_FABRIC_PLAINTEXT",
  "fabric-msp-id": "TRACEGATE_FABRIC_MSP_ID",
  "fabric-cert": "TRACEGATE_FABRIC_CERT",
  "fabric-key": "TRACEGATE_FABRIC_KEY",
  "fabric-channel": "TRACEGATE_FABRIC_CHANNEL",
  "fabric-chaincode": "TRACEGATE_FABRIC_CHAINCODE",
} as const;

export type SourceFlag = keyof typeof SETTINGS;
export type SourceFlags = Partial<Record<SourceFlag, string | boolean>>;

/** The flags as node:util parseArgs options, for a command to merge into its own. */
export const SOURCE_OPTIONS = Object.fromEntries(Object.keys(SETTINGS).map((flag) => [flag, { type: flag === "fabric-plaintext" ? "boolean" : "string" }])) as {
  [F in SourceFlag]: { type: F extends "fabric-plaintext" ? "boolean" : "string" };
};

/** How a message names a setting. */
export function settingName(flag: SourceFlag): string {
  return `--${flag} (${SETTINGS[flag]})`;
}

/**
 * The source settings given by `flags`, else by `env`, read by `command`'s settings reader as its other
 * settings are; throws SourceSettingsError naming every missing one.
 */
export function readSourceSettings(flags: SourceFlags, env: NodeJS.ProcessEnv = process.env, command: "start" | "indexer" = "indexer"): SourceSettings {
  const given = Object.entries(SETTINGS).map(([flag, variable]) => [variable, { flag: `--${flag}`, value: flags[flag as SourceFlag]?.toString() }]);
  const read = new SettingsReader(command, env, Object.fromEntries(given) as FlagValues);
  const value = (flag: SourceFlag): string | undefined => read.text(SETTINGS[flag]);
  const required = (...names: SourceFlag[]): string[] => {
    const missing = names.filter((flag) => value(flag) === undefined);
    if (missing.length > 0) throw new SourceSettingsError(`the ${ledger} source needs ${missing.map(settingName).join(", ")}`);
    return names.map((flag) => value(flag)!);
  };

  const ledger = value("ledger") ?? "evm";
  if (ledger === "evm") {
    const [registry, custody] = required("registry", "custody");
    for (const [flag, address] of [
      ["registry", registry!],
      ["custody", custody!],
    ] as const) {
      if (!isAddress(address)) throw new SourceSettingsError(`${settingName(flag)} must be a 0x-prefixed 20-byte address, not "${address}"`);
    }
    const { urls: rpc, problem } = urlList(value("rpc") ?? "http://127.0.0.1:8545", "http://127.0.0.1:8545");
    if (problem !== undefined) throw new SourceSettingsError(`${settingName("rpc")} ${problem}`);
    const fromBlock = value("from-block");
    if (fromBlock !== undefined && !/^\d+$/.test(fromBlock)) throw new SourceSettingsError(`${settingName("from-block")} is a block number, not ${fromBlock}`);
    return {
      ledger,
      rpc,
      registry: registry!,
      custody: custody!,
      ...(fromBlock === undefined ? {} : { fromBlock: BigInt(fromBlock) }),
    };
  }
  if (ledger !== "fabric") throw new SourceSettingsError(`${settingName("ledger")} is evm or fabric, not ${ledger}`);
  const [gateway, mspId, certPath, keyPath, channel] = required("fabric-gateway", "fabric-msp-id", "fabric-cert", "fabric-key", "fabric-channel");
  return {
    ledger,
    gateway: gateway!,
    tls: tlsOf(value("fabric-tls-ca"), value("fabric-tls-server-name"), isTrue(value("fabric-plaintext"))),
    mspId: mspId!,
    certPath: certPath!,
    keyPath: keyPath!,
    channel: channel!,
    chaincode: value("fabric-chaincode") ?? "tracegate",
  };
}

function tlsOf(caCertPath: string | undefined, serverName: string | undefined, plaintext: boolean): FabricSourceSettings["tls"] {
  if (plaintext) {
    if (caCertPath !== undefined || serverName !== undefined) {
      throw new SourceSettingsError(
        `${settingName("fabric-plaintext")} turns TLS off: drop ${settingName("fabric-tls-ca")} and ${settingName("fabric-tls-server-name")}`,
      );
    }
    return "plaintext";
  }
  if (caCertPath === undefined) {
    throw new SourceSettingsError(
      `the fabric source needs ${settingName("fabric-tls-ca")}, the peer's TLS CA certificate, or ${settingName("fabric-plaintext")} for a peer without TLS`,
    );
  }
  return { caCertPath, ...(serverName === undefined ? {} : { serverName }) };
}

function isTrue(text: string | undefined): boolean {
  if (text === undefined || text === "false" || text === "0") return false;
  if (text === "true" || text === "1") return true;
  throw new SourceSettingsError(`${settingName("fabric-plaintext")} is true or false, not ${text}`);
}
