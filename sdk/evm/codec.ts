/**
 * The EVM codec: domain values and actions as TraceGate contract calls, contract events as the
 * domain's LedgerEvents, reverts as TraceGateErrors. Organisations appear on chain as numbers; an
 * OrganisationDirectory (filled from `OrganisationRegistered` events) maps them to ids.
 */
export { contractInterface, type TraceGateContractName } from "./artifacts.js";
export { encodeAction, type CallContext, type ContractCall } from "./calls.js";
export { encodeBatch } from "./batch-calls.js";
export { decodeRevert, EvmRevertError, revertDataOf } from "./errors.js";
export { decodeLedgerEvent, decodeRegistryEvent, type RawLog, type RegistryEvent } from "./events.js";
export * from "./ids.js";
export { OrganisationDirectory } from "./organisations.js";
export * from "./structs.js";
