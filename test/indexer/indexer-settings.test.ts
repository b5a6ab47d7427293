/**
 * `npm run indexer` honours the settings README.md documents for it, read as `npm start` reads them:
 * TRACEGATE_HOME (where the store goes), TRACEGATE_METRICS_PORT (scraped), TRACEGATE_FINALITY (the
 * non-final block hashes it keeps), the ledger's variables; a bad value or a misspelt name exits 2 naming it.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../indexer/store/open.js";
import { serveJsonRpc, type JsonRpcEndpoint } from "../../product/chain/json-rpc-http.js";
import { recordChain, recordedChainProvider, type RecordedChain } from "../../scripts/workloads/recorded-chain.js";
import { tradeChainWith } from "../../scripts/workloads/trade-chain.js";
import { startIndexer } from "./indexer-process.js";
import { freePort } from "../../scripts/harness/free-port.js";

describe("npm run indexer's settings", () => {
  let recorded: RecordedChain;
  let endpoint: JsonRpcEndpoint;
  let directory: string;
  let ledgerEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const { chain } = await tradeChainWith(50, 5);
    recorded = await recordChain(chain.rpc, chain.addresses);
    await chain.stop();
    endpoint = await serveJsonRpc(recordedChainProvider(recorded), { port: 0 });
    directory = await mkdtemp(join(tmpdir(), "tracegate-indexer-settings-"));
    ledgerEnv = {
      PATH: process.env.PATH,
      TRACEGATE_RPC_URL: endpoint.url,
      TRACEGATE_REGISTRY: recorded.addresses.registry,
      TRACEGATE_CUSTODY: recorded.addresses.custody,
    };
  });
  afterAll(async () => {
    await endpoint?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("stores under TRACEGATE_HOME, serves metrics on TRACEGATE_METRICS_PORT and keeps TRACEGATE_FINALITY blocks revisable", async () => {
    const home = join(directory, "home");
    const port = await freePort();
    const run = startIndexer([], {
      env: { ...ledgerEnv, TRACEGATE_HOME: home, TRACEGATE_METRICS_PORT: String(port), TRACEGATE_FINALITY: "3", TRACEGATE_FINDINGS_MIN_STAYS: "40" },
    });
    try {
      await run.ready;
      const head = recorded.blocks.length - 1;
      // The metrics say when it reached the head: the readiness signal for what the store holds.
      for (;;) {
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        if (metrics.includes(`tracegate_indexer_indexed_block ${head}\n`)) break;
        await sleep(50);
      }
    } finally {
      run.child.kill("SIGTERM");
    }
    expect((await run.exited).code, run.log()).toBe(0);
    expect(run.log()).toContain("(finality 3 blocks)");
    const store = await openStore(join(home, "index.sqlite"));
    try {
      // The hashes of the blocks a reorganisation may still replace: the last 3, not the default 12.
      const { count } = await store.db
        .selectFrom("blocks")
        .select((eb) => eb.fn.countAll<bigint>().as("count"))
        .executeTakeFirstOrThrow();
      expect(Number(count)).toBe(3);
    } finally {
      await store.close();
    }
  });

  const refusals: Array<[string, NodeJS.ProcessEnv, string[], string]> = [
    [
      "an RPC endpoint that is not a URL",
      { TRACEGATE_RPC_URL: "localhost:8545" },
      [],
      '--rpc (TRACEGATE_RPC_URL) must be an http(s) URL such as http://127.0.0.1:8545, not "localhost:8545"',
    ],
    [
      "a misspelt variable",
      { TRACEGATE_METRICS_PROT: "9999" },
      [],
      "TRACEGATE_METRICS_PROT is not a TraceGate setting: did you mean TRACEGATE_METRICS_PORT? (README.md lists them all); unset it",
    ],
    ["a finality that is not a number", { TRACEGATE_FINALITY: "12 blocks" }, [], 'TRACEGATE_FINALITY must be a whole number of blocks, not "12 blocks"'],
    ["a metrics port out of range", { TRACEGATE_METRICS_PORT: "70000" }, [], 'TRACEGATE_METRICS_PORT must be a port number 0-65535, not "70000"'],
    [
      "a bad flag, which wins over its variable",
      { TRACEGATE_METRICS_PORT: "0" },
      ["--metrics-port", "x"],
      '--metrics-port must be a port number 0-65535, not "x"',
    ],
    [
      "a store that is neither a file nor PostgreSQL",
      { TRACEGATE_INDEX_STORE: "mysql://db/tg" },
      [],
      'TRACEGATE_INDEX_STORE must be a file path or a postgres:// URL, not "mysql://db/tg"',
    ],
    ["a bad finding threshold", { TRACEGATE_FINDINGS_MIN_STAYS: "1" }, [], 'TRACEGATE_FINDINGS_MIN_STAYS must be a whole number of at least 2, not "1"'],
  ];
  it("says in one line, exit 3, that the node does not answer at start", async () => {
    const run = startIndexer([], { env: { ...ledgerEnv, TRACEGATE_HOME: join(directory, "unreachable"), TRACEGATE_RPC_URL: "http://127.0.0.1:1" } });
    expect((await run.exited).code).toBe(3);
    expect(run.log()).toBe("cannot reach the JSON-RPC endpoint http://127.0.0.1:1: is the node running and the URL right?\n");
  });

  it("names every endpoint of a list and why, exit 3, when none answers at start", async () => {
    const run = startIndexer([], {
      env: { ...ledgerEnv, TRACEGATE_HOME: join(directory, "unreachable-list"), TRACEGATE_RPC_URL: "http://127.0.0.1:1,http://127.0.0.1:2" },
    });
    expect((await run.exited).code).toBe(3);
    expect(run.log().split("\n").at(-2)).toBe(
      "no JSON-RPC endpoint answers: http://127.0.0.1:1 cannot be reached (bad port); http://127.0.0.1:2 cannot be reached (ECONNREFUSED)",
    );
  });

  for (const [index, [what, env, args, message]] of refusals.entries()) {
    it.concurrent(`refuses ${what} with exit 2, naming it, creating nothing`, async () => {
      const home = join(directory, `refused-${index}`);
      const run = startIndexer(args, { env: { ...ledgerEnv, TRACEGATE_HOME: home, ...env } });
      expect((await run.exited).code).toBe(2);
      expect(run.log()).toBe(`${message}\n`);
      await expect(stat(home)).rejects.toThrow(/ENOENT/);
    });
  }
});
