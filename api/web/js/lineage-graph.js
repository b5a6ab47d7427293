// A lot's lineage as inline SVG: one column per generation (parents left, products right), one box per
// lot sized to its text, an arrow per split or transformation labelled with its quantity and unit, the
// labels moved apart where they would overlap, in a container that scrolls on a narrow screen.
import { h, svg } from "./dom.js";

const BOX_HEIGHT = 46;
const GAP_Y = 26;
const MARGIN = 12;
const LABEL = { size: 10, height: 12 };
const FONT = "system-ui, sans-serif";

/**
 * A lot's lineage as the lot page asks for it (lot.js): the lots shown, with their generation (parents
 * negative), and the splits and transformations between them; the API gives only edges between lots shown.
 * @typedef {{ id: string, material: string, quantity: string, unit: string, state: string }} LineageLot
 * @typedef {{ depth: number, lot: LineageLot }} LineageNode
 * @typedef {{ parent: string, child: string, kind: string, quantity: string }} LineageEdge
 * @typedef {{ nodes: LineageNode[], edges: LineageEdge[], withheld: number }} Lineage
 * @typedef {{ x1: number, x2: number, y1: number, y2: number }} Box
 */

/**
 * The width `text` takes in `font`, measured by the browser (canvas), so boxes and gaps fit their text.
 * @type {(text: string, font: string) => number}
 */
const measure = (() => {
  const context = document.createElement("canvas").getContext("2d");
  if (context === null) throw new Error("this browser cannot measure text (no 2D canvas)");
  return (text, font) => {
    context.font = font;
    return Math.ceil(context.measureText(text).width);
  };
})();

/**
 * What is left of a lot: a lot with nothing left reads as used up, by a split or by transforms.
 * @param {LineageLot} lot
 */
function remaining(lot) {
  if (lot.quantity !== "0") return `${lot.quantity} ${lot.unit} · ${lot.state}`;
  return lot.state === "SPLIT" ? "split: nothing left" : `fully consumed (0 ${lot.unit}) · ${lot.state}`;
}

/**
 * @param {Lineage} lineage
 * @param {string} current the id of the lot whose page this is
 */
