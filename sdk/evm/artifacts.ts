import { createRequire } from "node:module";
import { Interface, type InterfaceAbi } from "ethers";

export type TraceGateContractName = "TraceGateRegistry" | "CustodyRegistry";

export interface ContractArtifact {
  contractName: TraceGateContractName;
  abi: InterfaceAbi;
  bytecode: string;
}

const require = createRequire(import.meta.url);
const interfaces = new Map<TraceGateContractName, Interface>();

/** The compiled contract, as `hardhat build` writes it under artifacts/. */
export function loadArtifact(name: TraceGateContractName): ContractArtifact {
  try {
    return require(`../../artifacts/contracts/${name}.sol/${name}.json`) as ContractArtifact;
  } catch (cause) {
    throw new Error(`${name} is not compiled: run \`npx hardhat build\``, { cause });
  }
}

/** The contract's ABI (functions, events, errors), loaded once. */
export function contractInterface(name: TraceGateContractName): Interface {
  let iface = interfaces.get(name);
  if (iface === undefined) {
    iface = new Interface(loadArtifact(name).abi);
    interfaces.set(name, iface);
  }
  return iface;
}
