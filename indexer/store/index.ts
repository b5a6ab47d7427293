/**
 * The store as the layers above the indexer use it: opening it, its tables' types, and the reads and
 * helpers the API shares with the indexer. Everything else under indexer/store/ is the indexer's own
 * write path (.dependency-cruiser.cjs keeps api/ to this entry).
 */
export type { Store } from "./engine.js";
export { openStore } from "./open.js";
export { isDiskFull } from "./disk-full.js";
export type { Database } from "./schema.js";
export { lotOf } from "./lot-columns.js";
export { eventsById, placedEventsById } from "./read/events.js";
export { materialFigures } from "./read/queries.js";
export { SECONDS_PER_DAY } from "./write/balances.js";
export { epcisKey, INDEX_EPCIS_DIRECTORY } from "./write/epcis-ids.js";
export { keyChunks } from "./read/key-chunks.js";
export { chunks } from "./write/insert-rows.js";
export { txKey } from "./write/tx-keys.js";
