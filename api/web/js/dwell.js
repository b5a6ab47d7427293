// Dwell times: where goods wait, slowest stage and facility first, as a table and an SVG bar chart.
import { gql } from "./api.js";
import { fillChoices } from "./choices.js";
import { element, formatDuration, h, lotLink, navigation, showError, svg } from "./dom.js";

navigation("/dwell.html");
const form = element("#query", HTMLFormElement);
const result = element("#result", HTMLElement);

const DWELL = `query ($stage: LotState, $facility: String, $period: PeriodInput) {
  dwellTimes(stage: $stage, facility: $facility, period: $period) { stage facility stays p50 p90 max longest { lot { id } duration } } }`;

function chart(rows) {
  const label = 230;
  const width = 860;
  const bar = 22;
  const max = Math.max(1, ...rows.map((row) => row.max));
  const scale = (seconds) => ((width - label - 250) * seconds) / max;
  const title = (text) => svg("title", {}, text);
  return h(
    "figure",
    {},
    svg(
      "svg",
      { width, height: rows.length * bar + 8, viewBox: `0 0 ${width} ${rows.length * bar + 8}`, role: "img", "aria-label": "Dwell time chart" },
      rows.flatMap((row, index) => {
        const y = index * bar + 4;
        // Each mark names itself (a tooltip), and the label after the longest stay gives both figures.
        return svg(
          "g",
          { class: "row" },
          svg("text", { x: 0, y: y + 13, "font-size": 12 }, `${row.stage} @ ${row.facility ?? "before arrival"}`),
          svg(
            "rect",
            { class: "p90", x: label, y, width: Math.max(1, scale(row.p90)), height: bar - 6, fill: "#9cc3ea" },
            title(`p90: ${formatDuration(row.p90)}`),
          ),
          svg(
            "rect",
            { class: "p50", x: label, y, width: Math.max(1, scale(row.p50)), height: bar - 6, fill: "#1f5fa8" },
            title(`p50: ${formatDuration(row.p50)}`),
          ),
          svg(
            "line",
            { class: "max", x1: label + scale(row.max), x2: label + scale(row.max), y1: y - 1, y2: y + bar - 5, stroke: "#b3261e", "stroke-width": 3 },
            title(`longest: ${formatDuration(row.max)}`),
          ),
          svg(
            "text",
            { class: "values", x: label + scale(row.max) + 6, y: y + 13, "font-size": 11, fill: "#5b6b7c" },
            `p90 ${formatDuration(row.p90)} · longest ${formatDuration(row.max)}`,
          ),
        );
      }),
    ),
    h(
      "figcaption",
      { class: "legend" },
      h("span", {}, h("span", { class: "swatch p50" }), "p50"),
      h("span", {}, h("span", { class: "swatch p90" }), "p90"),
      h("span", {}, h("span", { class: "swatch max" }), "longest stay"),
    ),
  );
}

/** A row's longest stays as links to their lots; lots the caller may not see are counted, not named. */
function stayLinks(stays) {
  const shown = stays.filter((stay) => stay.lot !== null);
  const withheld = stays.length - shown.length;
  return [
    ...shown.flatMap((stay, index) => [
      index > 0 ? ", " : "",
      h("span", {}, lotLink(stay.lot.id), h("span", { class: "muted" }, ` ${formatDuration(stay.duration)}`)),
    ]),
    withheld > 0 ? h("span", { class: "muted" }, `${shown.length > 0 ? ", " : ""}${withheld} withheld`) : null,
  ];
}

async function show() {
  const fields = new FormData(form);
  const value = (name) => fields.get(name) || null;
  const period = value("from") && value("to") ? { from: `${value("from")}T00:00:00Z`, to: `${value("to")}T00:00:00Z` } : null;
  try {
    const { dwellTimes: rows } = await gql(DWELL, { stage: value("stage"), facility: value("facility"), period });
    result.replaceChildren(
      rows.length === 0 ? h("p", { class: "muted" }, "No finished stays match.") : chart(rows),
      h(
        "table",
        { id: "dwell" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Stage", "Facility", "Stays", "p50", "p90", "Longest"].map((text, index) => h("th", { class: index > 1 ? "number" : undefined }, text)),
            h("th", {}, "Longest stays"),
          ),
        ),
        h(
          "tbody",
          {},
          rows.map((row) =>
            h(
              "tr",
              {},
              h("td", {}, row.stage),
              h("td", {}, row.facility ?? "before arrival"),
              h("td", { class: "number" }, row.stays),
              ...[row.p50, row.p90, row.max].map((seconds) => h("td", { class: "number" }, formatDuration(seconds))),
              h("td", { class: "lots" }, stayLinks(row.longest)),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    showError(result, error);
  }
}

void fillChoices(form, { stage: "states", facility: "facilities" }).catch(() => {});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  void show();
});
void show();
