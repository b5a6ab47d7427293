/** The Lineage type: lots and the splits and transformations between them. */
import type { Lineage, LineageNode } from "../lineage.js";
import type { LineageEdge } from "../read/lineage.js";
import { builder } from "./builder.js";
import { EventRef, LotRef } from "./refs.js";

const LineageNodeRef = builder.objectRef<LineageNode>("LineageNode").implement({
  fields: (t) => ({
    lot: t.field({ type: LotRef, resolve: (node) => node.lot }),
    depth: t.exposeInt("depth", { description: "Generations away: negative upstream, positive downstream, 0 the lot itself." }),
  }),
});

const LineageEdgeRef = builder.objectRef<LineageEdge>("LineageEdge").implement({
  fields: (t) => ({
    parent: t.exposeString("parent"),
    child: t.exposeString("child"),
    kind: t.field({
      type: builder.enumType("LineageKind", { values: ["SPLIT", "TRANSFORM"] as const }),
      resolve: (edge) => (edge.kind === "split" ? "SPLIT" : "TRANSFORM"),
    }),
    quantity: t.field({
      type: "Quantity",
      description: "Split: the child's quantity. Transform: the quantity of the parent consumed.",
      resolve: (edge) => edge.quantity,
    }),
    event: t.field({ type: EventRef, resolve: async (edge, _args, { loaders }) => (await loaders.event.load(edge.eventId))! }),
  }),
});

export const LineageRef = builder.objectRef<Lineage>("Lineage").implement({
  fields: (t) => ({
    nodes: t.field({ type: [LineageNodeRef], resolve: (lineage) => lineage.nodes }),
    edges: t.field({ type: [LineageEdgeRef], resolve: (lineage) => lineage.edges }),
    withheld: t.exposeInt("withheld", { description: "Connected lots the caller may not see (not shown, not followed)." }),
  }),
});
