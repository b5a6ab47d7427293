/**
 * The node's disk full under a write: EPCIS capture answers 503 ServiceUnavailableException and a
 * GraphQL resolver's failure STORAGE_FULL (503), both saying to send the same event again once space
 * is freed; the operator's log has the error itself. Made real by capping the store file's pages, so
 * SQLite answers SQLITE_FULL as on a full filesystem, and filling them with capture jobs whose events
 * are refused (the ledger is never reached).
 */
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { API_AUDIENCE, DEV_TOKEN_ISSUER } from "../../api/auth/dev-tokens.js";
import { CaptureJobs } from "../../api/capture/jobs.js";
import { maskError } from "../../api/hardening.js";
import { startApiServer, type ApiServer } from "../../api/server.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";

let api: ScenarioApi;
let server: ApiServer;
let capture: CaptureJobs;
const logged: unknown[] = [];

beforeAll(async () => {
  api = await startScenarioApi();
  capture = await CaptureJobs.open({
    db: api.store.db,
    // Never reached: every event captured here is refused before the ledger.
    ledger: new Proxy({}, { get: () => () => Promise.reject(new Error("the ledger was reached")) }) as never,
    signers: [{ org: "ENT-1", role: "OPERATOR" }],
    logError: (error) => logged.push(error),
  });
  server = await startApiServer({
    store: api.store,
    tokens: { keys: api.issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE },
    capture,
    logError: (error) => logged.push(error),
  });
  const { rows } = await sql<{ page_count: bigint }>`PRAGMA page_count`.execute(api.store.db);
  await sql.raw(`PRAGMA max_page_count = ${Number(rows[0]!.page_count) + 8}`).execute(api.store.db);
}, 120_000);
afterAll(async () => {
  await sql`PRAGMA max_page_count = 4294967294`.execute(api.store.db);
  await server?.close();
  await capture?.close();
  await api?.close();
});

/** A capture document of `count` events the ledger's mapping refuses (no such business step). */
const refusedDocument = (count: number) => ({
  type: "EPCISDocument",
  schemaVersion: "2.0",
  creationDate: "2027-01-15T08:00:00Z",
  epcisBody: {
    eventList: Array.from({ length: count }, (_, i) => ({ type: "ObjectEvent", eventID: `urn:uuid:full-${i}-${Math.random()}`, bizStep: "dancing" })),
  },
});

it("answers an EPCIS capture once the disk is full with 503 and what to do, until then 202", async () => {
  let answer: Response | undefined;
  for (let attempt = 0; attempt < 50; attempt++) {
    answer = await fetch(`${server.url}/epcis/capture`, {
      method: "POST",
      headers: { "content-type": "application/ld+json", authorization: `Bearer ${api.tokens.enterprise}` },
      body: JSON.stringify(refusedDocument(500)),
    });
    if (answer.status !== 202) break;
  }
  expect(answer!.status).toBe(503);
  expect(answer!.headers.get("retry-after")).toBe("60");
  const problem = (await answer!.json()) as { type: string; detail: string };
  expect(problem.type).toBe("epcisException:ServiceUnavailableException");
  expect(problem.detail).toMatch(/its disk is full\. Send it again, with the same event id/);
  expect(logged.map(String)).toContainEqual(expect.stringMatching(/database or disk is full/));
});

it("masks a resolver's full disk as STORAGE_FULL (503), and logs it", async () => {
  // The same SQLite error a resolver's write meets on the full store.
  const full = await sql`INSERT INTO chains (id, block_number, block_hash) VALUES ('x', 0, ${"f".repeat(200_000)})`
    .execute(api.store.db)
    .catch((error: unknown) => error);
  expect(String(full)).toMatch(/database or disk is full/);
  const log: unknown[] = [];
  const masked = maskError((error) => log.push(error))(full);
  expect(masked).toMatchObject({ message: expect.stringMatching(/its disk is full/), extensions: { code: "STORAGE_FULL", http: { status: 503 } } });
  expect(log).toEqual([full]);
});
