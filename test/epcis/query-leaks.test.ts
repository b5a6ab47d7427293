/**
 * The EPCIS query bindings as every kind of caller, searched for anything of a lot the caller may not
 * see (test/api/forbidden-values.ts works that out from the store, not through the API): every page of
 * GET /epcis/events, unfiltered and with every lot and every event id as a filter, every event by id,
 * and every discovery list. The REST side of test/api/leak-walk.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forbiddenFor, leaksIn, lotRecordsIn, quantitiesIn, type Forbidden } from "../api/forbidden-values.js";
import { CALLERS } from "../api/leak-walk.js";
import { startScenarioApi, type ScenarioApi } from "../api/scenario-api.js";

let api: ScenarioApi;
let lots: string[];
let eventIDs: string[];

beforeAll(async () => {
  api = await startScenarioApi();
  lots = (await api.store.db.selectFrom("lots").select("id").orderBy("id").execute()).map((row) => row.id);
  eventIDs = (await api.store.db.selectFrom("events").select("epcis_hash").where("epcis_hash", "is not", null).orderBy("id").execute()).map(
    (row) => row.epcis_hash!,
  );
}, 120_000);
afterAll(() => api?.close());

describe.each(CALLERS)("$name", (caller) => {
  it("is shown nothing of lots it may not see, by any query, id or list", async () => {
    const forbidden: Forbidden = await forbiddenFor(api.store.db, caller.org, caller.kind, caller.role);
    const token = await api.issuer.mint(caller.org, caller.role);
    const found: string[] = [];
    const ask = async (path: string) => {
      const response = await fetch(`${api.server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      expect([200, 404], `${path}: ${text}`).toContain(response.status);
      const body = JSON.parse(text) as unknown;
      for (const problem of [...leaksIn(text, forbidden), ...quantitiesIn(body, forbidden), ...lotRecordsIn(body, forbidden.visible)])
        found.push(`${path}: ${problem}`);
      return response;
    };
    const queries = [
      "",
      ...lots.map((lot) => `MATCH_anyEPCClass=urn:tracegate:lot:${encodeURIComponent(lot)}`),
      `EQ_eventID=${encodeURIComponent(eventIDs.join(","))}`,
    ];
    for (const query of queries) {
      let path: string | null = `/epcis/events?perPage=7${query ? `&${query}` : ""}`;
      while (path !== null) path = /^<([^>]+)>/.exec((await ask(path)).headers.get("link") ?? "")?.[1] ?? null;
    }
    for (const eventID of eventIDs) await ask(`/epcis/events/${encodeURIComponent(eventID)}`);
    for (const list of ["eventTypes", "bizSteps", "dispositions", "bizLocations", "readPoints"]) await ask(`/epcis/${list}`);
    expect(found).toEqual([]);
  }, 60_000);
});
