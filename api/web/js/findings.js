// The auditor's worklist: findings ranked by severity, filtered by choices (never free text), paged
// with counts, each with its explanation and its evidence as links, and the current filter as CSV.
import { gql } from "./api.js";
import { element, formatDuration, formatTime, h, ledgerText, navigation, shortHash, showError } from "./dom.js";

navigation("/findings.html");
const form = element("#filter", HTMLFormElement);
const summary = element("#summary", HTMLElement);
const result = element("#result", HTMLElement);
const pages = element("#pages", HTMLElement);
const rollup = element("#rollup", HTMLElement);
const byDeclaration = element("#by-declaration-rollup", HTMLElement);

/** Each kind as an auditor names it. */
const KINDS = {
  CONSUMPTION_OVER_NORM: "Consumption over norm",
  DOCUMENT_WITHDRAWN_AFTER_CLEARANCE: "Document withdrawn after clearance",
  RELEASED_NOT_RECEIVED: "Released, not received",
  HOLD: "Hold",
  SLOW_FACILITY: "Slow facility",
  LONG_STAY: "Long stay",
  QUANTITY_VANISHED: "Quantity vanished",
  REPEATED_AMENDMENTS: "Repeated amendments",
  TRANSIT_OVERDUE: "Transit overdue",
  SEAL_BROKEN: "Seal broken",
  SEAL_ALERT: "Seal alerts on the way",
};
const FIELDS =
  "id kind severity severityLabel subject subjectKind enterprise lot facility document time explanation evidence { events documents figures { name value } }";
const FINDINGS = `query ($filter: FindingFilter, $first: Int, $after: String) {
  findings(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${FIELDS} } } } }`;
const ROLLUP = `query ($filter: FindingFilter) { findingsByEnterprise(filter: $filter) { key count highest highestLabel bySeverity { label count } }
  findingsByDeclaration(filter: $filter) { key count highest highestLabel } }`;
/** Declarations listed in the roll-up: the most severe. */
const DECLARATIONS_SHOWN = 10;

for (const [kind, label] of Object.entries(KINDS)) form.kind.append(h("option", { value: kind }, label));

/** Where the list is: the cursor each page shown so far starts after (null: the first page), changed only once a page is shown. */
let trail = [null];

function filterOf() {
  const fields = new FormData(form);
  const filter = {};
  if (fields.get("kind")) filter.kinds = [fields.get("kind")];
  if (fields.get("severity")) filter.minLabel = fields.get("severity");
  if (fields.get("enterprise")) filter.enterprise = fields.get("enterprise");
  return filter;
}

const lotLink = (lot) => h("a", { href: `/lot.html?id=${encodeURIComponent(lot)}` }, lot);
const documentLink = (hash) => h("a", { href: `/document.html?hash=${encodeURIComponent(hash)}`, title: hash }, shortHash(hash));

/** A figure as read: its name in words, durations (figures in seconds) as hours or days, ledger times (…At, deadline) as times. */
function figure(name, value) {
  if (/At$|^deadline$/.test(name))
    return `${name
      .replace(/At$/, "")
      .replace(/([A-Z])/g, " $1")
      .toLowerCase()} ${formatTime(new Date(Number(value) * 1000).toISOString())}`;
  const duration = /seconds/i.test(name);
  const words =
    name
      .replace(/Seconds$|^seconds/, "")
      .replace(/([A-Z])/g, " $1")
      .toLowerCase()
      .trim() || "duration";
  return `${words} ${duration ? formatDuration(Number(value)) : value}`;
}

function subjectOf(finding) {
  if (finding.subjectKind === "lot") return lotLink(finding.subject);
  if (finding.subjectKind === "document") return documentLink(finding.subject);
  return finding.subject;
}

