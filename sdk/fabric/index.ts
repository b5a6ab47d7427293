export { FabricLedger, type FabricCheckpoint, type FabricLedgerEntry, type FabricLedgerOptions, type FabricSubmitted } from "./fabric-ledger.js";
export { FabricCommitError, refusalOf, validationCodeName } from "./errors.js";
export * from "./codec.js";
