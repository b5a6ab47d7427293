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
  lotLink,
  navigation,
  param,
  plainTimes,
  shortHash,
  showError,
} from "./dom.js";
import { lineageGraph } from "./lineage-graph.js";
import { actionsPanel } from "./lot-actions.js";
import { trackRoute } from "./track-route.js";

navigation("");
const container = element("#lot", HTMLElement);
const id = param("id");

const LOT = `query ($id: String!) { viewer { org role } lot(id: $id) {
  id material hsCode unit quantity owner custodian location state stageSince seal destination deadline
  availableActions { action reasonRequired minimumParts facilities { id kind operator } documents { kind required } products { product unit } }
  documents { hash id kind issuer status statusChangedAt verdict { verdict checks { name outcome reason } } }
  history(first: 100) { edges { node { id kind time actor facility tx reason flagged documents { hash id kind status statusChangedAt }
    transitions { lotId from to quantity } deviations { material expected consumed } } } }
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

function timeline(events, lotId, trips) {
  const notes = transitNotes(trips);
  return h(
    "ol",
    { class: "timeline" },
    events.map((event) => {
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
          `${formatTime(event.time)} · ${event.actor}${event.facility ? ` at ${event.facility}` : ""}${event.reason ? ` · “${event.reason}”` : ""}`,
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
    }),
  );
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
                .map((check) => plainTimes(check.reason))
                .join("; "),
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
        trip.remark ? ` (“${trip.remark}”)` : "",
        `. ${againstDeadline(trip)}.`,
        trip.transitDeclaration ? h("span", {}, " Transit declaration ", documentLink(trip.transitDeclaration), ".") : null,
      ),
      trip.alerts.length > 0
        ? h(
            "ul",
            { class: "alerts" },
            trip.alerts.map((alert) => h("li", {}, `${formatTime(alert.time)} · ${alert.alert}${alert.detail ? `: ${alert.detail}` : ""}`)),
          )
        : null,
      trip.track && trip.track.length > 0 ? trackRoute(trip) : h("p", { class: "muted" }, "No e-seal readings of this trip are available here."),
    ),
  );
}

/** The outcome of the last action, kept above the panel once the lot is read again. */
const outcome = (notice) => (notice ? h("p", { class: "outcome", role: "status" }, notice.text) : null);

async function show(notice) {
  if (!id) return showError(container, new Error("no lot id in the address (lot.html?id=…)"));
  document.title = `${id} · TraceGate audit`;
  try {
    const { lot, viewer, errors } = await gql(LOT, { id });
    // The viewer always answers: a lot the caller may not see comes back null with its error (outside
    // customs, also one that does not exist); customs gets null alone for a lot that does not exist.
    if (lot === null && errors.length === 0) throw new Error(`No lot ${id} exists.`);
    if (lot === null) throw new Error(`You may not see lot ${id}, or it does not exist (${new ApiError(errors).message}).`);
    const shown = outcome(notice);
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
        timeline(
          lot.history.edges.map((edge) => edge.node),
          lot.id,
          lot.trips,
        ),
        h("h2", {}, "Documents"),
        documents(lot.documents),
      ].filter((child) => child !== null && child !== undefined),
    );
    // On a screen narrower than the graph, start with the lot itself in view.
    const graph = container.querySelector("div.graph[data-focus-x]");
    if (graph instanceof HTMLElement) graph.scrollLeft = Number(graph.dataset.focusX) - graph.clientWidth / 2;
  } catch (error) {
    showError(container, error);
  }
}
void show();
