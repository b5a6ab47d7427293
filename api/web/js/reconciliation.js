// Material reconciliation: the books, consumption against what the norms allow for what was produced,
// and the declared closing stock, as a table and an SVG bar chart, with each discrepancy and its events.
import { gql } from "./api.js";
import { formatTime, h, navigation, showError, svg } from "./dom.js";

navigation("/reconciliation.html");
const form = document.querySelector("#query");
const result = document.querySelector("#result");

const RECONCILE = `query ($enterprise: String!, $period: PeriodInput!, $report: String) {
  reconciliation(enterprise: $enterprise, period: $period, report: $report) {
    report { accepted problem verdict { verdict } }
    rows { material balance { opening received consumed destroyed } book expected declared consumed overNormConsumed overNormAllowed stockDifference
      discrepancies { kind amount explanation events(first: 50) { edges { node { kind time actor facility } } } } } } }`;

const SERIES = [["consumed", "consumed"], ["expected", "allowed by norm for what was produced"], ["book", "book closing"], ["declared", "declared closing"]];

function chart(rows) {
  const values = rows.flatMap((row) => SERIES.map(([key]) => Number(row[key] ?? 0)));
  const max = Math.max(1, ...values);
  const bar = 18;
  const group = SERIES.length * bar + 26;
  const width = 640;
  const label = 110;
  const scale = (value) => ((width - label - 70) * value) / max;
  return h("figure", {},
    svg("svg", { width, height: rows.length * group + 10, viewBox: `0 0 ${width} ${rows.length * group + 10}`, role: "img", "aria-label": "Reconciliation chart" },
      rows.flatMap((row, index) => [
        svg("text", { x: 0, y: index * group + 16, "font-size": 13, "font-weight": 600 }, row.material),
        ...SERIES.map(([key], series) => {
          const value = row[key];
          const y = index * group + series * bar + 4;
          return svg("g", { "data-series": key },
            value === null ? null : svg("rect", { class: key, x: label, y, width: Math.max(1, scale(Number(value))), height: bar - 4, fill: { consumed: "#1f5fa8", expected: "#9cc3ea", book: "#3c8d5a", declared: "#f0a35e" }[key] }),
            svg("text", { x: label + (value === null ? 0 : scale(Number(value))) + 6, y: y + 11, "font-size": 11, fill: "#5b6b7c" }, value === null ? "not declared" : value),
          );
        }),
      ]),
    ),
    h("figcaption", { class: "legend" }, SERIES.map(([key, text]) => h("span", {}, h("span", { class: `swatch ${key}` }), text))),
  );
}

// What the transforms over their norm used beyond it; quantities are decimal strings, so BigInt.
const overNorm = (row) => String(BigInt(row.overNormConsumed) - BigInt(row.overNormAllowed));

function table(rows) {
  const head = ["Material", "Opening", "Received", "Consumed", "Destroyed", "Book closing", "Allowed by norm", "Over norm", "Declared", "Declared − book"];
  return h("table", { id: "reconciliation" }, h("thead", {}, h("tr", {}, head.map((label, index) => h("th", { class: index > 0 ? "number" : undefined }, label)))),
    h("tbody", {}, rows.map((row) => h("tr", { "data-material": row.material }, h("td", {}, row.material),
      [row.balance.opening, row.balance.received, row.balance.consumed, row.balance.destroyed, row.book, row.expected, overNorm(row), row.declared ?? "—", row.stockDifference ?? "—"]
        .map((value) => h("td", { class: "number" }, value))))));
}

function discrepancies(rows) {
  const items = rows.flatMap((row) => row.discrepancies.map((discrepancy) =>
    h("li", { "data-kind": discrepancy.kind }, h("strong", {}, `${row.material}: ${discrepancy.kind} ${discrepancy.amount}`), ` — ${discrepancy.explanation}`,
      h("ul", {}, discrepancy.events.edges.map(({ node }) => h("li", { class: "muted" }, `${formatTime(node.time)} ${node.kind} by ${node.actor}${node.facility ? ` at ${node.facility}` : ""}`))))));
  return items.length === 0 ? h("p", {}, "No discrepancies.") : h("ul", { id: "discrepancies" }, items);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  const file = fields.get("report");
  try {
    const variables = {
      enterprise: fields.get("enterprise"),
      period: { from: `${fields.get("from")}T00:00:00Z`, to: `${fields.get("to")}T00:00:00Z` },
      report: file instanceof File && file.size > 0 ? await file.text() : null,
    };
    const { reconciliation } = await gql(RECONCILE, variables);
    const report = reconciliation.report;
    result.replaceChildren(
      h("p", { id: "report" }, report === null ? "No balance report given: nothing declared to compare." : report.accepted ? "Balance report accepted: its bytes are anchored, VALID, for this enterprise and period." : `Balance report not used: ${report.problem}`),
      chart(reconciliation.rows), table(reconciliation.rows), h("h2", {}, "Discrepancies"), discrepancies(reconciliation.rows),
    );
  } catch (error) {
    showError(result, error);
  }
});
