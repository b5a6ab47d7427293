/** EPCIS 2.0 ⇄ custody actions: one table, both directions, pure (no I/O); the API and capture call it. */
export { EPCIS_TABLE, ACTION_BY_BIZ_STEP, type EpcisRow, type EpcisShape } from "./table.js";
export { toEpcis, custodyEventHash, localTime, type ExportContext } from "./to-epcis.js";
export { actionEvent, type ActionEventOptions } from "./action-event.js";
export { fromEpcis, type CaptureContext, type CapturedAction } from "./from-epcis.js";
export { eventHash, preHashString, EVENT_HASH_VERSION } from "./event-hash.js";
export { epcisDirectory, isGln, DEFAULT_UTC_OFFSET, type EpcisDirectory, type DirectoryEntry, type DirectorySettings } from "./identifiers.js";
export { EpcisMappingError, EPCIS_ERROR_CODES, type EpcisErrorCode } from "./errors.js";
export { BIZ_TRANSACTION_TYPES, DISPOSITIONS, EPCIS_CONTEXT_URL, TG_NAMESPACE, tracegateContext } from "./vocabulary.js";
