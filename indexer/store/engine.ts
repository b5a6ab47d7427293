import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export type Engine = "sqlite" | "postgres";

/** An open store: the same Kysely schema on either engine. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  close(): Promise<void>;
}
