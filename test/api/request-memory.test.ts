/**
 * A request's objects die young. Nothing the API keeps between requests (a module's WeakMap, a cache)
 * may hold a finished request's context in a cycle that V8's young-generation collector cannot break:
 * every request would then be promoted to the old generation, and each scavenge would copy the last
 * few dozen requests' rows and results (pauses of 6-8 ms: the slowest percent of requests, issue #18).
 * Measured by V8's own GC statistics: what scavenges move into the old generation, per request.
 */
import { Agent } from "node:http";
import { GCProfiler } from "node:v8";
import { CSRF_HEADER } from "../../api/yoga.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { send } from "../../scripts/bench/api-probe.js";
import { VERIFY } from "../../scripts/bench/api.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";

let api: ScenarioApi;
beforeAll(async () => {
  api = await startScenarioApi();
});
afterAll(() => api?.close());

// The bench's history asks for its documents' status; this one for their verdicts too, which read their issuers.
const HISTORY = `query ($id: String!) { lot(id: $id) { id state history(first: 50) { edges { node { kind time actor documents { id status verdict { verdict } } } } } } }`;

/** Bytes that scavenges moved into the old generation while `work` ran, and how many scavenges there were. */
async function promotedDuring(work: () => Promise<void>): Promise<{ bytes: number; scavenges: number }> {
  const profiler = new GCProfiler();
  profiler.start();
  await work();
  const { statistics } = profiler.stop();
  const oldSpace = (side: (typeof statistics)[number]["beforeGC"]) => side.heapSpaceStatistics.find((space) => space.spaceName === "old_space")!.spaceUsedSize;
  const scavenges = statistics.filter((gc) => gc.gcType === "Scavenge");
  return { bytes: scavenges.reduce((sum, gc) => sum + Math.max(0, oldSpace(gc.afterGC) - oldSpace(gc.beforeGC)), 0), scavenges: scavenges.length };
}

it("promotes almost nothing of a finished request to the old generation, on every route", async () => {
  const documents = await api.store.db.selectFrom("documents").select("hash").execute();
  const lots = await api.store.db.selectFrom("lots").select("id").execute();
  // node:http rather than fetch: fetch's own objects outlive its responses and would be counted too.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { authorization: `Bearer ${api.tokens.auditor}`, [CSRF_HEADER]: "1", "content-type": "application/json" };
  const get = (path: string) => send(agent, "GET", `${api.server.url}${path}`, headers);
  const post = (query: string, variables: Record<string, unknown>) =>
    send(agent, "POST", `${api.server.url}/graphql`, headers, JSON.stringify({ query, variables }));
  // The GraphQL endpoint, the EPCIS query interface and the verdict route, in turn.
  const ask = async (index: number) => {
    const lot = lots[index % lots.length]!.id;
    const hash = documents[index % documents.length]!.hash;
    const { status, body } = await [
      () => post(HISTORY, { id: lot }),
      () => post(VERIFY, { hash }),
      () => get(`/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(`urn:tracegate:lot:${lot}`)}`),
      () => get(`/verdicts/${hash}`),
    ][index % 4]!();
    if (status !== 200 || body.includes('"errors"')) throw new Error(`${status}: ${body}`);
  };
  for (let index = 0; index < 100; index++) await ask(index);
  const requests = 1_500;
  const { bytes, scavenges } = await promotedDuring(async () => {
    for (let index = 0; index < requests; index++) await ask(index);
  });
  agent.destroy();
  // Enough scavenges for a retained context to show: each would carry the requests since the last one.
  expect(scavenges).toBeGreaterThanOrEqual(5);
  expect(bytes / requests).toBeLessThan(2_000);
});
