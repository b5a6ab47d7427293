/**
 * What the pages offer as filter choices: the owners and materials of the viewer's visible lots (lot
 * states and facilities come from epcis-vocabulary.ts), and the years the ledger has events in.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../indexer/store/index.js";
import type { Viewer } from "../auth/viewer.js";
import { visibleLots } from "./lots.js";

/** Distinct values of one column of the lots the viewer may see, in order. */
export async function lotColumnValues(db: Kysely<Database>, viewer: Viewer, column: "owner" | "material"): Promise<string[]> {
  const rows = await visibleLots(db.selectFrom("lots"), viewer).select(`lots.${column} as value`).distinct().orderBy("value").execute();
  return rows.map((row) => row.value);
}

/** The UTC years from the ledger's first event to its last (none before the first event). */
export async function eventYears(db: Kysely<Database>): Promise<number[]> {
  const { first, last } = await db
    .selectFrom("events")
    .select((eb) => [eb.fn.min("time").as("first"), eb.fn.max("time").as("last")])
    .executeTakeFirstOrThrow();
  if (first === null || last === null) return [];
  const year = (time: bigint | number) => new Date(Number(time) * 1000).getUTCFullYear();
  return Array.from({ length: year(last) - year(first) + 1 }, (_, index) => year(first) + index);
}
