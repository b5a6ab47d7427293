// A lot's lineage as inline SVG: one column per generation (parents left, products right), one box per
// lot, an arrow per split or transformation labelled with its quantity.
import { svg } from "./dom.js";

const BOX = { width: 200, height: 46 };
const GAP = { x: 90, y: 22 };
const MARGIN = 12;

export function lineageGraph(lineage, current) {
  const depths = lineage.nodes.map((node) => node.depth);
  const first = Math.min(...depths);
  const columns = new Map();
  for (const node of [...lineage.nodes].sort((a, b) => a.lot.id.localeCompare(b.lot.id))) {
    const column = columns.get(node.depth) ?? [];
    column.push(node);
    columns.set(node.depth, column);
  }
  const place = new Map();
  for (const [depth, nodes] of columns) {
    nodes.forEach((node, row) => place.set(node.lot.id, { x: MARGIN + (depth - first) * (BOX.width + GAP.x), y: MARGIN + row * (BOX.height + GAP.y) }));
  }
  const width = MARGIN * 2 + (Math.max(...depths) - first + 1) * (BOX.width + GAP.x) - GAP.x;
  const height = MARGIN * 2 + Math.max(...[...columns.values()].map((nodes) => nodes.length)) * (BOX.height + GAP.y) - GAP.y;
  // Labels sit by the arrowhead, stacked when several arrows reach one lot.
  const into = new Map();
  const edges = lineage.edges.map((edge) => {
    const from = place.get(edge.parent);
    const to = place.get(edge.child);
    const [x1, y1, x2, y2] = [from.x + BOX.width, from.y + BOX.height / 2, to.x, to.y + BOX.height / 2];
    const stacked = into.get(edge.child) ?? 0;
    into.set(edge.child, stacked + 1);
    return svg("g", { class: "edge" },
      svg("path", { d: `M${x1},${y1} C${x1 + GAP.x / 2},${y1} ${x2 - GAP.x / 2},${y2} ${x2 - 6},${y2}`, fill: "none", stroke: "#7d8fa3", "stroke-width": 1.5, "marker-end": "url(#arrow)" }),
      svg("text", { x: x2 - 10, y: y2 - 6 - stacked * 12, "text-anchor": "end", "font-size": 10, fill: "#5b6b7c" }, `${edge.kind.toLowerCase()} ${edge.quantity}`),
    );
  });
  const boxes = lineage.nodes.map(({ lot }) => {
    const { x, y } = place.get(lot.id);
    const isCurrent = lot.id === current;
    return svg("a", { href: `/lot.html?id=${encodeURIComponent(lot.id)}` },
      svg("g", { class: "lot", "data-lot": lot.id },
        svg("rect", { x, y, width: BOX.width, height: BOX.height, rx: 6, fill: isCurrent ? "#1f5fa8" : "#eef3f8", stroke: "#1f5fa8" }),
        svg("text", { x: x + 8, y: y + 18, "font-size": 13, "font-weight": 600, fill: isCurrent ? "white" : "#1d2733" }, lot.id),
        svg("text", { x: x + 8, y: y + 35, "font-size": 10, fill: isCurrent ? "#dce9f7" : "#5b6b7c" }, `${lot.material} · ${lot.quantity} ${lot.unit} · ${lot.state}`),
      ),
    );
  });
  return svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Lineage of ${current}` },
    svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#7d8fa3" }))),
    ...edges,
    ...boxes,
  );
}
