/** Lineage edges one generation at a time: split parent → child, transform input → output. */
import type { Kysely } from "kysely";
import type { Database } from "../../indexer/store/index.js";
import { keyChunks } from "../../indexer/store/index.js";

export interface LineageEdge {
  eventId: bigint;
  parent: string;
  child: string;
  kind: "split" | "transform";
  /** Split: the child's quantity. Transform: the quantity of the parent consumed. */
  quantity: bigint;
}

/** The edges into `lots` (their parents, `up`) or out of them (their children, `down`). */
export async function edgesOf(db: Kysely<Database>, lots: readonly string[], direction: "up" | "down"): Promise<LineageEdge[]> {
  const edges: LineageEdge[] = [];
  for (const chunk of keyChunks(lots)) {
    const rows = await db
      .selectFrom("lineage")
      .selectAll()
      .where(direction === "up" ? "child" : "parent", "in", chunk)
      .execute();
    for (const row of rows) {
      edges.push({ eventId: row.event_id, parent: row.parent, child: row.child, kind: row.kind as LineageEdge["kind"], quantity: BigInt(row.quantity) });
    }
  }
  return edges;
}
