/**
 * What the pages offer as filter choices, each limited to what the viewer may see: the owners and
 * materials of its visible lots (lot states and facilities come from epcis-vocabulary.ts).
 */
import type { Kysely } from "kysely";
import type { Database } from "../../indexer/store/schema.js";
import type { Viewer } from "../auth/viewer.js";
import { visibleLots } from "./lots.js";

/** Distinct values of one column of the lots the viewer may see, in order. */
export async function lotColumnValues(db: Kysely<Database>, viewer: Viewer, column: "owner" | "material"): Promise<string[]> {
  const rows = await visibleLots(db.selectFrom("lots"), viewer).select(`lots.${column} as value`).distinct().orderBy("value").execute();
  return rows.map((row) => row.value);
}
