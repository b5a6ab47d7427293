// One lot: its state, its documents with their verdicts, its trips under seal, its timeline and its lineage graph.
import { ApiError, gql } from "./api.js";
import {
  badge,
  documentLink,
  element,
  formatDate,
  formatDuration,
  formatTime,
  h,
  ledgerText,
  lotLink,
  navigation,
  param,
  plainTimes,
  shortHash,
  showError,
  visibleControls,
} from "./dom.js";
import { lineageGraph } from "./lineage-graph.js";
import { actionsPanel } from "./lot-actions.js";
import { trackRoute } from "./track-route.js";

navigation("");
const container = element("#lot", HTMLElement);
const id = param("id");

/** Timeline events per page: the latest first, older ones on request. */
const EVENTS_PER_PAGE = 100;
const HISTORY = `history(last: ${EVENTS_PER_PAGE}, before: $before) { totalCount pageInfo { hasPreviousPage startCursor }
  edges { node { id kind time actor facility tx reason flagged documents { hash id kind status statusChangedAt }
    transitions { lotId from to quantity } deviations { material expected consumed } } } }`;
const OLDER = `query ($id: String!, $before: String) { lot(id: $id) { ${HISTORY} } }`;
const LOT = `query ($id: String!, $before: String) { viewer { org role } lot(id: $id) {
  id material hsCode unit quantity owner custodian location state stageSince seal destination deadline
  availableActions { action reasonRequired minimumParts facilities { id kind operator } documents { kind required } products { product unit } }
  documents { hash id kind issuer status statusChangedAt verdict { verdict checks { name outcome reason } } }
  ${HISTORY}
  trips { seal origin destination deadline sealedAt arrivedAt outcome sealIntact remark secondsInTransit secondsAllowed secondsLate
    alerts { time alert detail event { id } } transitDeclaration { hash id kind } sealEvent { id } endEvent { id }
    track { time latitude longitude sealClosed alerts } }
  lineage(direction: BOTH, depth: 10) { nodes { depth lot { id material quantity unit state } } edges { parent child kind quantity } withheld } } }`;

function facts(lot) {
  const rows = [
    ["Material", `${lot.material} (HS ${lot.hsCode})`],
    ["Quantity", `${lot.quantity} ${lot.unit}`],
    ["State", `${lot.state} since ${formatTime(lot.stageSince)}`],
    ["Owner", lot.owner],
    ["Custodian", lot.custodian],
    ["Location", lot.location ?? "not arrived"],
    // Under customs seal (also while held on the way): where it must arrive, and by when.
    ...(lot.seal === null
      ? []
      : [
          ["Seal", lot.seal],
          ["Destination", lot.destination],
          ["Deadline", formatTime(lot.deadline)],
        ]),
  ];
  return h(
    "dl",
    { class: "facts" },
    rows.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]),
  );
}

/** What a document was when an event at `time` relied on it, and what it is now. */
function whenRelied(document, time) {
  const changed = document.statusChangedAt;
  const now = document.status.toLowerCase();
  if (changed === null) return h("span", { class: "badge ok" }, "valid when relied on · still valid");
  if (Date.parse(changed) > Date.parse(time)) return h("span", { class: "badge warn" }, `valid when relied on · ${now} ${formatDate(changed)}`);
  return h("span", { class: "badge bad" }, `already ${now} when relied on (${formatDate(changed)})`);
}

/** How a trip ended, or stands at ledger time: the words and the badge's colour. */
const OUTCOMES = {
  ARRIVED: ["arrived on time", "ok"],
  HELD_BROKEN_SEAL: ["seal broken", "bad"],
  HELD_OVERDUE: ["overdue", "bad"],
  IN_TRANSIT: ["in transit", "warn"],
  OVERDUE: ["overdue, not arrived", "bad"],
  DESTROYED: ["destroyed on the way", "bad"],
};

const outcomeBadge = (trip) => {
  const [words, colour] = OUTCOMES[trip.outcome] ?? [trip.outcome, "warn"];
  return h("span", { class: `badge ${colour} outcome` }, words);
};

/** Time under seal against the time allowed, and how late. */
const againstDeadline = (trip) =>
  `${formatDuration(trip.secondsInTransit)} in transit of ${formatDuration(trip.secondsAllowed)} allowed` +
  (trip.secondsLate === null ? "" : `, ${formatDuration(trip.secondsLate)} past the deadline`);

