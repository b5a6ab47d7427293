/**
 * The EPCIS 2.0 query bindings over real HTTP, on the API's seeded scenario (test/api/scenario.ts:
 * domain → EVM contracts → indexer → store), as every kind of caller, on either engine
 * (query-*.test.ts). Expected answers are worked out from the scenario's own steps.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustodyEvent } from "../../domain/index.js";
import { visibleOnly, type VisibilityShape } from "../../api/read/event-log.js";
import { loadFacilities } from "../../api/auth/request-caller.js";
import { Viewer } from "../../api/auth/viewer.js";
import { migrations } from "../../indexer/store/migrations.js";
import { EPCIS_TABLE, eventHash } from "../../sdk/epcis/index.js";
import { at, iso } from "../api/scenario.js";
import { startScenarioApi, type Caller, type ScenarioApi } from "../api/scenario-api.js";
import type { Engine } from "../api/scenario-store.js";

type Json = Record<string, any>;

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

export function describeEpcisQuery(engine: Engine): void {
  let api: ScenarioApi;
  beforeAll(async () => {
    api = await startScenarioApi({}, engine);
  });
  afterAll(() => api?.close());

  async function get(caller: Caller | null | { token: string }, path: string, method = "GET"): Promise<Answer> {
    const token = caller === null ? undefined : typeof caller === "string" ? api.tokens[caller] : caller.token;
    const response = await fetch(`${api.server.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === "" ? {} : JSON.parse(text) };
  }

  /** One page of GET /epcis/events: its events and the next page's path. */
  async function page(caller: Caller, path: string): Promise<{ events: Json[]; next: string | null; answer: Answer }> {
    const answer = await get(caller, path);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const link = answer.headers.get("link");
    const next = link === null ? null : /^<([^>]+)>; rel="next"$/.exec(link)![1]!;
    return { events: answer.body.epcisBody.queryResults.resultsBody.eventList, next, answer };
  }

  /** Every event of a query, following the Link header page after page. */
  async function all(caller: Caller, query = "", perPage = 1000): Promise<Json[]> {
    const events: Json[] = [];
    let path: string | null = `/epcis/events?perPage=${perPage}${query ? `&${query}` : ""}`;
    for (let pages = 0; path !== null; pages++) {
      expect(pages).toBeLessThan(200);
      const result = await page(caller, path);
      events.push(...result.events);
      path = result.next;
    }
    return events;
  }

  const custodySteps = () => api.scenario.steps.flatMap(({ event }) => (event.type === "custody" ? [event] : []));
  /** An event's place in the scenario: its bizStep and its time in UTC (each custody step has its own minute). */
  const keyOf = (event: Json) => `${event.bizStep}@${new Date(event.eventTime).toISOString()}`;
  const stepKey = (event: CustodyEvent) => `${EPCIS_TABLE[event.action].bizStep}@${iso(event.time)}`;
  const expected = (keep: (event: CustodyEvent) => boolean) => custodySteps().filter(keep).map(stepKey);
  const lotsOf = (event: Json): string[] =>
    [...(event.quantityList ?? []), ...(event.inputQuantityList ?? []), ...(event.outputQuantityList ?? [])].map((element: Json) => element.epcClass);
  const problem = async (path: string, caller: Caller = "auditor") => {
    const answer = await get(caller, path);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: "epcisException:QueryParameterException", status: 400 });
    return answer.body.detail as string;
  };

  describe("GET /epcis/events", () => {
    it("pages through every custody event exactly once, in ledger order, with a Link to each next page", async () => {
      const pages: Json[][] = [];
      let path: string | null = "/epcis/events?perPage=7";
      while (path !== null) {
        const result = await page("auditor", path);
        if (result.next !== null) expect(result.answer.headers.get("gs1-next-page-token-expires")).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        pages.push(result.events);
        path = result.next;
      }
      const events = pages.flat();
      expect(pages.slice(0, -1).every((events) => events.length === 7)).toBe(true);
      expect(events.map(keyOf)).toEqual(custodySteps().map(stepKey));
      expect(new Set(events.map((event) => event.eventID)).size).toBe(events.length);
      const [first] = pages;
      expect(first![0]).toMatchObject({ type: "ObjectEvent", bizStep: "tg:declaring", recordTime: iso(at(0, 8, 3)) });
    });

    it("answers an EPCISQueryDocument, 30 events by default", async () => {
      const { answer, events } = await page("auditor", "/epcis/events");
      expect(answer.headers.get("content-type")).toBe("application/ld+json");
      expect(answer.headers.get("gs1-epcis-version")).toBe("2.0.0");
      expect(answer.body).toMatchObject({ type: "EPCISQueryDocument", schemaVersion: "2.0", epcisBody: { queryResults: { queryName: "SimpleEventQuery" } } });
      expect(answer.body["@context"][0]).toBe("https://ref.gs1.org/standards/epcis/epcis-context.jsonld");
      expect(events.length).toBe(Math.min(30, custodySteps().length));
    });

    it("filters by eventType", async () => {
      expect((await all("auditor", "eventType=TransformationEvent")).map(keyOf)).toEqual(
        expected((event) => event.action === "transform" || event.action === "split"),
      );
      expect((await all("auditor", "eventType=ObjectEvent,TransformationEvent")).length).toBe(custodySteps().length);
      expect(await all("auditor", "eventType=AggregationEvent")).toEqual([]);
      expect(await problem("/epcis/events?eventType=ObjectEvents")).toContain("eventType");
    });

    it("filters by bizStep, in every form the bindings allow, several values meaning any of them", async () => {
      const arrivals = expected((event) => event.action === "arrive");
      expect(arrivals.length).toBe(4);
      for (const value of ["arriving", "urn:epcglobal:cbv:bizstep:arriving", "https://ref.gs1.org/cbv/BizStep-arriving"]) {
        expect((await all("auditor", `EQ_bizStep=${encodeURIComponent(value)}`)).map(keyOf)).toEqual(arrivals);
      }
      expect((await all("auditor", "EQ_bizStep=arriving,storing")).map(keyOf)).toEqual(
        expected((event) => event.action === "arrive" || event.action === "store"),
      );
      expect((await all("auditor", "EQ_bizStep=tg:clearing")).map(keyOf)).toEqual(expected((event) => event.action === "clear"));
      expect((await all("auditor", `EQ_bizStep=${encodeURIComponent("https://tracegate.dev/epcis/clearing")}`)).length).toBe(3);
      expect(await all("auditor", "EQ_bizStep=shipping")).toEqual([]);
      const detail = await problem("/epcis/events?EQ_bizStep=flying");
      expect(detail).toContain("EQ_bizStep");
      expect(detail).toContain("tg:declaring");
    });

    it("filters by event time and record time (both the ledger's), in any offset", async () => {
      const day1 = expected((event) => event.time >= at(1, 0) && event.time < at(2, 0));
      expect(day1.length).toBeGreaterThan(0);
      const from = encodeURIComponent("2027-01-16T07:00:00+07:00"); // at(1, 0)
      expect((await all("auditor", `GE_eventTime=${from}&LT_eventTime=${iso(at(2, 0))}`)).map(keyOf)).toEqual(day1);
      expect((await all("auditor", `GE_recordTime=${from}&LT_recordTime=${iso(at(2, 0))}`)).map(keyOf)).toEqual(day1);
      // A bound inside a second: the event at 10:00:00 is before 10:00:00.5 and not at or after it.
      expect((await all("auditor", `GE_eventTime=${encodeURIComponent("2027-01-15T10:00:00.500Z")}&LT_eventTime=2027-01-15T10:30:01Z`)).map(keyOf)).toEqual(
        expected((event) => event.time > at(0, 10) && event.time <= at(0, 10, 30)),
      );
      expect(await problem("/epcis/events?GE_eventTime=yesterday")).toContain("GE_eventTime");
      expect(await problem("/epcis/events?GE_eventTime=2027-01-15T10:00:00")).toContain("offset");
    });

    it("filters by disposition", async () => {
      expect((await all("auditor", "EQ_disposition=tg:held")).map(keyOf)).toEqual(expected((event) => event.action === "hold"));
      expect((await all("auditor", `EQ_disposition=${encodeURIComponent("urn:epcglobal:cbv:disp:destroyed")}`)).map(keyOf)).toEqual(
        expected((event) => event.action === "destroy"),
      );
      expect(await all("auditor", "EQ_disposition=recalled")).toEqual([]);
      expect(await problem("/epcis/events?EQ_disposition=lost")).toContain("EQ_disposition");
    });

    it("filters by business location and read point", async () => {
      const atGate = expected((event) => event.facility === "GATE-1");
      expect(atGate.length).toBeGreaterThan(0);
      expect((await all("auditor", "EQ_bizLocation=urn:tracegate:facility:GATE-1")).map(keyOf)).toEqual(atGate);
      expect((await all("auditor", "EQ_readPoint=urn:tracegate:facility:WH-1")).map(keyOf)).toEqual(expected((event) => event.facility === "WH-1"));
      expect((await all("auditor", "EQ_bizLocation=urn:tracegate:facility:GATE-1,urn:tracegate:facility:GATE-2")).map(keyOf)).toEqual(
        expected((event) => event.facility.startsWith("GATE-")),
      );
      expect(await all("auditor", "EQ_bizLocation=urn:tracegate:facility:GATE-1&EQ_readPoint=urn:tracegate:facility:WH-1")).toEqual([]);
      expect(await problem("/epcis/events?EQ_bizLocation=GATE-1")).toContain("urn:tracegate:facility:");
      expect(await problem(`/epcis/events?EQ_readPoint=${encodeURIComponent("https://id.gs1.org/414/4012345000009")}`)).toContain("EQ_readPoint");
    });

    it("matches lots in the lists each MATCH_ parameter names", async () => {
      const t1a = "urn:tracegate:lot:LOT-T1A";
      const hasLot = (event: CustodyEvent) => event.transitions.some(({ lot }) => lot.id === "LOT-T1A");
      const objectEvents = expected((event) => hasLot(event) && EPCIS_TABLE[event.action].eventType === "ObjectEvent");
      expect(objectEvents.length).toBe(3); // clear, release, receive
      expect((await all("auditor", `MATCH_epcClass=${t1a}`)).map(keyOf)).toEqual(objectEvents);
      expect((await all("auditor", `MATCH_outputEPCClass=${t1a}`)).map(keyOf)).toEqual(expected((event) => event.action === "split"));
      expect((await all("auditor", `MATCH_inputEPCClass=${t1a}`)).map(keyOf)).toEqual(
        expected((event) => event.action === "transform" && event.consumed.some((part) => part.lot === "LOT-T1A")),
      );
      expect((await all("auditor", `MATCH_anyEPCClass=${t1a}`)).map(keyOf)).toEqual(expected(hasLot));
      expect((await all("auditor", `MATCH_anyEPCClass=${t1a}&EQ_bizStep=receiving`)).length).toBe(1);
      expect(await problem("/epcis/events?MATCH_epcClass=LOT-T1A")).toContain("urn:tracegate:lot:<id>");
    });

    it("finds events by eventID", async () => {
      const events = await all("auditor");
      const [a, b] = [events[3]!, events[9]!];
      expect((await all("auditor", `EQ_eventID=${encodeURIComponent(`${a.eventID},${b.eventID}`)}`)).map(keyOf)).toEqual([keyOf(a), keyOf(b)]);
      expect(await all("auditor", `EQ_eventID=${encodeURIComponent("urn:uuid:00000000-0000-0000-0000-000000000000")}`)).toEqual([]);
    });

    it("refuses an unknown parameter or a bad page size, naming it and what is accepted", async () => {
      const detail = await problem("/epcis/events?EQ_colour=red");
      expect(detail).toContain("EQ_colour");
      expect(detail).toContain("EQ_bizStep");
      expect(await problem("/epcis/events?perPage=0")).toContain("perPage");
      expect(await problem("/epcis/events?perPage=ten")).toContain("perPage");
      expect(await problem("/epcis/events?perPage=5&perPage=6")).toContain("more than once");
      // Over the maximum a page is the maximum: here every event.
      expect((await page("auditor", "/epcis/events?perPage=5000")).events.length).toBe(custodySteps().length);
    });

    it("refuses a nextPageToken that was altered, or made for another query or caller", async () => {
      const { next } = await page("auditor", "/epcis/events?perPage=2&EQ_bizStep=arriving,storing");
      const token = new URL(next!, "http://x").searchParams.get("nextPageToken")!;
      expect((await get("auditor", next!)).status).toBe(200);
      const flipped = [...token].map((char, i) => (i === 0 ? (char === "1" ? "2" : "1") : char)).join("");
      for (const altered of [flipped, `${token}x`, token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"), "garbage"]) {
        expect(await problem(`/epcis/events?perPage=2&EQ_bizStep=arriving,storing&nextPageToken=${encodeURIComponent(altered)}`)).toContain("nextPageToken");
      }
      expect(await problem(`/epcis/events?perPage=2&EQ_bizStep=arriving&nextPageToken=${encodeURIComponent(token)}`)).toContain("another query");
      expect(await problem(`/epcis/events?perPage=2&EQ_bizStep=arriving,storing&nextPageToken=${encodeURIComponent(token)}`, "otherEnterprise")).toContain(
        "another query or caller",
      );
      // The page size may change between pages.
      expect((await get("auditor", `/epcis/events?perPage=50&EQ_bizStep=arriving,storing&nextPageToken=${encodeURIComponent(token)}`)).status).toBe(200);
    });

    it("needs the API's bearer token", async () => {
      for (const caller of [null, { token: "not-a-token" }]) {
        const answer = await get(caller, "/epcis/events");
        expect(answer.status).toBe(401);
        expect(answer.headers.get("www-authenticate")).toBe("Bearer");
        expect(answer.body.type).toBe("epcisException:SecurityException");
      }
    });
  });

  describe("visibility", () => {
    it("shows an enterprise only the events of its own lots, cut down to them, in the list and by id", async () => {
      const own = await all("otherEnterprise");
      expect(own.map(keyOf)).toEqual(expected((event) => event.transitions.some(({ lot }) => lot.id === "LOT-X1")));
      for (const event of own) expect(lotsOf(event)).toEqual(["urn:tracegate:lot:LOT-X1"]);
      expect(await all("otherEnterprise", "MATCH_anyEPCClass=urn:tracegate:lot:LOT-F1")).toEqual([]);
      const hidden = (await all("auditor", "MATCH_anyEPCClass=urn:tracegate:lot:LOT-F1"))[0]!;
      const byId = await get("otherEnterprise", `/epcis/events/${encodeURIComponent(hidden.eventID)}`);
      expect(byId.status).toBe(404);
      expect(byId.body.type).toBe("epcisException:NoSuchResourceException");
      const missing = await get("otherEnterprise", `/epcis/events/${encodeURIComponent(`ni:///sha-256;${"0".repeat(64)}?ver=CBV2.0`)}`);
      expect(missing).toMatchObject({ status: 404, body: { detail: byId.body.detail.replace(hidden.eventID, `ni:///sha-256;${"0".repeat(64)}?ver=CBV2.0`) } });
      expect((await get("otherEnterprise", `/epcis/events/${encodeURIComponent(own[0]!.eventID)}`)).body).toMatchObject({
        eventID: own[0]!.eventID,
        bizStep: "tg:declaring",
      });
      expect(await all("issuer")).toEqual([]);
    });

    it("narrows events in SQL the same way whether it lists a viewer's lots' events or probes each event", async () => {
      const db = api.store.db;
      for (const [org, kind, role] of [
        ["ENT-1", "ENTERPRISE", "OPERATOR"],
        ["ENT-2", "ENTERPRISE", "OPERATOR"],
        ["TERMINAL", "WAREHOUSE", "OPERATOR"],
        ["VCCI", "ISSUER", "SIGNER"],
      ] as const) {
        const viewer = new Viewer(org, kind, role, "test", 0);
        await loadFacilities(db, viewer);
        const ids = async (shape: VisibilityShape) =>
          (await visibleOnly(db.selectFrom("events").select("id"), viewer, shape).orderBy("id").execute()).map((row) => row.id);
        const listed = await ids("lots");
        expect(await ids("probe")).toEqual(listed);
        if (kind === "ISSUER") expect(await ids("own")).toEqual(listed);
        // The rule itself: the viewer's own events, and those with a lot it may see now.
        const lots = await db.selectFrom("lots").select(["id", "owner", "custodian", "seal", "destination"]).execute();
        const visible = new Set(lots.filter((lot) => viewer.canSeeLot(lot)).map((lot) => lot.id));
        const transitions = await db.selectFrom("lot_transitions").select(["event_id", "lot"]).execute();
        const actors = await db.selectFrom("events").select(["id", "actor"]).orderBy("id").execute();
        expect(listed).toEqual(
          actors.filter((row) => row.actor === org || transitions.some((t) => t.event_id === row.id && visible.has(t.lot))).map((row) => row.id),
        );
      }
    });

    it("gives an event the same eventID whoever asks, however much of it they are shown", async () => {
      const split = (await all("auditor", "EQ_bizStep=tg:splitting"))[0]!;
      expect(lotsOf(split).sort()).toEqual(["urn:tracegate:lot:LOT-T1", "urn:tracegate:lot:LOT-T1A", "urn:tracegate:lot:LOT-T1B"]);
      // The warehouse performed the split and holds the parent and LOT-T1B, not LOT-T1A (released to
      // ENT-1's factory); ENT-1 owns all three lots.
      const warehouse = (await all("warehouse", "EQ_bizStep=tg:splitting"))[0]!;
      expect(lotsOf(warehouse)).toEqual(["urn:tracegate:lot:LOT-T1", "urn:tracegate:lot:LOT-T1B"]);
      expect(warehouse.eventID).toBe(split.eventID);
      expect((await all("enterprise", "EQ_bizStep=tg:splitting"))[0]!.eventID).toBe(split.eventID);
      const byId = await get("warehouse", `/epcis/events/${encodeURIComponent(split.eventID)}`);
      expect(byId.body).toMatchObject({ eventID: split.eventID, outputQuantityList: [{ epcClass: "urn:tracegate:lot:LOT-T1B" }] });
      // The id is the CBV 2.0 hash of the whole event, as customs is shown it.
      const { eventID, ...content } = split;
      expect(eventHash(content)).toBe(eventID);
      // GraphQL's epcisEvents gives the same ids.
      for (const caller of ["auditor", "warehouse"] as const) {
        const { data } = await api.query(caller, `{ epcisEvents(filter: { kinds: ["split"] }, first: 5) { edges { node { json } } } }`);
        expect(data!.epcisEvents.edges.map((edge: Json) => edge.node.json.eventID)).toEqual([split.eventID]);
      }
    });
  });

  describe("GET /epcis/events/{eventID}", () => {
    it("answers the event with its context", async () => {
      const [event] = await all("auditor", "EQ_bizStep=destroying");
      const answer = await get("auditor", `/epcis/events/${encodeURIComponent(event!.eventID)}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ "@context": expect.any(Array), ...event });
      expect((await get("auditor", "/epcis/events/%E0%A4%A")).status).toBe(400);
    });

    it("finds a captured event under the eventID its client sent, and no longer under its hash", async () => {
      const [hold] = await all("auditor", "EQ_bizStep=holding");
      const { tx_hash } = await api.store.db.selectFrom("events").select("tx_hash").where("epcis_hash", "=", hold!.eventID).executeTakeFirstOrThrow();
      const clientId = "urn:uuid:6d1c4b7e-0f52-4c7a-9a5b-2f0e8c1d3a90";
      await api.store.db
        .insertInto("captured_events")
        .values({
          job: "JOB-1",
          position: 0n,
          org: "CUSTOMS",
          event_id: clientId,
          action: null,
          status: "accepted",
          part: 0n,
          code: null,
          reason: null,
          tx_hash,
          ordinal: 0n,
        })
        .execute();
      try {
        const answer = await get("auditor", `/epcis/events/${encodeURIComponent(clientId)}`);
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ eventID: clientId, bizStep: "holding", eventTime: hold!.eventTime });
        expect((await get("auditor", `/epcis/events/${encodeURIComponent(hold!.eventID)}`)).status).toBe(404);
        expect((await all("auditor", "EQ_bizStep=holding")).map((event) => event.eventID)).toEqual([clientId]);
        expect((await all("auditor", `EQ_eventID=${encodeURIComponent(clientId)}`)).map(keyOf)).toEqual([keyOf(hold!)]);
        // ENT-1 owns the held lot; ENT-2 may not see it, under either id.
        expect((await get("enterprise", `/epcis/events/${encodeURIComponent(clientId)}`)).body.eventID).toBe(clientId);
        expect((await get("otherEnterprise", `/epcis/events/${encodeURIComponent(clientId)}`)).status).toBe(404);
        const { data } = await api.query("auditor", `{ epcisEvents(filter: { kinds: ["hold"] }, first: 5) { edges { node { json } } } }`);
        expect(data!.epcisEvents.edges.map((edge: Json) => edge.node.json.eventID)).toEqual([clientId]);
      } finally {
        await api.store.db.deleteFrom("captured_events").where("job", "=", "JOB-1").execute();
      }
    });
  });

  describe("discovery", () => {
    it("describes /epcis and /epcis/events with OPTIONS, and lists the top-level resources", async () => {
      for (const path of ["/epcis", "/epcis/events"]) {
        const answer = await get("auditor", path, "OPTIONS");
        expect(answer.status).toBe(204);
        expect(answer.headers.get("allow")).toContain("GET");
        for (const header of ["gs1-epcis-version", "gs1-epcis-min", "gs1-epcis-max", "gs1-cbv-version", "gs1-cbv-min", "gs1-cbv-max"])
          expect(answer.headers.get(header)).toBe("2.0.0");
      }
      expect((await get("auditor", "/epcis")).body).toEqual(["events", "eventTypes", "bizSteps", "dispositions", "bizLocations", "readPoints"]);
      expect((await get(null, "/epcis", "OPTIONS")).status).toBe(401);
    });

    it("lists event types, bizSteps, dispositions, locations and read points of the events the caller may see", async () => {
      const members = async (caller: Caller, list: string) => {
        const answer = await get(caller, `/epcis/${list}`);
        expect(answer.body.type).toBe("Collection");
        return answer.body.member;
      };
      expect(await members("auditor", "eventTypes")).toEqual(["ObjectEvent", "TransformationEvent"]);
      // The bizStep of every action the scenario takes: only kinds some event has are listed.
      expect(await members("auditor", "bizSteps")).toEqual([...new Set(custodySteps().map((event) => EPCIS_TABLE[event.action].bizStep))].sort());
      expect(await members("otherEnterprise", "eventTypes")).toEqual(["ObjectEvent"]);
      expect(await members("otherEnterprise", "bizSteps")).toEqual(["arriving", "storing", "tg:declaring"]);
      expect(await members("otherEnterprise", "dispositions")).toEqual(["tg:awaiting_clearance", "tg:bonded", "tg:declared"]);
      expect(await members("otherEnterprise", "bizLocations")).toEqual(["urn:tracegate:facility:GATE-1", "urn:tracegate:facility:WH-1"]);
      expect(await members("otherEnterprise", "readPoints")).toEqual(["urn:tracegate:facility:GATE-1", "urn:tracegate:facility:WH-1"]);
      expect(await members("auditor", "bizLocations")).toEqual([
        "urn:tracegate:facility:FACTORY-ENT-1",
        "urn:tracegate:facility:GATE-1",
        "urn:tracegate:facility:GATE-2",
        "urn:tracegate:facility:WH-1",
      ]);
      expect(await members("issuer", "bizSteps")).toEqual([]);
      expect(await members("auditor", "dispositions")).toContain("tg:held");
    });
  });

  describe("migrations 0006 and 0009", () => {
    it("fill the hash and its key of every custody event a store held before them, as the indexer computes them", async () => {
      const db = api.store.db as unknown as Kysely<any>;
      const indexed = await db.selectFrom("events").select(["id", "epcis_hash", "epcis_key"]).orderBy("id").execute();
      expect(indexed.filter((row) => row.epcis_hash !== null && row.epcis_key !== null).length).toBe(custodySteps().length);
      // The events as migration 0005 left them: no hash columns, no indexes on them; then 0006 and 0009 alone.
      for (const index of ["events_epcis_key", "events_facility"]) await db.schema.dropIndex(index).execute();
      for (const column of ["epcis_hash", "epcis_key"]) await db.schema.alterTable("events").dropColumn(column).execute();
      const steps = migrations(api.store.engine);
      for (const name of ["0006_epcis_event_ids", "0009_compact_event_indexes"]) await steps[name]!.up(db);
      expect(await db.selectFrom("events").select(["id", "epcis_hash", "epcis_key"]).orderBy("id").execute()).toEqual(indexed);
    });
  });
}
