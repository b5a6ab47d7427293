// Material reconciliation: the books, consumption against what the norms allow for what was produced,
// and the declared closing stock, one table row per material with its balance over time, then each
// discrepancy with its events as links to the lots' timelines.
import { gql } from "./api.js";
import { fillChoices } from "./choices.js";
import { badge, element, formatTime, h, navigation, showError } from "./dom.js";
import { balancePlot, closingsOver, stepEnds } from "./balance-plot.js";

navigation("/reconciliation.html");
const form = element("#query", HTMLFormElement);
const result = element("#result", HTMLElement);
const enterprise = element("select[name=enterprise]", HTMLSelectElement, form);

const RECONCILE = `query ($enterprise: String!, $period: PeriodInput!, $report: String) {
  reconciliation(enterprise: $enterprise, period: $period, report: $report) {
    from to report { accepted problem hash verdict { verdict } }
    rows { material balance { opening received consumed destroyed } book expected declared consumed overNormConsumed overNormAllowed stockDifference
      discrepancies { kind amount explanation events(first: 50) { edges { node { id kind time actor facility transitions { lotId } } } } } } } }`;

// What the transforms over their norm used beyond it; quantities are decimal strings, so BigInt.
const overNorm = (row) => String(BigInt(row.overNormConsumed) - BigInt(row.overNormAllowed));

function table(rows, report, plots) {
  const head = ["Material", "Opening", "Received", "Consumed", "Destroyed", "Book closing", "Allowed by norm", "Over norm"];
  // The declared figures are the report's: its verdict stands on their column.
  const declared = h("th", { class: "number declared" }, "Declared", report?.accepted ? [" ", badge(report.verdict.verdict)] : null);
  return h(
    "table",
    { id: "reconciliation" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        head.map((label, index) => h("th", { class: index > 0 ? "number" : undefined }, label)),
        declared,
        h("th", { class: "number" }, "Declared − book"),
        h("th", {}, "Book balance over time"),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((row, index) =>
        h(
          "tr",
          { "data-material": row.material },
          h("td", {}, row.material),
          [row.balance.opening, row.balance.received, row.balance.consumed, row.balance.destroyed, row.book, row.expected].map((value) =>
            h("td", { class: "number" }, value),
          ),
          h("td", { class: `number${overNorm(row) !== "0" ? " bad" : ""}` }, overNorm(row)),
          [row.declared ?? "—", row.stockDifference ?? "—"].map((value) => h("td", { class: "number" }, value)),
          h("td", { class: "plot" }, plots[index]),
        ),
      ),
    ),
  );
}

/** An event as a link to the timeline of the first lot it moved, at the event. */
function eventLink(event) {
  const text = `${formatTime(event.time)} ${event.kind} by ${event.actor}${event.facility ? ` at ${event.facility}` : ""}`;
  const lot = event.transitions[0]?.lotId;
  return lot === undefined ? text : h("a", { href: `/lot.html?id=${encodeURIComponent(lot)}#event-${event.id}` }, text);
}

function reportLine(report) {
  if (report === null) return h("p", { id: "report" }, "No balance report given: nothing declared to compare.");
  const verify = h("a", { href: `/verify.html?hash=${report.hash}` }, "balance report");
  return report.accepted
    ? h(
        "p",
        { id: "report" },
        "The ",
        verify,
        " is ",
        badge(report.verdict.verdict),
        " and accepted: its bytes are anchored for this enterprise and period, so its closing stock is the declared column.",
      )
    : h("p", { id: "report" }, "The ", verify, " is not used (", badge(report.verdict.verdict), "): ", report.problem);
}

function discrepancies(rows) {
  const items = rows.flatMap((row) =>
    row.discrepancies.map((discrepancy) =>
      h(
        "li",
        { "data-kind": discrepancy.kind },
        h("strong", {}, `${row.material}: ${discrepancy.kind} ${discrepancy.amount}`),
        ` — ${discrepancy.explanation}`,
        h(
          "ul",
          {},
          discrepancy.events.edges.map(({ node }) => h("li", {}, eventLink(node))),
        ),
      ),
    ),
  );
  return items.length === 0 ? h("p", {}, "No discrepancies.") : h("ul", { id: "discrepancies" }, items);
}

void fillChoices(form, { enterprise: "enterprises" })
  .then(() => {
    // An issuer or another organisation that keeps no books: nothing to choose, and said why.
    if (enterprise.options.length === 0)
      result.replaceChildren(
        h(
          "p",
          { class: "muted" },
          "Your organisation may see no enterprise's lots, so there are no books to reconcile: reconciliation is for customs, and for each enterprise its own.",
        ),
      );
  })
  .catch((error) => showError(result, error));
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  const file = fields.get("report");
  try {
    const variables = {
      enterprise: enterprise.value,
      period: { from: `${fields.get("from")}T00:00:00Z`, to: `${fields.get("to")}T00:00:00Z` },
      report: file instanceof File && file.size > 0 ? await file.text() : null,
    };
    const { reconciliation } = await gql(RECONCILE, variables);
    const { report, rows, from, to } = reconciliation;
    const ends = stepEnds(from, to);
    const plots = await Promise.all(
      rows.map(async (row) =>
        balancePlot(
          row.material,
          from,
          ends,
          [BigInt(row.balance.opening), ...(await closingsOver(variables.enterprise, row.material, from, ends))],
          row.declared === null ? null : BigInt(row.declared),
        ),
      ),
    );
    result.replaceChildren(reportLine(report), table(rows, report, plots), h("h2", {}, "Discrepancies"), discrepancies(rows));
  } catch (error) {
    showError(result, error);
  }
});