function evidenceOf(finding) {
  const { events, documents, figures } = finding.evidence;
  return h(
    "div",
    { class: "evidence" },
    finding.lot && finding.subjectKind !== "lot" ? h("span", {}, "lot ", lotLink(finding.lot)) : null,
    documents.length > 0
      ? h(
          "span",
          {},
          "documents ",
          documents.flatMap((hash, index) => [index > 0 ? ", " : null, documentLink(hash)]),
        )
      : null,
    // Event ids mean nothing alone: with a lot, each opens the lot's timeline where the event is.
    h(
      "span",
      { class: "muted" },
      "ledger events ",
      events.flatMap((id, index) => [
        index > 0 ? ", " : null,
        finding.lot ? h("a", { href: `/lot.html?id=${encodeURIComponent(finding.lot)}`, title: `event ${id} in the lot's timeline` }, id) : id,
      ]),
    ),
    h("span", { class: "muted figures" }, figures.map(({ name, value }) => figure(name, value)).join(" · ")),
  );
}

function row(finding, rank) {
  return h(
    "tr",
    { "data-kind": finding.kind, "data-id": finding.id },
    h("td", { class: "number" }, rank),
    h("td", {}, h("span", { class: `severity ${finding.severityLabel.toLowerCase()}` }, `${finding.severityLabel} ${finding.severity}`)),
    h("td", {}, h("strong", {}, KINDS[finding.kind] ?? finding.kind), h("br"), subjectOf(finding)),
    h("td", { class: "when" }, formatTime(finding.time)),
    // Built by the node around the ledger's own words (a hold's reason, a revocation's): isolated, controls shown.
    h("td", {}, h("p", { class: "explanation" }, ledgerText(finding.explanation)), evidenceOf(finding)),
  );
}

/** Shows the page that starts after the last of `cursors` (by default the current page again). */
async function show(cursors = trail) {
  const size = Number(new FormData(form).get("size"));
  const page = cursors.length - 1;
  try {
    const { findings } = await gql(FINDINGS, { filter: filterOf(), first: size, after: cursors[page] });
    trail = cursors;
    const nodes = findings.edges.map(({ node }) => node);
    const first = page * size + 1;
    summary.replaceChildren(
      h(
        "p",
        { id: "count" },
        findings.totalCount === 0
          ? "No findings match."
          : `${findings.totalCount} finding${findings.totalCount === 1 ? "" : "s"} match; showing ${first}–${first + nodes.length - 1}.`,
      ),
    );
    result.replaceChildren(
      nodes.length === 0
        ? ""
        : h(
            "table",
            { id: "findings" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["#", "Severity", "Finding", "Ledger time", "What happened, and the evidence"].map((text, index) =>
                  h("th", { class: index === 0 ? "number" : undefined }, text),
                ),
              ),
            ),
            h(
              "tbody",
              {},
              nodes.map((finding, index) => row(finding, first + index)),
            ),
          ),
    );
    pages.replaceChildren(
      h(
        "button",
        {
          type: "button",
          id: "previous",
          disabled: page === 0,
          onclick: () => void show(trail.slice(0, -1)),
        },
        "← Previous",
      ),
      h(
        "button",
        {
          type: "button",
          id: "next",
          disabled: !findings.pageInfo.hasNextPage,
          onclick: () => void show([...trail, findings.pageInfo.endCursor]),
        },
        "Next →",
      ),
    );
  } catch (error) {
    // The list stays where it was: its count is withdrawn with its rows, the pager still leads from it.
    summary.replaceChildren();
    showError(result, error);
  }
}

const severityOf = (entry) => h("span", { class: `severity ${entry.highestLabel.toLowerCase()}` }, `${entry.highestLabel} ${entry.highest}`);

