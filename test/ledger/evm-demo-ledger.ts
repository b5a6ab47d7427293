/** The demo network on the embedded chain, with an EvmLedger acting for all its accounts. */
import { startDemoNetwork, type DemoNetwork } from "../../product/chain/demo-network.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";

export interface EvmDemoLedger {
  network: DemoNetwork;
  ledger: EvmLedger;
  /** The endpoint the ledger uses: the served URL, or the in-process provider. */
  endpoint: string | DemoNetwork["chain"]["connection"]["provider"];
  /** The chain's block number. */
  height(): Promise<bigint>;
  stop(): Promise<void>;
}

/** Starts the demo network (served over HTTP when `port` is given) and connects a ledger to it. */
export async function startEvmDemoLedger(options: { port?: number } = {}): Promise<EvmDemoLedger> {
  const network = await startDemoNetwork(options);
  const endpoint = network.chain.url ?? network.chain.connection.provider;
  const ledger = await EvmLedger.connect({ endpoint, addresses: network.chain.addresses, signers: network.signers, pollIntervalMs: 5 });
  const height = async () => BigInt((await network.chain.connection.provider.request({ method: "eth_blockNumber" })) as string);
  return { network, ledger, endpoint, height, stop: () => network.chain.stop() };
}
