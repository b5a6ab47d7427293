/**
 * Hardhat's in-process EDR chain with TraceGate deployed by its Ignition module (tests, benchmarks),
 * optionally served over HTTP JSON-RPC on 127.0.0.1 (`npm run node`). Hardhat is loaded on demand and
 * reads the project's hardhat.config.ts, so this runs from the repository only.
 */
import type { NetworkConnection } from "hardhat/types/network";
import TraceGateModule from "../../scripts/ignition/TraceGate.js";
import type { ContractAddresses } from "./chain-reads.js";
import { serveJsonRpc } from "./json-rpc-http.js";

export interface EmbeddedChainOptions {
  /** The registry's administrator (default: the deploying account). */
  admin?: string;
  /** Serve the chain over HTTP JSON-RPC on 127.0.0.1 at this port (0: any free port). */
  port?: number;
}

export interface EmbeddedChain {
  /** The Hardhat connection (its provider is the chain, in process). */
  connection: NetworkConnection;
  addresses: ContractAddresses;
  /** The deploying account. */
  deployer: string;
  /** The JSON-RPC URL, when served. */
  url: string | undefined;
  stop(): Promise<void>;
}

export async function startEmbeddedChain(options: EmbeddedChainOptions = {}): Promise<EmbeddedChain> {
  const connection = await (await import("hardhat")).default.network.create();
  const parameters = options.admin === undefined ? undefined : { parameters: { TraceGate: { admin: options.admin } } };
  const { registry, custody } = await connection.ignition.deploy(TraceGateModule, parameters);
  const [deployer] = (await connection.provider.request({ method: "eth_accounts" })) as string[];
  const endpoint = options.port === undefined ? undefined : await serveJsonRpc(connection.provider, options.port);
  return {
    connection,
    addresses: { TraceGateRegistry: await registry.getAddress(), CustodyRegistry: await custody.getAddress() },
    deployer: deployer!,
    url: endpoint?.url,
    async stop() {
      await endpoint?.close();
      await connection.close();
    },
  };
}
