/**
 * A request's objects die young. Nothing the API keeps between requests (a module's WeakMap, a cache)
 * may hold a finished request's context in a cycle that V8's young-generation collector cannot break:
 * every request would then be promoted to the old generation, and each scavenge would copy the last
 * few dozen requests' rows and results (pauses of 6-8 ms: the slowest percent of requests, issue #18).
 * Measured by V8's own GC statistics: what scavenges move into the old generation, per request.
 */
import { Agent, request } from "node:http";
import { GCProfiler } from "node:v8";
import { CSRF_HEADER } from "../../api/yoga.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";

let api: ScenarioApi;
beforeAll(async () => {
  api = await startScenarioApi();
});
afterAll(() => api?.close());

const HISTORY = `query ($id: String!) { lot(id: $id) { id state history(first: 50) { edges { node { kind time actor documents { id status verdict { verdict } } } } } } }`;
const VERIFY = `query ($hash: String!) { verifyDocument(hash: $hash) { verdict checks { name outcome } anchor { id kind issuer status subjects } } }`;

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
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  // The GraphQL endpoint, the EPCIS query interface and the verdict route, in turn.
  const ask = async (index: number) => {
    const lot = lots[index % lots.length]!.id;
    const hash = documents[index % documents.length]!.hash;
    const [status, answer] = await [
      () => send(agent, "POST", "/graphql", JSON.stringify({ query: HISTORY, variables: { id: lot } })),
      () => send(agent, "POST", "/graphql", JSON.stringify({ query: VERIFY, variables: { hash } })),
      () => send(agent, "GET", `/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(`urn:tracegate:lot:${lot}`)}`),
      () => send(agent, "GET", `/verdicts/${hash}`),
    ][index % 4]!();
    if (status !== 200 || answer.includes('"errors"')) throw new Error(`${status}: ${answer}`);
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

/** node:http rather than fetch: fetch's own objects outlive its responses and would be counted too. */
function send(agent: Agent, method: "GET" | "POST", path: string, body?: string): Promise<[number, string]> {
  const length = body === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) };
  const headers = { authorization: `Bearer ${api.tokens.auditor}`, [CSRF_HEADER]: "1", ...length };
  return new Promise((resolve, reject) => {
    const sent = request(`${api.server.url}${path}`, { method, agent, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve([response.statusCode ?? 0, text]));
      response.on("error", reject);
    });
    sent.on("error", reject);
    sent.end(body);
  });
}
