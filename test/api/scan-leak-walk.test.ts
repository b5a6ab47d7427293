/**
 * The scan routes walked as every caller and as nobody: /lot/<id> (as a linkset and as a browser's
 * redirect) for every lot and one that does not exist, /verdicts/<hash> for every document and batch
 * member, each answer searched for anything of a lot the caller may not see (forbidden-values.ts works
 * that out from the store, not through the API), as the GraphQL leak walk does for the schema.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { forbiddenFor, leaksIn, quantitiesIn, type Forbidden } from "./forbidden-values.js";
import { CALLERS } from "./leak-walk.js";
import { BATCH_CONTENTS } from "./scenario.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";

let api: ScenarioApi;
let lotIds: string[];
let hashes: string[];

beforeAll(async () => {
  api = await startScenarioApi();
  lotIds = (await api.store.db.selectFrom("lots").select("id").orderBy("id").execute()).map((row) => row.id);
  hashes = [
    ...(await api.store.db.selectFrom("documents").select("hash").orderBy("hash").execute()).map((row) => row.hash),
    ...BATCH_CONTENTS.map((content) => documentHash(content)),
  ];
}, 120_000);
afterAll(() => api?.close());

async function answers(token: string | undefined, forbidden: Forbidden): Promise<string[]> {
  const authorization: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const found: string[] = [];
  const check = async (where: string, response: Response, against: Forbidden) => {
    const body = await response.text();
    const text = [body, response.headers.get("location"), response.headers.get("link")].join(" ");
    for (const problem of [...leaksIn(text, against), ...quantitiesIn(body === "" ? null : JSON.parse(body), against)]) found.push(`${where}: ${problem}`);
  };
  for (const id of [...lotIds, "NO-SUCH-LOT"]) {
    // The id the scanner sent comes back in the answer: it is its own, not a leak.
    const asked: Forbidden = { ...forbidden, tokens: new Set([...forbidden.tokens].filter((token) => token !== id)) };
    for (const accept of ["application/linkset+json", "text/html"]) {
      const response = await fetch(`${api.server.url}/lot/${encodeURIComponent(id)}`, { redirect: "manual", headers: { accept, ...authorization } });
      await check(`/lot/${id} (${accept})`, response, asked);
    }
  }
  // A hash the scanner presents is its own to see again: the verdict names it.
  const presented: Forbidden = { ...forbidden, tokens: new Set([...forbidden.tokens].filter((token) => !hashes.includes(token))) };
  for (const hash of [...hashes, `0x${"ab".repeat(32)}`])
    await check(`/verdicts/${hash}`, await fetch(`${api.server.url}/verdicts/${hash}`, { headers: authorization }), presented);
  return found;
}

describe("what a scan answers", () => {
  it.each(CALLERS)("$name sees nothing of lots it may not see", async (caller) => {
    const forbidden = await forbiddenFor(api.store.db, caller.org, caller.kind, caller.role);
    expect(await answers(await api.issuer.mint(caller.org, caller.role), forbidden)).toEqual([]);
  });

  it("an anonymous scanner sees nothing of any lot", async () => {
    // Nobody's view: the per-lot rule of an organisation that may see no lot.
    const forbidden = await forbiddenFor(api.store.db, "NOBODY", "ISSUER", "SIGNER");
    expect(forbidden.visible.size).toBe(0);
    expect(await answers(undefined, forbidden)).toEqual([]);
  });
});
