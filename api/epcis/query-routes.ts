/**
 * The EPCIS 2.0 query bindings: GET /epcis/events (SimpleEventQuery parameters, keyset pages with a
 * sealed nextPageToken and a Link header), GET /epcis/events/{eventID}, the discovery OPTIONS and GET
 * /epcis, and the resource lists (eventTypes, bizSteps, dispositions, bizLocations, readPoints). Every
 * answer comes from the index, through the same visibility as GraphQL: events are read through the
 * caller's loaders (cut down by Visibility.shownEvents) and mapped by epcisEntries, as epcisEvents is.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { CUSTODY_ACTIONS, type CustodyActionType, type LotState } from "../../domain/index.js";
import { INDEX_EPCIS_DIRECTORY } from "../../indexer/store/index.js";
import { DISPOSITIONS, EPCIS_CONTEXT_URL, EPCIS_TABLE, tracegateContext } from "../../sdk/epcis/index.js";
import { facilityId } from "../../sdk/epcis/identifiers.js";
import { findEpcisCandidates } from "../read/epcis-events.js";
import { eventsWithEpcisIds } from "../read/epcis-ids.js";
import { visibleFacilities, visibleKinds, visibleStates } from "../read/epcis-vocabulary.js";
import { epcisEntries, type EpcisEntry } from "./events.js";
import { EPCIS_PATH, EPCIS_VERSION_HEADERS, EpcisProblem, sendJson, sendProblem } from "./http.js";
import { openPageToken, sealPageToken, type PageScope } from "./page-token.js";
import { matches, parseQuery, type EpcisFilter } from "./query-parameters.js";
import type { EpcisCaller, EpcisRoutes } from "./routes.js";

const EVENTS_PATH = `${EPCIS_PATH}/events`;
const JSON_LD = "application/ld+json";

/** A page reads at most this many candidates per event asked for: a filter SQL cannot decide never scans the whole index. */
const SCAN_FACTOR = 4;

/** The discovery headers of the bindings (OPTIONS). */
const DISCOVERY_HEADERS = {
  "GS1-EPCIS-Min": "2.0.0",
  "GS1-EPCIS-Max": "2.0.0",
  "GS1-CBV-Min": "2.0.0",
  "GS1-CBV-Max": "2.0.0",
  "GS1-EPC-Format": "Never_Translates",
  "GS1-Vendor-Version": "TraceGate",
  "GS1-Extensions": "tg=https://tracegate.dev/epcis/",
};

/** The resource lists this server serves, each from the events the caller may see. */
const LISTS: Record<string, (caller: EpcisCaller, routes: EpcisRoutes) => Promise<string[]>> = {
  eventTypes: async (caller, routes) => {
    const kinds = (await visibleKinds(routes.db, caller.viewer)) as CustodyActionType[];
    return [...new Set(kinds.map((kind) => EPCIS_TABLE[kind].eventType))].sort();
  },
  bizSteps: async (caller, routes) => ((await visibleKinds(routes.db, caller.viewer)) as CustodyActionType[]).map((kind) => EPCIS_TABLE[kind].bizStep).sort(),
  dispositions: async (caller, routes) =>
    [...new Set((await visibleStates(routes.db, caller.viewer)).flatMap((state) => DISPOSITIONS[state as LotState] ?? []))].sort(),
  bizLocations: async (caller, routes) => (await visibleFacilities(routes.db, caller.viewer)).map((id) => facilityId(INDEX_EPCIS_DIRECTORY, id)),
  readPoints: async (caller, routes) => (await visibleFacilities(routes.db, caller.viewer)).map((id) => facilityId(INDEX_EPCIS_DIRECTORY, id)),
};

export async function serveEpcisQuery(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  caller: EpcisCaller,
  routes: EpcisRoutes,
): Promise<boolean> {
  const path = url.pathname.replace(/\/$/, "");
  const method = request.method ?? "GET";
  if (path === EPCIS_PATH) return answer(method, response, "OPTIONS, GET", () => sendJson(response, 200, ["events", ...Object.keys(LISTS)]));
  if (path === EVENTS_PATH) {
    // POST (one event captured) is the capture routes'; listed where this server captures.
    return answer(method, response, routes.capture === null ? "OPTIONS, GET" : "OPTIONS, GET, POST", () => serveEvents(response, url, caller, routes));
  }
  if (path.startsWith(`${EVENTS_PATH}/`)) {
    const encoded = path.slice(EVENTS_PATH.length + 1);
    return answer(method, response, "OPTIONS, GET", () => serveEvent(response, eventIdOf(encoded), caller, routes));
  }
  const list = Object.hasOwn(LISTS, path.slice(EPCIS_PATH.length + 1)) ? LISTS[path.slice(EPCIS_PATH.length + 1)] : undefined;
  if (list !== undefined) {
    return answer(method, response, "OPTIONS, GET", async () =>
      sendJson(response, 200, { "@context": EPCIS_CONTEXT_URL, type: "Collection", member: await list(caller, routes) }),
    );
  }
  return false;
}

