// A material's closing stock by the books over a period, as a small inline SVG step plot (one per table
// row): the stock at the period's start, then at the end of each step, with the declared closing as a dot.
import { gql } from "./api.js";
import { formatDate, svg } from "./dom.js";

const DAY_MS = 86_400_000;
/** graphql-armor allows 15 aliases a request: one request per material, at most 12 steps. */
const MAX_STEPS = 12;

/**
 * The step ends of [from, to): each day, or every few days so there are at most MAX_STEPS.
 * @param {string} from an ISO time
 * @param {string} to an ISO time
 * @returns {string[]}
 */
export function stepEnds(from, to) {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const days = Math.max(1, Math.ceil((end - start) / DAY_MS));
  const step = Math.ceil(days / MAX_STEPS) * DAY_MS;
  const ends = [];
  for (let at = start + step; at < end; at += step) ends.push(new Date(at).toISOString());
  return [...ends, new Date(end).toISOString()];
}

/**
 * The closing stock of `material` at each step end (as BigInt), read in one request.
 * @param {string} enterprise
 * @param {string} material
 * @param {string} from
 * @param {string[]} ends
 * @returns {Promise<bigint[]>}
 */
export async function closingsOver(enterprise, material, from, ends) {
  const fields = ends.map(
    (to, index) => `s${index}: materialBalance(enterprise: $enterprise, material: $material, period: { from: $from, to: "${to}" }) { closing }`,
  );
  const data = await gql(`query ($enterprise: String!, $material: String!, $from: DateTime!) { ${fields.join(" ")} }`, { enterprise, material, from });
  return ends.map((_, index) => BigInt(data[`s${index}`].closing));
}

/**
 * The plot: `values` are the opening then each step's closing; `declared` the report's closing or null.
 * @param {string} material
 * @param {string} from
 * @param {string[]} ends
 * @param {bigint[]} values
 * @param {bigint | null} declared
 */
export function balancePlot(material, from, ends, values, declared) {
  const width = 220;
  const height = 52;
  const top = [...values, declared ?? 0n].reduce((a, b) => (b > a ? b : a), 1n);
  const x = (/** @type {number} */ index) => 4 + ((width - 12) * index) / (values.length - 1);
  const y = (/** @type {bigint} */ value) => height - 6 - Number(((BigInt(height) - 12n) * value) / top);
  const points = values.flatMap((value, index) => (index === 0 ? [`${x(0)},${y(value)}`] : [`${x(index)},${y(values[index - 1])}`, `${x(index)},${y(value)}`]));
  const times = [from, ...ends];
  return svg(
    "svg",
    {
      class: "balance",
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-label": `${material} balance over time`,
      "data-values": values.join(" "),
    },
    svg("title", {}, `${material} closing stock by the books, ${formatDate(from)} to ${formatDate(ends.at(-1))}: ${values.join(" → ")}`),
    svg("line", { x1: 4, x2: width - 8, y1: height - 6, y2: height - 6, stroke: "#d5dde6" }),
    // Each row has its own scale: its top value says which.
    svg("text", { class: "top", x: width - 8, y: 9, "font-size": 10, "text-anchor": "end", fill: "#5b6b7c" }, `top ${top}`),
    svg("polyline", { points: points.join(" "), fill: "none", stroke: "#3c8d5a", "stroke-width": 2 }),
    values.map((value, index) =>
      svg("circle", { class: "book", cx: x(index), cy: y(value), r: 2.5, fill: "#3c8d5a" }, svg("title", {}, `${formatDate(times[index])}: ${value}`)),
    ),
    declared === null
      ? null
      : svg(
          "circle",
          { class: "declared", cx: x(values.length - 1), cy: y(declared), r: 4, fill: "#f0a35e" },
          svg("title", {}, `declared closing ${declared}`),
        ),
  );
}