/** What a transit event adds to its timeline entry: the trip's badge and figures, keyed by event id. */
function transitNotes(trips) {
  const notes = new Map();
  for (const trip of trips) {
    if (trip.sealEvent)
      notes.set(trip.sealEvent.id, {
        badge: h("span", { class: "badge warn" }, `sealed ${trip.seal}`),
        detail: `for ${trip.destination} by ${formatTime(trip.deadline)} (${formatDuration(trip.secondsAllowed)} allowed)`,
      });
    for (const alert of trip.alerts) {
      if (alert.event)
        notes.set(alert.event.id, { badge: h("span", { class: `badge ${alert.alert === "OPENED" ? "bad" : "warn"}` }, alert.alert), detail: null });
    }
    if (trip.endEvent) notes.set(trip.endEvent.id, { badge: outcomeBadge(trip), detail: againstDeadline(trip) });
  }
  return notes;
}

/** The timeline entries of `events` (oldest first), each with the trip's note when it is a transit event. */
function timelineItems(events, lotId, notes) {
  return events.map((event) => {
    const mine = event.transitions.find((transition) => transition.lotId === lotId);
    const others = [...new Set(event.transitions.map((transition) => transition.lotId).filter((other) => other !== lotId))];
    const note = notes.get(event.id);
    // A flagged transform went over its norm; flagged transit events carry the trip's own badge.
    const flag = event.flagged && event.kind === "transform" ? h("span", { class: "badge bad" }, "over norm") : null;
    return h(
      "li",
      { id: `event-${event.id}`, class: event.flagged ? "flagged" : undefined, "data-kind": event.kind },
      h("div", { class: "what" }, `${event.kind}${mine ? ` → ${mine.to}` : ""}`, flag, note ? note.badge : null),
      note?.detail ? h("div", { class: "detail transit" }, note.detail) : null,
      h(
        "div",
        { class: "detail" },
        `${formatTime(event.time)} · ${event.actor}${event.facility ? ` at ${event.facility}` : ""}`,
        event.reason ? [" · “", ledgerText(event.reason), "”"] : null,
      ),
      others.length > 0
        ? h(
            "div",
            { class: "detail" },
            "with ",
            others.flatMap((other, index) => [index > 0 ? ", " : "", lotLink(other)]),
          )
        : null,
      event.documents.length > 0
        ? h(
            "div",
            { class: "detail relied" },
            "relied on: ",
            event.documents
              .filter(Boolean)
              .map((document) => h("span", {}, `${document.kind} `, documentLink(document), " ", whenRelied(document, event.time))),
          )
        : null,
      event.deviations.length > 0
        ? h("div", { class: "detail" }, event.deviations.map((row) => `${row.material}: consumed ${row.consumed}, norm allows ${row.expected}`).join(" · "))
        : null,
      h("div", { class: "detail" }, "ledger transaction ", h("code", { title: event.tx }, shortHash(event.tx))),
    );
  });
}

/**
 * The timeline: the lot's latest events, oldest first, and older ones a page at a time. `reveal(hash)`
 * loads older pages until the event a link names (#event-<id>) is shown, then scrolls to it and marks it.
 */
