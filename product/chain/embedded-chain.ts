/**
 * Hardhat's in-process EDR chain with TraceGate deployed by its Ignition module (tests, benchmarks),
 * optionally served over HTTP JSON-RPC on 127.0.0.1 (`npm start`; json-rpc-http.ts says who may call
 * what). Hardhat is loaded on demand and reads the project's hardhat.config.ts, so this runs from the
 * repository only.
 */
import type { NetworkConfigOverride } from "hardhat/types/config";
import type { NetworkConnection } from "hardhat/types/network";
import TraceGateModule from "./ignition/TraceGate.js";
import type { ContractAddresses } from "../../sdk/evm/chain-reads.js";
import { JournalingProvider } from "./journaling-provider.js";
import { ExecutionGate } from "./execution-gate.js";
import { serveJsonRpc } from "./json-rpc-http.js";
import { LedgerClockGuard } from "./ledger-clock.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";

export interface ServeOptions {
  /** Serve the chain over HTTP JSON-RPC at this port (0: any free port); unset: in process only. */
  port?: number;
  /** Where it listens (default 127.0.0.1); beyond loopback only with `controlToken`, which every request must then carry. */
  host?: string;
  /** The bearer token that opens the node's control methods over HTTP (unset: they stay in process). */
  controlToken?: string;
}

export interface EmbeddedChainOptions extends ServeOptions {
  /** The registry's administrator (default: the deploying account). */
  admin?: string;
}

/** The contracts' addresses and the account that deployed them. */
export interface Deployment {
  addresses: ContractAddresses;
  /** The deploying account (the first of Hardhat's genesis-funded accounts). */
  deployer: string;
}

export interface EmbeddedChain extends Deployment {
  /** The Hardhat connection (its provider is the chain, in process). */
  connection: NetworkConnection;
  /**
   * Where requests go, in process and over HTTP: the connection's provider, or on a persistent chain
   * the journaling provider in front of it (what is sent to `connection.provider` is not journaled),
   * behind a guard that refuses block times far ahead of the wall clock (ledger-clock.ts); public
   * callers' executing calls over HTTP wait for its requests (execution-gate.ts).
   */
  provider: Eip1193Provider;
  /** The JSON-RPC URL, when served. */
  url: string | undefined;
  /** On a persistent chain, the last block its journal holds on disk (JournalingProvider.durableHead). */
  durableHead: (() => bigint) | undefined;
  stop(): Promise<void>;
}

export async function startEmbeddedChain(options: EmbeddedChainOptions = {}): Promise<EmbeddedChain> {
  const connection = await createChainConnection();
  const deployment = await deployTraceGate(connection, options.admin);
  return serveChain(connection, connection.provider, deployment, options);
}

/** A new chain of Hardhat's default network as the project configures it, with `override` applied. */
export async function createChainConnection(override?: NetworkConfigOverride): Promise<NetworkConnection> {
  return (await import("hardhat")).default.network.create(override === undefined ? undefined : { override });
}

/** Deploys TraceGate with its Ignition module; `admin` administers the registry (default: the deployer). */
export async function deployTraceGate(connection: NetworkConnection, admin?: string): Promise<Deployment> {
  const parameters = admin === undefined ? undefined : { parameters: { TraceGate: { admin } } };
  const { registry, custody } = await connection.ignition.deploy(TraceGateModule, parameters);
  const [deployer] = (await connection.provider.request({ method: "eth_accounts" })) as string[];
  return { addresses: { TraceGateRegistry: await registry.getAddress(), CustodyRegistry: await custody.getAddress() }, deployer: deployer! };
}

/**
 * The chain behind `provider` and its clock guard, served over HTTP when `serve.port` is given. `stop`
 * closes the server, then runs `beforeClose` (a journal's last flush), then the connection; so does a
 * failure to listen.
 */
export async function serveChain(
  connection: NetworkConnection,
  provider: Eip1193Provider,
  deployment: Deployment,
  serve: ServeOptions,
  beforeClose: () => Promise<void> = async () => {},
): Promise<EmbeddedChain> {
  const close = async () => {
    await beforeClose();
    await connection.close();
  };
  const guarded = new LedgerClockGuard(provider);
  // The node's own requests go before public callers' code (execution-gate.ts).
  const gate = new ExecutionGate();
  let endpoint;
  try {
    // A journaled chain answers a JSON-RPC batch after one fdatasync for all the blocks it made.
    const batch =
      provider instanceof JournalingProvider
        ? <T>(work: (inBatch: Eip1193Provider) => Promise<T>) => provider.batch((journaled) => work(new LedgerClockGuard(journaled)))
        : undefined;
    endpoint = serve.port === undefined ? undefined : await serveJsonRpc(guarded, { ...serve, port: serve.port, batch, gate });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    connection,
    provider: gate.foreground(guarded),
    ...deployment,
    url: endpoint?.url,
    durableHead: provider instanceof JournalingProvider ? () => provider.durableHead : undefined,
    async stop() {
      await endpoint?.close();
      await close();
    },
  };
}
