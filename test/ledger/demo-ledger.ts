/** The demo network on the embedded chain, with an EvmLedger acting for all its accounts. */
import { documentHash, type Actor, type DocumentKind, type Action } from "../../domain/index.js";
import { startDemoNetwork, type DemoNetwork } from "../../sdk/evm/demo-network.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";

export const CUSTOMS: Actor = { org: "VNCUSTOMS", role: "OFFICER" };
export const ANPHAT: Actor = { org: "AN-PHAT", role: "OPERATOR" };
export const ANPHAT_SIGNER: Actor = { org: "AN-PHAT", role: "SIGNER" };
export const VCCI: Actor = { org: "VCCI-HCM", role: "SIGNER" };

export interface DemoLedger {
  network: DemoNetwork;
  ledger: EvmLedger;
  /** The endpoint the ledger uses: the served URL, or the in-process provider. */
  endpoint: string | DemoNetwork["chain"]["connection"]["provider"];
  stop(): Promise<void>;
}

/** Starts the demo network (served over HTTP when `port` is given) and connects a ledger to it. */
export async function startDemoLedger(options: { port?: number } = {}): Promise<DemoLedger> {
  const network = await startDemoNetwork(options);
  const endpoint = network.chain.url ?? network.chain.connection.provider;
  const ledger = await EvmLedger.connect({ endpoint, addresses: network.chain.addresses, signers: network.signers, pollIntervalMs: 5 });
  return { network, ledger, endpoint, stop: () => network.chain.stop() };
}

export const CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

export function anchorAction(name: string, kind: DocumentKind, subjects: string[] = []): Action {
  return { type: "anchor", hash: documentHash(name), id: name.toUpperCase().slice(0, 31), kind, cid: CID, subjects };
}

export function declareAction(lot: string, declaration: string): Action {
  return {
    type: "declare",
    lot,
    goods: { material: "FAB-COT", hsCode: "52085200", unit: "MTR", quantity: 1000n },
    direction: "IMPORT",
    preferenceClaimed: false,
    permitRequired: false,
    declaration: documentHash(declaration),
  };
}
