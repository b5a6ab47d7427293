/**
 * The embedded chain (product/chain/embedded-chain.ts: in-process EDR, TraceGate deployed) brought back to the
 * fresh deployment between uses (evm_snapshot / evm_revert), and the few JSON-RPC calls the EVM
 * adapter needs.
 */
import { dataSlice, getAddress, id, toQuantity } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import type { RawLog, TraceGateContractName } from "../../sdk/evm/codec.js";
import { startEmbeddedChain } from "../../product/chain/embedded-chain.js";

export interface Receipt {
  blockNumber: string;
  gasUsed: string;
  logs: RawLog[];
}

/** Enough for the largest transform (32 inputs, 32 outputs); below the per-transaction cap of 2^24. */
const GAS_LIMIT = toQuantity(16_000_000);
const BALANCE = toQuantity(10n ** 21n);

/** A registration (organisations, members, facilities) and the snapshot taken right after it. */
interface Registered {
  key: string;
  value: unknown;
  state: string;
}

export class EvmChain {
  private registered: Registered | undefined;
  /** The receipt of the last transaction that was mined (for gas figures). */
  lastReceipt: Receipt | undefined;

  private constructor(
    /** The Hardhat network connection (ethers, provider). */
    readonly connection: NetworkConnection,
    private readonly addresses: Readonly<Record<TraceGateContractName, string>>,
    /** The deploying account: the registry's administrator and registrar. */
    readonly registrar: string,
    private cleanState: string,
  ) {}

  static async start(): Promise<EvmChain> {
    const { connection, addresses, deployer } = await startEmbeddedChain();
    const cleanState = (await connection.provider.request({ method: "evm_snapshot" })) as string;
    return new EvmChain(connection, addresses, deployer, cleanState);
  }

  address(contract: TraceGateContractName): string {
    return this.addresses[contract];
  }

  /**
   * Brings the chain back to the fresh deployment plus the registration named `key`: when the last
   * registration had the same key, its snapshot is restored and its result returned; otherwise the chain
   * goes back to the deployment and `register` runs. Registration is most of a short test's
   * transactions, and vectors share a few setups.
   */
  async prepare<T>(key: string, register: () => Promise<T>): Promise<T> {
    if (this.registered?.key === key) {
      this.registered.state = await this.restore(this.registered.state);
      return this.registered.value as T;
    }
    this.registered = undefined;
    this.cleanState = await this.restore(this.cleanState);
    const value = await register();
    this.registered = { key, value, state: await this.rpc<string>("evm_snapshot") };
    return value;
  }

  /** Reverts to `snapshot` (which that consumes) and takes it again. */
  private async restore(snapshot: string): Promise<string> {
    if (!(await this.rpc<boolean>("evm_revert", [snapshot]))) throw new Error(`the chain has no snapshot ${snapshot}`);
    return this.rpc<string>("evm_snapshot");
  }

  /** A funded account that sends without a key (impersonated), derived from `name`. */
  async account(name: string): Promise<string> {
    const address = getAddress(dataSlice(id(`tracegate test account ${name}`), 12));
    await this.rpc("hardhat_impersonateAccount", [address]);
    await this.rpc("hardhat_setBalance", [address, BALANCE]);
    return address;
  }

  async setNextBlockTime(time: bigint): Promise<void> {
    await this.rpc("evm_setNextBlockTimestamp", [toQuantity(time)]);
  }

  /** Sends and mines a transaction; a revert throws the provider's error, which carries the revert data. */
  async send(from: string, contract: TraceGateContractName, data: string): Promise<Receipt> {
    const hash = await this.rpc<string>("eth_sendTransaction", [{ from, to: this.addresses[contract], data, gas: GAS_LIMIT }]);
    this.lastReceipt = await this.rpc<Receipt>("eth_getTransactionReceipt", [hash]);
    return this.lastReceipt;
  }

  async call(contract: TraceGateContractName, data: string): Promise<string> {
    return this.rpc<string>("eth_call", [{ to: this.addresses[contract], data }, "latest"]);
  }

  async blockTime(blockNumber: string): Promise<bigint> {
    const block = await this.rpc<{ timestamp: string }>("eth_getBlockByNumber", [blockNumber, false]);
    return BigInt(block.timestamp);
  }

  async stop(): Promise<void> {
    await this.connection.close();
  }

  private async rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return (await this.connection.provider.request({ method, params })) as T;
  }
}
