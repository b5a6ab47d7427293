/**
 * A lot's lineage, generation by generation, up through parents (split parents, transform inputs) to
 * the lots that crossed the border, and down through children. The walk stops at lots the viewer may
 * not see: they are counted as withheld, never shown, and nothing beyond them is reached through them.
 */
import type { Kysely } from "kysely";
import type { Database } from "../indexer/store/index.js";
import type { Viewer } from "./auth/viewer.js";
import type { Loaders } from "./loaders.js";
import { edgesOf, type LineageEdge } from "./read/lineage.js";
import type { LotRecord } from "./read/lots.js";

export type LineageDirection = "UP" | "DOWN" | "BOTH";

export interface LineageNode {
  lot: LotRecord;
  /** Generations from the lot: negative upstream, positive downstream, 0 for the lot itself. */
  depth: number;
}

export interface Lineage {
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** Lots connected to the ones shown that the viewer may not see. */
  withheld: number;
}

export async function traceLineage(
  db: Kysely<Database>,
  loaders: Loaders,
  viewer: Viewer,
  start: LotRecord,
  direction: LineageDirection,
  depth: number,
): Promise<Lineage> {
  const nodes = new Map<string, LineageNode>([[start.id, { lot: start, depth: 0 }]]);
  const withheld = new Set<string>();
  const edges = new Map<string, LineageEdge>();
  const ways = direction === "BOTH" ? (["up", "down"] as const) : direction === "UP" ? (["up"] as const) : (["down"] as const);
  for (const way of ways) {
    let frontier = [start.id];
    for (let generation = 1; generation <= depth && frontier.length > 0; generation++) {
      const found = await edgesOf(db, frontier, way);
      const reached = [...new Set(found.map((edge) => (way === "up" ? edge.parent : edge.child)))].filter((id) => !nodes.has(id) && !withheld.has(id));
      frontier = [];
      for (const lot of await loaders.lots(reached)) {
        if (!viewer.canSeeLot(lot)) {
          withheld.add(lot.id);
          continue;
        }
        nodes.set(lot.id, { lot, depth: way === "up" ? -generation : generation });
        frontier.push(lot.id);
      }
      for (const edge of found) {
        if (nodes.has(edge.parent) && nodes.has(edge.child)) edges.set(`${edge.eventId}/${edge.parent}/${edge.child}`, edge);
      }
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], withheld: withheld.size };
}