function timeline(lot) {
  const notes = transitNotes(lot.trips);
  const list = h("ol", { class: "timeline" });
  const note = h("p", { class: "muted", id: "timeline-note" });
  const problem = h("div", { class: "timeline-problem" });
  const older = h("button", { type: "button", class: "secondary", id: "older-events" }, `Show ${EVENTS_PER_PAGE} older events`);
  let before = null;
  const add = (history) => {
    problem.replaceChildren();
    list.prepend(
      ...timelineItems(
        history.edges.map((edge) => edge.node),
        lot.id,
        notes,
      ),
    );
    before = history.pageInfo.hasPreviousPage ? history.pageInfo.startCursor : null;
    const shown = list.childElementCount;
    note.textContent =
      before === null
        ? `All ${shown} event${shown === 1 ? "" : "s"}, oldest first.`
        : `The latest ${shown.toLocaleString("en")} of ${history.totalCount.toLocaleString("en")} events, oldest first; older events are not shown yet.`;
    older.hidden = before === null;
  };
  const loadOlder = async () => add((await gql(OLDER, { id: lot.id, before })).lot.history);
  older.addEventListener("click", () => {
    older.disabled = true;
    loadOlder()
      .catch((error) => showError(problem, error))
      .finally(() => (older.disabled = false));
  });
  add(lot.history);
  async function reveal(hash) {
    if (!/^#event-/.test(hash)) return;
    const target = () => list.querySelector(`#${CSS.escape(hash.slice(1))}`);
    try {
      while (target() === null && before !== null) await loadOlder();
    } catch (error) {
      return showError(problem, error);
    }
    const found = target();
    if (found === null) return showError(problem, new Error(`The event this link names (${hash.slice(1)}) is not in this lot's timeline.`));
    found.classList.add("target");
    found.scrollIntoView({ block: "center" });
  }
  return { element: h("div", {}, note, problem, older, list), reveal };
}

function documents(list) {
  return h(
    "table",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Document", "Kind", "Issuer", "Status", "Verdict"].map((label) => h("th", {}, label)),
      ),
    ),
    h(
      "tbody",
      {},
      list.map((document) =>
        h(
          "tr",
          {},
          h("td", { class: "id" }, documentLink(document)),
          h("td", {}, document.kind),
          h("td", {}, document.issuer),
          h("td", {}, document.status, document.statusChangedAt ? ` ${formatDate(document.statusChangedAt)}` : ""),
          h(
            "td",
            {},
            badge(document.verdict.verdict),
            " ",
            h(
              "span",
              { class: "muted" },
              document.verdict.checks
                .filter((check) => check.outcome === "FAILED")
                .flatMap((check, index) => [index > 0 ? "; " : null, ledgerText(plainTimes(check.reason))]),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Each trip under seal: where from and to, when, its outcome against the deadline, and the e-seal's track. */
function tripsPanel(trips) {
  return trips.map((trip) =>
    h(
      "section",
      { class: "trip", "data-seal": trip.seal },
      h("h3", {}, `Seal ${trip.seal}: ${trip.origin} → ${trip.destination} `, outcomeBadge(trip)),
      h(
        "p",
        { class: "detail" },
        `Sealed ${formatTime(trip.sealedAt)}, due by ${formatTime(trip.deadline)}; `,
        trip.arrivedAt === null ? "not unsealed yet" : `unsealed ${formatTime(trip.arrivedAt)}, seal ${trip.sealIntact ? "intact" : "broken"}`,
        trip.remark ? [" (“", ledgerText(trip.remark), "”)"] : "",
        `. ${againstDeadline(trip)}.`,
        trip.transitDeclaration ? h("span", {}, " Transit declaration ", documentLink(trip.transitDeclaration), ".") : null,
      ),
      trip.alerts.length > 0
        ? h(
            "ul",
            { class: "alerts" },
            trip.alerts.map((alert) => h("li", {}, `${formatTime(alert.time)} · ${alert.alert}`, alert.detail ? [": ", ledgerText(alert.detail)] : null)),
          )
        : null,
      trip.track && trip.track.length > 0 ? trackRoute(trip) : h("p", { class: "muted" }, "No e-seal readings of this trip are available here."),
    ),
  );
}

/** The outcome of the last action, kept above the panel once the lot is read again. */
const outcome = (notice) => (notice ? h("p", { class: "outcome", role: "status" }, notice.text) : null);

/** A lot id as the ledger takes it: 1 to 31 printable ASCII characters, no spaces. */
const LOT_ID = /^[\x21-\x7e]{1,31}$/;

async function show(notice) {
  if (!id) return showError(container, new Error("no lot id in the address (lot.html?id=…)"));
  if (!LOT_ID.test(id))
    return showError(
      container,
      new Error(
        `This address names no lot: a lot id is 1 to 31 printable ASCII characters without spaces (“${visibleControls(id.slice(0, 40))}${id.length > 40 ? "…" : ""}”).`,
      ),
    );
  document.title = `${id} · TraceGate audit`;
  try {
    const { lot, viewer, errors } = await gql(LOT, { id });
    // The viewer always answers: a lot the caller may not see comes back null with its error (outside
    // customs, also one that does not exist); customs gets null alone for a lot that does not exist.
    if (lot === null && errors.length === 0) throw new Error(`No lot ${id} exists.`);
    if (lot === null) throw new Error(`You may not see lot ${id}, or it does not exist (${new ApiError(errors).message}).`);
    const shown = outcome(notice);
    const events = timeline(lot);
    element("h1", HTMLElement).textContent = `Lot ${lot.id}`;
    container.replaceChildren(
      ...[
        facts(lot),
        shown,
        actionsPanel(lot, viewer, { done: (next) => void show(next), opened: () => shown?.remove() }),
        h("h2", {}, "Lineage"),
        lineageGraph(lot.lineage, lot.id),
        lot.lineage.withheld > 0 ? h("p", { class: "muted" }, `${lot.lineage.withheld} connected lot(s) withheld: you may not see them.`) : null,
        ...(lot.trips.length > 0 ? [h("h2", {}, "Trips under seal"), ...tripsPanel(lot.trips)] : []),
        h("h2", {}, "Timeline"),
        events.element,
        h("h2", {}, "Documents"),
        documents(lot.documents),
      ].filter((child) => child !== null && child !== undefined),
    );
    // On a screen narrower than the graph, start with the lot itself in view.
    const graph = container.querySelector("div.graph[data-focus-x]");
    if (graph instanceof HTMLElement) graph.scrollLeft = Number(graph.dataset.focusX) - graph.clientWidth / 2;
    // A link to an event (#event-<id>, from reconciliation): the browser looked for it before the timeline was there.
    if (notice === undefined) await events.reveal(location.hash);
  } catch (error) {
    showError(container, error);
  }
}
void show();
