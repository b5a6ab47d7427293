/** Lineage edges: split parent → each child, transform input → each output. */
import type { Kysely } from "kysely";
import type { CustodyEvent } from "../../../domain/index.js";
import type { Database } from "../schema.js";
import { insertRows } from "./insert-rows.js";
import type { Positioned } from "./positioned.js";

function edgesOf({ id, event }: Positioned<CustodyEvent>): Array<Database["lineage"]> {
  if (event.action === "split") {
    const [parent, ...children] = event.transitions;
    return children.map(({ lot }) => ({ event_id: id, parent: parent!.lot.id, child: lot.id, kind: "split", quantity: lot.quantity.toString() }));
  }
  if (event.action === "transform") {
    const outputs = event.transitions.filter(({ from }) => from === "NONE");
    return event.consumed.flatMap((input) =>
      outputs.map(({ lot }) => ({ event_id: id, parent: input.lot, child: lot.id, kind: "transform", quantity: input.quantity.toString() })),
    );
  }
  return [];
}

export async function applyLineage(db: Kysely<Database>, events: ReadonlyArray<Positioned<CustodyEvent>>): Promise<void> {
  await insertRows(db, "lineage", events.flatMap(edgesOf));
}

/** Removes the edges of every event from `firstId` on. */
export async function revertLineage(db: Kysely<Database>, firstId: bigint): Promise<void> {
  await db.deleteFrom("lineage").where("event_id", ">=", firstId).execute();
}
