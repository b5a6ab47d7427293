/**
 * The product keeps everything across a stop and a start: a small seeded year loaded into `startProduct`
 * on the embedded defaults, then the chain's head and a set of API answers (every planted anomaly's
 * query, a lot's whole history, a verification, a reconciliation) compared before and after a restart
 * that replays the chain's journal. Also: the demo's queries find every anomaly, and a second product
 * cannot open the same data directory while the first runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { runAnomalyQueries } from "../../product/anomaly-queries.js";
import { demoStart, headOf } from "../../product/demo-calendar.js";
import { HomeInUseError } from "../../product/home-lock.js";
import { readControlToken } from "../../product/rpc-control-token.js";
import { startProduct, type Product } from "../../product/product.js";
import { findRunningProduct } from "../../product/running-file.js";
import { readProductSettings } from "../../product/settings.js";
import { waitForIndexer } from "../../product/wait-for-indexer.js";
import { loadScenario, type LoadResult } from "../../seeds/loader/load.js";
import { generateScenario } from "../../seeds/scenario.js";

const quiet = () => undefined;
let home: string;
let product: Product | undefined;
let loaded: LoadResult;

const settings = () => readProductSettings({ TRACEGATE_HOME: home, TRACEGATE_PORT: "0", TRACEGATE_RPC_PORT: "0", TRACEGATE_METRICS_PORT: "0" }, process.cwd());

async function head(): Promise<{ number: string; hash: string }> {
  const response = await fetch(product!.ledger.embedded!.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["latest", false] }),
  });
  const { result } = (await response.json()) as { result: { number: string; hash: string } };
  return { number: result.number, hash: result.hash };
}

/** The API's answers an auditor would compare: the anomalies' queries and a few of every kind. */
async function answers(): Promise<unknown[]> {
  const issuer = await devTokenIssuer(JSON.parse(await readFile(resolve(home, "api-dev-key.json"), "utf8")));
  const token = await issuer.mint("VNCUSTOMS", "AUDITOR");
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${product!.apiUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", [CSRF_HEADER]: "1", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  };
  const anomalyAnswers = [];
  for (const anomaly of loaded.anomalies) anomalyAnswers.push(await ask(anomaly.query, anomaly.variables));
  const lot = loaded.anomalies.find((anomaly) => anomaly.kind === "CO_REVOKED_AFTER_CLEARANCE")!.lot!;
  const enterprise = loaded.anomalies.find((anomaly) => anomaly.kind === "OVER_CONSUMPTION")!.enterprise!;
  const period = loaded.anomalies.find((anomaly) => anomaly.kind === "LONG_DWELL_AT_GATE")!.period;
  return [
    ...anomalyAnswers,
    await ask(
      `query ($id: String!) { lot(id: $id) { id state owner custodian location quantity history { edges { node { kind time block tx actor facility documents { hash status } } } } lineage(direction: BOTH, depth: 10) { nodes { depth lot { id } } } } }`,
      { id: lot },
    ),
    await ask(`query ($e: String!, $p: PeriodInput!) { reconciliation(enterprise: $e, period: $p) { rows { material book expected consumed } } }`, {
      e: enterprise,
      p: period,
    }),
    await ask(`{ lots(first: 100) { edges { node { id state quantity } } } }`),
  ];
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "tracegate-product-"));
  product = await startProduct(settings(), quiet);
  const { rpcUrl, controlToken, addresses } = product.ledger.embedded!;
  const scenario = generateScenario({ seed: 5, events: 800, start: demoStart(await headOf(rpcUrl), new Date()) });
  // As `npm run demo` loads it: over HTTP, mining with the product's control token.
  expect(await readControlToken(home)).toBe(controlToken);
  expect((await stat(join(home, "rpc-control-token"))).mode & 0o777).toBe(0o600);
  loaded = await loadScenario({ endpoint: { url: rpcUrl, token: controlToken }, addresses, scenario, dataDir: home });
  await waitForIndexer(product.metricsUrl, loaded.head.number);
}, 120_000);
afterAll(async () => {
  await product?.stop();
  await rm(home, { recursive: true, force: true });
});

describe("the product on its embedded defaults", () => {
  it("finds every planted anomaly with the demo's queries", async () => {
    const found = await runAnomalyQueries(product!.apiUrl, resolve(home, "api-dev-key.json"), loaded.anomalies);
    expect(found.map(({ anomaly, found, error }) => [anomaly.kind, found, error]).sort()).toEqual(
      [
        "CO_REVOKED_AFTER_CLEARANCE",
        "HOLD",
        "LONG_DWELL_AT_GATE",
        "OVER_CONSUMPTION",
        "RELEASED_NEVER_RECEIVED",
        "ROUTE_DEVIATION",
        "SEAL_BROKEN",
        "TRANSIT_OVERDUE",
      ].map((kind) => [kind, true, undefined]),
    );
  });

  it("keeps the chain's head and every API answer across a stop and a start", async () => {
    const before = { head: await head(), answers: await answers() };
    expect(before.head.hash).toBe(loaded.head.hash);
    expect(JSON.stringify(before.answers)).not.toContain('"errors"');

    await expect(startProduct(settings(), quiet)).rejects.toThrow(HomeInUseError);
    expect(await head()).toEqual(before.head);

    await product!.stop();
    await expect(findRunningProduct(home)).rejects.toThrow(/not running/);
    // As a killed product leaves it: the lock of a process that is gone.
    await writeFile(join(home, "lock"), String(spawnSync("true").pid));
    product = await startProduct(settings(), quiet);
    expect((await findRunningProduct(home)).apiUrl).toBe(product.apiUrl);

    expect(await head()).toEqual(before.head);
    expect(await answers()).toEqual(before.answers);
  }, 120_000);
});
