/**
 * The scenario through the real path: its steps sent as transactions to the EVM contracts on Hardhat's
 * in-process chain, read back by the indexer over JSON-RPC into a fresh SQLite store.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IndexedEvent } from "../../indexer/events.js";
import { Indexer } from "../../indexer/indexer.js";
import { commitBatch } from "../../indexer/store/commit.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { startPostgres } from "../../scripts/harness/postgres-server.js";
import { TradeChain } from "../../scripts/workloads/trade-chain.js";
import { buildScenario, type Scenario } from "./scenario.js";

export interface ScenarioStore {
  store: Store;
  scenario: Scenario;
  close(): Promise<void>;
}

export type Engine = Store["engine"];

/** The scenario indexed into a fresh store: an SQLite file, or a PostgreSQL server started for it. */
export async function scenarioStore(engine: Engine = "sqlite"): Promise<ScenarioStore> {
  const scenario = await buildScenario();
  const chain = await TradeChain.start();
  const directory = await mkdtemp(join(tmpdir(), "tracegate-api-"));
  const postgres = engine === "postgres" ? await startPostgres() : undefined;
  try {
    await chain.send(scenario.steps);
    const store = await openStore(postgres?.url ?? join(directory, "scenario.sqlite"));
    const source = await EvmSource.connect(chain.rpc, chain.addresses);
    const fail = (error: unknown) => {
      throw error;
    };
    const indexer = await Indexer.open(store, source, { finality: 0, batchBlocks: 10_000, pollMs: 10 }, { committed() {}, rolledBack() {}, failed: fail });
    await indexer.run({ untilHead: true });
    return {
      store,
      scenario,
      close: async () => {
        await store.close();
        await postgres?.stop();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } finally {
    await chain.stop();
  }
}

/** Stores events as one new block after the store's checkpoint, through the indexer's own write transaction. */
export async function appendBlock(store: Store, events: readonly IndexedEvent[]): Promise<void> {
  const row = await store.db.selectFrom("chains").selectAll().executeTakeFirstOrThrow();
  const checkpoint = { chain: row.number, block: { number: row.block_number, hash: row.block_hash } };
  const number = checkpoint.block.number + 1n;
  const hash = (label: string) => `0x${createHash("sha256").update(`${label} ${number}`).digest("hex")}`;
  await commitBatch(store, checkpoint, {
    events: events.map((event, index) => ({ block: number, index, tx: hash(`tx ${index}`), event })),
    to: { number, hash: hash("block") },
    headers: [],
    finalUpTo: number,
  });
}