export function lineageGraph(lineage, current) {
  const units = new Map(lineage.nodes.map(({ lot }) => [lot.id, lot.unit]));
  const label = (/** @type {LineageEdge} */ edge) =>
    `${edge.kind.toLowerCase()} ${edge.quantity} ${units.get(edge.parent) ?? units.get(edge.child) ?? ""}`.trim();
  const boxWidth =
    Math.max(
      160,
      ...lineage.nodes.flatMap(({ lot }) => [measure(lot.id, `600 13px ${FONT}`), measure(`${lot.material} · ${remaining(lot)}`, `${LABEL.size}px ${FONT}`)]),
    ) + 18;
  const gapX = Math.max(90, ...lineage.edges.map((edge) => measure(label(edge), `${LABEL.size}px ${FONT}`))) + 34;

  const depths = lineage.nodes.map((node) => node.depth);
  const first = Math.min(...depths);
  /** @type {Map<number, LineageNode[]>} */
  const columns = new Map();
  for (const node of [...lineage.nodes].sort((a, b) => a.lot.id.localeCompare(b.lot.id))) {
    const column = columns.get(node.depth) ?? [];
    column.push(node);
    columns.set(node.depth, column);
  }
  /** @type {Map<string, { x: number, y: number }>} */
  const place = new Map();
  for (const [depth, nodes] of columns) {
    nodes.forEach((node, row) =>
      place.set(node.lot.id, { x: MARGIN + (depth - first) * (boxWidth + gapX), y: MARGIN + LABEL.height + row * (BOX_HEIGHT + GAP_Y) }),
    );
  }
  const width = MARGIN * 2 + (Math.max(...depths) - first + 1) * (boxWidth + gapX) - gapX;
  let height = MARGIN * 2 + LABEL.height + Math.max(...[...columns.values()].map((nodes) => nodes.length)) * (BOX_HEIGHT + GAP_Y) - GAP_Y;

  // A label that would overlap one already placed moves up a line (down once it would leave the top), so
  // none overlap however many arrows cross.
  /** @type {Box[]} */
  const placed = [];
  const overlaps = (/** @type {Box} */ box) => placed.some((other) => box.x1 < other.x2 && other.x1 < box.x2 && box.y1 < other.y2 && other.y1 < box.y2);
  const edges = lineage.edges.map((edge) => {
    const from = place.get(edge.parent);
    const to = place.get(edge.child);
    if (from === undefined || to === undefined) return null;
    const [x1, y1, x2, y2] = [from.x + boxWidth, from.y + BOX_HEIGHT / 2, to.x, to.y + BOX_HEIGHT / 2];
    const text = label(edge);
    const textWidth = measure(text, `${LABEL.size}px ${FONT}`);
    // At the curve's midpoint, so each label sits on its own arrow.
    const middle = (x1 + x2) / 2;
    let baseline = (y1 + y2) / 2 + LABEL.size / 2 - 1;
    const boxAt = (/** @type {number} */ y) => ({ x1: middle - textWidth / 2, x2: middle + textWidth / 2, y1: y - LABEL.size, y2: y + 2 });
    for (let step = -LABEL.height; overlaps(boxAt(baseline)); baseline += step) {
      if (baseline - LABEL.size + step < 0) step = LABEL.height;
    }
    placed.push(boxAt(baseline));
    height = Math.max(height, baseline + MARGIN);
    return svg(
      "g",
      { class: "edge" },
      svg("path", {
        d: `M${x1},${y1} C${x1 + gapX / 2},${y1} ${x2 - gapX / 2},${y2} ${x2 - 6},${y2}`,
        fill: "none",
        stroke: "#7d8fa3",
        "stroke-width": 1.5,
        "marker-end": "url(#arrow)",
      }),
      svg(
        "text",
        {
          x: middle,
          y: baseline,
          "text-anchor": "middle",
          "font-size": LABEL.size,
          fill: "#5b6b7c",
          stroke: "white",
          "stroke-width": 3,
          "paint-order": "stroke",
        },
        text,
      ),
    );
  });
  const boxes = lineage.nodes.map(({ lot }) => {
    const { x, y } = place.get(lot.id) ?? { x: 0, y: 0 };
    const isCurrent = lot.id === current;
    const usedUp = lot.quantity === "0";
    return svg(
      "a",
      { href: `/lot.html?id=${encodeURIComponent(lot.id)}` },
      svg(
        "g",
        { class: `lot${usedUp ? " used-up" : ""}`, "data-lot": lot.id },
        svg("rect", {
          x,
          y,
          width: boxWidth,
          height: BOX_HEIGHT,
          rx: 6,
          fill: isCurrent ? "#1f5fa8" : usedUp ? "#f3f4f6" : "#eef3f8",
          stroke: usedUp ? "#8a96a3" : "#1f5fa8",
          "stroke-dasharray": usedUp ? "5 3" : undefined,
        }),
        svg("text", { x: x + 8, y: y + 18, "font-size": 13, "font-weight": 600, fill: isCurrent ? "white" : "#1d2733" }, lot.id),
        svg(
          "text",
          { class: "remaining", x: x + 8, y: y + 35, "font-size": LABEL.size, fill: isCurrent ? "#dce9f7" : "#5b6b7c" },
          `${lot.material} · ${remaining(lot)}`,
        ),
      ),
    );
  });
  // Where the current lot's box is centred: lot.js scrolls a narrow screen's graph there.
  const focus = place.get(current);
  return h(
    "div",
    { class: "graph", "data-focus-x": focus === undefined ? undefined : focus.x + boxWidth / 2 },
    svg(
      "svg",
      { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Lineage of ${current}` },
      svg(
        "defs",
        {},
        svg(
          "marker",
          { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
          svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#7d8fa3" }),
        ),
      ),
      ...edges,
      ...boxes,
    ),
  );
}
