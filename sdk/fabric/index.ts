export { FabricLedger, type FabricLedgerOptions } from "./fabric-ledger.js";
export type { FabricSigner } from "./actor-gateways.js";
export { FabricCommitError, gatewayFailure, refusalOf, validationCodeName } from "./errors.js";
export * from "../../chaincode/src/codec.js";