/** OPTIONS describes the resource; GET is `get`; anything else is not served here (false). */
async function answer(method: string, response: ServerResponse, allow: string, get: () => unknown): Promise<boolean> {
  if (method === "OPTIONS") {
    response.writeHead(204, { ...EPCIS_VERSION_HEADERS, ...DISCOVERY_HEADERS, allow });
    response.end();
    return true;
  }
  if (method !== "GET") return false;
  await get();
  return true;
}

function eventIdOf(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new EpcisProblem("QueryParameterException", "eventID: not a URL-encoded event id (encode it whole: ni:///sha-256;… as ni%3A%2F%2F%2Fsha-256%3B…)");
  }
}

async function serveEvent(response: ServerResponse, eventID: string, caller: EpcisCaller, routes: EpcisRoutes): Promise<void> {
  const [entry] = await entriesWithIds(caller, routes, [eventID]);
  // An event the caller may not see is answered as one that does not exist: existence is not revealed.
  if (entry === undefined) return sendProblem(response, "NoSuchResourceException", `no event with eventID ${eventID} that you may see`);
  sendJson(response, 200, { "@context": [EPCIS_CONTEXT_URL, tracegateContext()], ...entry.json }, {}, JSON_LD);
}

/** The events with exactly these eventIDs that the caller may see, as shown to it. */
async function entriesWithIds(caller: EpcisCaller, routes: EpcisRoutes, eventIDs: readonly string[]): Promise<EpcisEntry[]> {
  const records = (await caller.loaders.events(await eventsWithEpcisIds(routes.db, eventIDs))).filter((record) =>
    (CUSTODY_ACTIONS as readonly string[]).includes(record.kind),
  );
  // A verified caller always has its visibility (request-caller.ts).
  const seen = await Promise.all(records.map((record) => caller.visibility!.canSeeEvent(record)));
  const entries = await epcisEntries(
    routes.db,
    caller.loaders,
    records.filter((_record, index) => seen[index]),
  );
  return entries.filter((entry) => eventIDs.includes(entry.json.eventID as string));
}

async function serveEvents(response: ServerResponse, url: URL, caller: EpcisCaller, routes: EpcisRoutes): Promise<void> {
  const { filter, perPage, nextPageToken } = parseQuery(url.searchParams);
  const scope: PageScope = { caller: `${caller.viewer.org}/${caller.viewer.role}`, query: filter.canonical };
  let after = nextPageToken === null ? -1n : openPageToken(nextPageToken, scope);
  const candidates = {
    kinds: filter.kinds,
    period: filter.period,
    facilities: filter.facilities,
    lotSets: Object.values(filter.lots),
    ids: filter.eventIDs === null ? null : await eventsWithEpcisIds(routes.db, filter.eventIDs),
  };
  const events: Record<string, unknown>[] = [];
  let more = false;
  for (let scanned = 0; events.length < perPage && scanned < perPage * SCAN_FACTOR; ) {
    const ids = await findEpcisCandidates(routes.db, caller.viewer, candidates, after, perPage - events.length + 1);
    const page = ids.slice(0, perPage - events.length);
    more = ids.length > page.length;
    scanned += page.length;
    events.push(...(await shownMatching(caller, routes, page, filter)));
    if (page.length > 0) after = page[page.length - 1]!;
    if (!more) break;
  }
  const headers: Record<string, string> = {};
  if (more) {
    const { token, expires } = sealPageToken(after, scope);
    const next = new URLSearchParams([...url.searchParams].filter(([name]) => name !== "nextPageToken"));
    next.set("nextPageToken", token);
    headers.link = `<${EVENTS_PATH}?${next.toString()}>; rel="next"`;
    headers["GS1-Next-Page-Token-Expires"] = expires.toISOString();
  }
  sendJson(response, 200, queryDocument(events), headers, JSON_LD);
}

/** The candidates as the caller is shown them, and of those the ones that match. */
async function shownMatching(caller: EpcisCaller, routes: EpcisRoutes, ids: readonly bigint[], filter: EpcisFilter): Promise<Record<string, unknown>[]> {
  const entries = await epcisEntries(routes.db, caller.loaders, await caller.loaders.events(ids));
  return entries.map((entry) => entry.json).filter((json) => matches(json, filter));
}

function queryDocument(events: readonly Record<string, unknown>[]): Record<string, unknown> {
  return {
    "@context": [EPCIS_CONTEXT_URL, tracegateContext()],
    type: "EPCISQueryDocument",
    schemaVersion: "2.0",
    creationDate: new Date().toISOString(),
    epcisBody: { queryResults: { queryName: "SimpleEventQuery", resultsBody: { eventList: events } } },
  };
}
