export { FabricLedger, type FabricLedgerOptions } from "./fabric-ledger.js";
export { FabricCommitError, refusalOf, validationCodeName } from "./errors.js";
export * from "./codec.js";
