import type { Kysely } from "kysely";
import type { FindingSettings } from "../findings/settings.js";
import type { Database } from "./schema.js";

export type Engine = "sqlite" | "postgres";

/** An open store: the same Kysely schema on either engine. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** The thresholds the indexer judges findings by (defaults when absent). */
  readonly findings?: FindingSettings;
  close(): Promise<void>;
}
