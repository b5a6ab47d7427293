/**
 * The embedded chain (product/chain/embedded-chain.ts: in-process EDR, TraceGate deployed) brought back to the
 * fresh deployment between uses (evm_snapshot / evm_revert), its block time set from outside, and the
 * few JSON-RPC calls tests make beside a ledger client. The registry's administrator is a key the
 * harness holds (for RegistryAdministration); every account it makes has a key too (for EvmLedger),
 * and can also send without one (impersonated), as tests that send raw calls do.
 */
import { id, toQuantity, Wallet } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import type { RawLog, TraceGateContractName } from "../../sdk/evm/codec.js";
import type { ContractAddresses } from "../../sdk/evm/chain-reads.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";
import { startEmbeddedChain } from "../../product/chain/embedded-chain.js";

export interface Receipt {
  transactionHash: string;
  blockNumber: string;
  gasUsed: string;
  logs: RawLog[];
}

/** Enough for the largest transform (32 inputs, 32 outputs); below the per-transaction cap of 2^24. */
const GAS_LIMIT = toQuantity(16_000_000);
const BALANCE = toQuantity(10n ** 21n);

/** A test account: its key, and its address, which also sends without the key (impersonated). */
export interface TestAccount {
  address: string;
  privateKey: string;
}

/** A registration (organisations, members, facilities) and the snapshot taken right after it. */
interface Registered {
  key: string;
  value: unknown;
  state: string;
}

export class EvmChain {
  private registered: Registered | undefined;

  private constructor(
    /** The Hardhat network connection (ethers, provider). */
    readonly connection: NetworkConnection,
    readonly addresses: ContractAddresses,
    /** The registry's administrator and registrar. */
    readonly registrar: TestAccount,
    private cleanState: string,
  ) {}

  static async start(): Promise<EvmChain> {
    const registrar = testAccount("registrar");
    const { connection, addresses } = await startEmbeddedChain({ admin: registrar.address });
    await fund(connection.provider, registrar.address);
    const cleanState = (await connection.provider.request({ method: "evm_snapshot" })) as string;
    return new EvmChain(connection, addresses, registrar, cleanState);
  }

  /** The chain in process, as an endpoint for ledger clients. */
  get provider(): Eip1193Provider {
    return this.connection.provider;
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

  /** A funded account whose key derives from `name`. */
  async account(name: string): Promise<TestAccount> {
    const account = testAccount(name);
    await fund(this.provider, account.address);
    return account;
  }

  async setNextBlockTime(time: bigint): Promise<void> {
    await this.rpc("evm_setNextBlockTimestamp", [toQuantity(time)]);
  }

  /** Sends and mines a transaction; a revert throws the provider's error, which carries the revert data. */
  async send(from: string, contract: TraceGateContractName, data: string): Promise<Receipt> {
    const hash = await this.rpc<string>("eth_sendTransaction", [{ from, to: this.addresses[contract], data, gas: GAS_LIMIT }]);
    return this.receipt(hash);
  }

  async receipt(hash: string): Promise<Receipt> {
    return this.rpc<Receipt>("eth_getTransactionReceipt", [hash]);
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

function testAccount(name: string): TestAccount {
  const privateKey = id(`tracegate test account ${name}`);
  return { address: new Wallet(privateKey).address, privateKey };
}

/** Funds `address` and lets it send without its key. */
async function fund(provider: Eip1193Provider, address: string): Promise<void> {
  await provider.request({ method: "hardhat_impersonateAccount", params: [address] });
  await provider.request({ method: "hardhat_setBalance", params: [address, BALANCE] });
}
