/**
 * The contracts' ABIs as the repository ships them (sdk/evm/abi/, written by `npm run abi` from the
 * compiled contracts): reading the chain needs no compiler, Hardhat or artifacts/ folder.
 */
import { createRequire } from "node:module";
import { Interface, type InterfaceAbi } from "ethers";

export const TRACEGATE_CONTRACTS = ["TraceGateRegistry", "CustodyRegistry"] as const;
export type TraceGateContractName = (typeof TRACEGATE_CONTRACTS)[number];

const require = createRequire(import.meta.url);
const interfaces = new Map<TraceGateContractName, Interface>();

/** The contract's ABI (functions, events, errors), loaded once. */
export function contractInterface(name: TraceGateContractName): Interface {
  let iface = interfaces.get(name);
  if (iface === undefined) {
    iface = new Interface(require(`./abi/${name}.json`) as InterfaceAbi);
    interfaces.set(name, iface);
  }
  return iface;
}
