/**
 * The indexer runs where only an indexer is installed: `npm run indexer` compiles nothing, and the
 * command follows a chain to its head with Hardhat, solc and the build output (artifacts/) refused.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../indexer/store/open.js";
import { serveJsonRpc, type JsonRpcEndpoint } from "../../product/chain/json-rpc-http.js";
import { recordChain, recordedChainProvider, type RecordedChain } from "../../scripts/workloads/recorded-chain.js";
import { tradeChainWith } from "../../scripts/workloads/trade-chain.js";
import { startIndexer } from "./indexer-process.js";

const REFUSE_COMPILER = fileURLToPath(new URL("./refuse-compiler.mjs", import.meta.url));

describe("the indexer without a compiler", () => {
  let recorded: RecordedChain;
  let endpoint: JsonRpcEndpoint;
  let directory: string;

  beforeAll(async () => {
    const { chain } = await tradeChainWith(50, 7);
    recorded = await recordChain(chain.rpc, chain.addresses);
    await chain.stop();
    endpoint = await serveJsonRpc(recordedChainProvider(recorded), { port: 0 });
    directory = await mkdtemp(join(tmpdir(), "tracegate-no-compiler-"));
  });
  afterAll(async () => {
    await endpoint?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("is not built by `npm run indexer`", () => {
    const { scripts } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
    expect(scripts.indexer).not.toMatch(/hardhat|solc/);
  });

  it("follows the chain to its head with Hardhat, solc and artifacts/ refused", async () => {
    const store = join(directory, "index.sqlite");
    const run = startIndexer(
      [
        "--rpc",
        endpoint.url,
        "--registry",
        recorded.addresses.registry,
        "--custody",
        recorded.addresses.custody,
        "--store",
        store,
        "--metrics-port",
        "0",
        "--until-head",
      ],
      { nodeArgs: ["--import", REFUSE_COMPILER] },
    );
    expect((await run.exited).code, run.log()).toBe(0);
    const opened = await openStore(store);
    try {
      const { block_number: checkpoint } = await opened.db.selectFrom("chains").select("block_number").executeTakeFirstOrThrow();
      expect(Number(checkpoint)).toBe(recorded.blocks.length - 1);
      const { count } = await opened.db
        .selectFrom("events")
        .select((eb) => eb.fn.countAll<bigint>().as("count"))
        .executeTakeFirstOrThrow();
      expect(Number(count)).toBeGreaterThan(50);
    } finally {
      await opened.close();
    }
  });
});
