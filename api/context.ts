/** What every resolver gets: the viewer, per-request loaders, the store and the event feed. */
import type { Kysely } from "kysely";
import type { Database } from "../indexer/store/index.js";
import type { CustodyWriter } from "./capture/writer.js";
import type { Viewer } from "./auth/viewer.js";
import type { Visibility } from "./auth/visibility.js";
import type { EventFeed } from "./event-feed.js";
import type { Loaders } from "./loaders.js";
import type { TrackSources } from "./transit/track-reads.js";
import type { StoreVerifier } from "./verification.js";

export interface ApiContext {
  /** Null when the request carried no token: every field then answers UNAUTHENTICATED. */
  viewer: Viewer | null;
  visibility: Visibility | null;
  loaders: Loaders;
  db: Kysely<Database>;
  verifier: StoreVerifier;
  feed: EventFeed;
  /** Where trips' e-seal tracks are read from: the index, and the stored segment files when the node holds them. */
  track: TrackSources;
  /** Null on a read-only API (no ledger keys): mutations then answer FORBIDDEN. */
  writer: CustodyWriter | null;
}
