/**
 * `npm run indexer` keeps a ledger cache by default (ledger-cache.sqlite beside its store, owner-only),
 * and `--rebuild` deletes the store and indexes it again from that cache: the same store (dump hash)
 * with no eth_getLogs sent to the node. TRACEGATE_LEDGER_CACHE=none keeps none; a bad value, or
 * --rebuild on PostgreSQL, exits 2 naming it.
 */
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpHash } from "../../indexer/store/dump.js";
import { openStore } from "../../indexer/store/open.js";
import { serveJsonRpc, type JsonRpcEndpoint } from "../../product/chain/json-rpc-http.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";
import { recordChain, recordedChainProvider } from "../../scripts/workloads/recorded-chain.js";
import { tradeChainWith } from "../../scripts/workloads/trade-chain.js";
import { startIndexer } from "./indexer-process.js";

describe("npm run indexer --rebuild", () => {
  let endpoint: JsonRpcEndpoint;
  let directory: string;
  let env: NodeJS.ProcessEnv;
  let logQueries = 0;

  beforeAll(async () => {
    const { chain } = await tradeChainWith(50, 7);
    const recorded = await recordChain(chain.rpc, chain.addresses);
    await chain.stop();
    const provider = recordedChainProvider(recorded);
    const counting: Eip1193Provider = {
      request(call) {
        if (call.method === "eth_getLogs") logQueries++;
        return provider.request(call);
      },
    };
    endpoint = await serveJsonRpc(counting, { port: 0 });
    directory = await mkdtemp(join(tmpdir(), "tracegate-rebuild-"));
    env = {
      PATH: process.env.PATH,
      TRACEGATE_RPC_URL: endpoint.url,
      TRACEGATE_REGISTRY: recorded.addresses.registry,
      TRACEGATE_CUSTODY: recorded.addresses.custody,
    };
  }, 120_000);
  afterAll(async () => {
    await endpoint?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const run = async (args: readonly string[], extra: NodeJS.ProcessEnv = {}) => {
    const indexer = startIndexer(["--until-head", "--finality", "0", "--metrics-port", "0", ...args], { env: { ...env, ...extra } });
    const { code } = await indexer.exited;
    return { code, log: indexer.log() };
  };
  const hashOf = async (path: string) => {
    const store = await openStore(path);
    try {
      return await dumpHash(store);
    } finally {
      await store.close();
    }
  };

  it("rebuilds the store from the ledger cache, asking the node for no log", async () => {
    const home = join(directory, "home");
    const synced = await run([], { TRACEGATE_HOME: home });
    expect(synced.code, synced.log).toBe(0);
    const cache = join(home, "ledger-cache.sqlite");
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    expect(logQueries).toBeGreaterThan(0);
    const fresh = await hashOf(join(home, "index.sqlite"));

    logQueries = 0;
    const rebuilt = await run(["--rebuild"], { TRACEGATE_HOME: home });
    expect(rebuilt.code, rebuilt.log).toBe(0);
    expect(rebuilt.log).toContain(`rebuilding it from ${cache}, then the node`);
    expect(logQueries).toBe(0);
    expect(await hashOf(join(home, "index.sqlite"))).toBe(fresh);

    // Without the cache, the rebuild reads the node again, into the same store.
    const uncached = await run(["--rebuild", "--ledger-cache", "none"], { TRACEGATE_HOME: home });
    expect(uncached.code, uncached.log).toBe(0);
    expect(logQueries).toBeGreaterThan(0);
    expect(await hashOf(join(home, "index.sqlite"))).toBe(fresh);
  }, 120_000);

  it("keeps the cache beside an SQLite store given elsewhere than the data directory", async () => {
    const [home, elsewhere] = [join(directory, "home-beside"), join(directory, "elsewhere")];
    const synced = await run(["--store", join(elsewhere, "index.sqlite")], { TRACEGATE_HOME: home });
    expect(synced.code, synced.log).toBe(0);
    expect(existsSync(join(elsewhere, "ledger-cache.sqlite"))).toBe(true);
    expect(existsSync(home)).toBe(false);
  }, 60_000);

  it("keeps no cache with TRACEGATE_LEDGER_CACHE=none", async () => {
    const home = join(directory, "no-cache");
    const synced = await run([], { TRACEGATE_HOME: home, TRACEGATE_LEDGER_CACHE: "none" });
    expect(synced.code, synced.log).toBe(0);
    expect(existsSync(join(home, "index.sqlite"))).toBe(true);
    expect(existsSync(join(home, "ledger-cache.sqlite"))).toBe(false);
  }, 60_000);

  const refusals: Array<[string, string[], NodeJS.ProcessEnv, string]> = [
    ["a cache that is not a file", [], { TRACEGATE_LEDGER_CACHE: "http://cache/tg" }, 'TRACEGATE_LEDGER_CACHE is a file path or none, not "http://cache/tg"'],
    [
      "--rebuild of a PostgreSQL store",
      ["--rebuild"],
      { TRACEGATE_INDEX_STORE: "postgres://tg@127.0.0.1:1/tg" },
      "--rebuild deletes an SQLite store; for a PostgreSQL one (TRACEGATE_INDEX_STORE), drop its tables and start again",
    ],
  ];
  for (const [what, args, extra, message] of refusals) {
    it(`refuses ${what} with exit 2, naming it`, async () => {
      const home = join(directory, "refused");
      const refused = await run(args, { TRACEGATE_HOME: home, ...extra });
      expect(refused.code).toBe(2);
      expect(refused.log).toBe(`${message}\n`);
      expect(existsSync(home)).toBe(false);
    }, 60_000);
  }
});