/** The roll-ups per enterprise (whose keys are the enterprise choices) and per declaration. */
async function showRollup() {
  try {
    const { findingsByEnterprise: rows, findingsByDeclaration: declarations } = await gql(ROLLUP, {});
    const chosen = form.enterprise.value;
    form.enterprise.replaceChildren(
      h("option", { value: "" }, "all enterprises"),
      ...rows.map((entry) => h("option", { value: entry.key, selected: entry.key === chosen }, entry.key)),
    );
    rollup.replaceChildren(
      rows.length === 0
        ? h("p", { class: "muted" }, "No enterprise has findings you may see.")
        : h(
            "table",
            { id: "by-enterprise" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Enterprise", "Findings", "Most severe", "By severity"].map((text) => h("th", { class: text === "Findings" ? "number" : undefined }, text)),
              ),
            ),
            h(
              "tbody",
              {},
              rows.map((entry) =>
                h(
                  "tr",
                  {},
                  h(
                    "td",
                    {},
                    h(
                      "a",
                      {
                        href: "#",
                        onclick: (event) => {
                          event.preventDefault();
                          form.enterprise.value = entry.key;
                          void show([null]);
                        },
                      },
                      entry.key,
                    ),
                  ),
                  h("td", { class: "number" }, entry.count),
                  h("td", {}, severityOf(entry)),
                  h("td", {}, entry.bySeverity.map(({ label, count }) => `${count} ${label.toLowerCase()}`).join(", ")),
                ),
              ),
            ),
          ),
    );
    byDeclaration.replaceChildren(
      declarations.length === 0
        ? h("p", { class: "muted" }, "No declaration has findings you may see.")
        : h(
            "table",
            { id: "by-declaration" },
            h(
              "caption",
              { class: "muted" },
              `The ${Math.min(DECLARATIONS_SHOWN, declarations.length)} most severe of ${declarations.length} declarations with findings (a finding counts for its lot's declaration).`,
            ),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Declaration", "Findings", "Most severe"].map((text) => h("th", { class: text === "Findings" ? "number" : undefined }, text)),
              ),
            ),
            h(
              "tbody",
              {},
              declarations
                .slice(0, DECLARATIONS_SHOWN)
                .map((entry) => h("tr", {}, h("td", {}, documentLink(entry.key)), h("td", { class: "number" }, entry.count), h("td", {}, severityOf(entry)))),
            ),
          ),
    );
  } catch (error) {
    showError(rollup, error);
  }
}

/**
 * A CSV field: quoted, quotes doubled, and a text a spreadsheet would take for a formula (one that starts
 * with an equals, plus, minus or at sign, a tab or a carriage return: OWASP's CSV injection) led by ' so that it stays text.
 */
const csvField = (value) => {
  const text = String(value ?? "");
  return `"${(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text).replaceAll('"', '""')}"`;
};

/** Every finding of the current filter, as CSV (csvField). */
async function downloadCsv() {
  const lines = [
    [
      "rank",
      "severity",
      "label",
      "kind",
      "subject",
      "enterprise",
      "lot",
      "facility",
      "document",
      "ledger time",
      "explanation",
      "events",
      "documents",
      "figures",
    ]
      .map(csvField)
      .join(","),
  ];
  try {
    let after = null;
    do {
      const { findings } = await gql(FINDINGS, { filter: filterOf(), first: 100, after });
      for (const { node: f } of findings.edges) {
        lines.push(
          [
            lines.length,
            f.severity,
            f.severityLabel,
            f.kind,
            f.subject,
            f.enterprise,
            f.lot,
            f.facility,
            f.document,
            f.time,
            f.explanation,
            f.evidence.events.join(" "),
            f.evidence.documents.join(" "),
            f.evidence.figures.map(({ name, value }) => `${name}=${value}`).join(" "),
          ]
            .map(csvField)
            .join(","),
        );
      }
      after = findings.pageInfo.hasNextPage ? findings.pageInfo.endCursor : null;
    } while (after !== null);
  } catch (error) {
    showError(summary, error);
    return;
  }
  const link = h("a", { href: URL.createObjectURL(new Blob([`${lines.join("\r\n")}\r\n`], { type: "text/csv" })), download: "findings.csv" });
  document.body.append(link);
  link.click();
  link.remove();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void show([null]);
});
for (const name of ["kind", "severity", "enterprise", "size"]) form[name].addEventListener("change", () => void show([null]));
element("#csv", HTMLButtonElement).addEventListener("click", () => void downloadCsv());
void showRollup();
void show();
