/**
 * Indexes the audit queries need on the indexer's tables and the indexer itself does not: events by
 * actor (audit trails of one organisation), by kind (batches, norms, exports) and by time (periods).
 * Created if missing when the API opens a store; the indexer keeps them up to date like any index.
 */
import type { Store } from "../indexer/store/engine.js";

const INDEXES = [
  { name: "api_events_actor", columns: ["actor", "id"] },
  { name: "api_events_kind", columns: ["kind", "id"] },
  { name: "api_events_time", columns: ["time", "id"] },
] as const;

export async function ensureApiIndexes(store: Store): Promise<void> {
  for (const { name, columns } of INDEXES) {
    await store.db.schema.createIndex(name).ifNotExists().on("events").columns([...columns]).execute();
  }
}
