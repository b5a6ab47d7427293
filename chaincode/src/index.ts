/** The chaincode module: fabric-chaincode-node loads `contracts` from the package's main file. */
import { TraceGateContract } from "./contract.js";

export { TraceGateContract };
export const contracts = [TraceGateContract];
