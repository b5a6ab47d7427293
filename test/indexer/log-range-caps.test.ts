/**
 * The indexer on nodes that cap eth_getLogs (test/indexer/capped-node.ts: a real HTTP JSON-RPC server
 * in front of the in-process chain): a chain of some 30,000 blocks with its events spread wide, read
 * through a node refusing more than 5,000 blocks (Besu's default) or more than a few logs at once,
 * must index to exactly the store an uncapped node gives (dump hash), including after a restart with
 * its checkpoint far beyond the cap and after a reorganisation; a block the node will not answer even
 * alone stops the indexer with the node's reason instead of retrying forever. And it starts where the
 * contracts start, not at block 0.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Indexer, type IndexerOptions } from "../../indexer/indexer.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import { SourceRefusedError } from "../../indexer/sources/source.js";
import { dumpHash, dumpStore } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { readSourceSettings } from "../../indexer/sources/settings.js";
import { httpBatchRpc, providerBatchRpc } from "../../sdk/evm/batch-rpc.js";
import { ChainReader } from "../../sdk/evm/chain-reads.js";
import { createChainConnection, deployTraceGate } from "../../product/chain/embedded-chain.js";
import { LogRangeRefusedError, LogReader } from "../../sdk/evm/log-ranges.js";
import { httpRpc, RpcError, type Rpc } from "../../sdk/evm/rpc.js";
import { serveCappedNode, type CappedNode, type LogCaps } from "./capped-node.js";
import { STEP_SECONDS, TradeChain, WORKLOAD_START } from "../../scripts/workloads/trade-chain.js";
import { TradeFlows } from "../../scripts/workloads/trade-flows.js";
import { failFast } from "./fail-fast.js";

const CAP = 5_000;
const options: IndexerOptions = { finality: 100, batchBlocks: 10_000, pollMs: 1 };
let chain: TradeChain;
let flows: TradeFlows;
let time = WORKLOAD_START;
const nodes: CappedNode[] = [];
const stores: Store[] = [];

/** Empty blocks, a second apart: the workload's next action comes after them. (Not hardhat_mine, whose blocks EDR leaves without state and parent links.) */
async function mine(blocks: number): Promise<void> {
  for (let block = 0; block < blocks; block++) await chain.chain.connection.provider.request({ method: "evm_mine" });
  time += BigInt(blocks);
}

async function sendSteps(count: number): Promise<void> {
  for (let step = 0; step < count; step++) await chain.send(await flows.step((time += STEP_SECONDS)));
}

async function node(caps: LogCaps): Promise<CappedNode> {
  const capped = await serveCappedNode(chain.chain.connection.provider, caps);
  nodes.push(capped);
  return capped;
}

async function store(): Promise<Store> {
  const opened = await openStore(":memory:");
  stores.push(opened);
  return opened;
}

const connect = (through: CappedNode | undefined) => EvmSource.connect(through === undefined ? chain.rpc : httpBatchRpc(through.url), chain.addresses);

async function index(into: Store, through: CappedNode | undefined, indexerOptions = options): Promise<void> {
  await (await Indexer.open(into, await connect(through), indexerOptions, failFast)).run({ untilHead: true });
}

/** What an uncapped node gives for the chain as it is now. */
async function uncappedHash(): Promise<string> {
  const fresh = await store();
  await index(fresh, undefined);
  return dumpHash(fresh);
}

describe("an indexer on a node that caps eth_getLogs", () => {
  beforeAll(async () => {
    chain = await TradeChain.start();
    flows = new TradeFlows(17);
    await mine(2_500);
    await chain.send(await flows.setUp(time));
    // Events in clumps between long empty stretches: ranges over the cap, and ranges over 10,000.
    for (const gap of [6_000, 1_200, 12_000, 4_999, 5_001, 700]) {
      await sendSteps(4);
      await mine(gap);
    }
    await sendSteps(4);
  }, 120_000);
  afterAll(async () => {
    for (const capped of nodes) await capped.close();
    for (const opened of stores) await opened.close();
    await chain?.stop();
  });

  it.each<LogCaps>([
    { kind: "besu", blocks: CAP },
    { kind: "alchemy", blocks: 500 },
    { kind: "infura", results: 3 },
    { kind: "geth", blocks: CAP, results: 5 },
  ])("indexes what an uncapped node gives ($kind, at most $blocks blocks, $results logs)", async (caps) => {
    const capped = await node(caps);
    const synced = await store();
    await index(synced, capped);
    expect(await dumpHash(synced)).toBe(await uncappedHash());
    // The cap is learned, not hit at every query: a few refusals per halving of the span.
    const refused = capped.queries.filter(({ refused }) => refused).length;
    expect(refused).toBeLessThanOrEqual(caps.results === undefined ? 20 : capped.queries.length / 2);
    expect(capped.queries.every(({ from, to, refused }) => refused || caps.blocks === undefined || to - from + 1n <= BigInt(caps.blocks))).toBe(true);
  });

  it("resumes after a stop with its checkpoint beyond the cap", async () => {
    const capped = await node({ kind: "besu", blocks: CAP });
    const resumed = await store();
    const first = await Indexer.open(resumed, await connect(capped), { ...options, batchBlocks: 3_000 }, failFast);
    for (let step = 0; step < 6; step++) await first.step();
    // A new process: a new source, which must rebuild its organisation directory from 18,000 blocks.
    await index(resumed, capped);
    expect(await dumpHash(resumed)).toBe(await uncappedHash());
  });

  it("rolls back a reorganisation and reads on, under the cap", async () => {
    const capped = await node({ kind: "besu", blocks: CAP });
    const followed = await store();
    const rollbacks: bigint[] = [];
    const indexer = await Indexer.open(followed, await connect(capped), options, { ...failFast, rolledBack: ({ to }) => rollbacks.push(to.number) });
    await indexer.run({ untilHead: true });

    const fork = await chain.snapshot();
    const forkHead = await chain.head();
    const [forkFlows, forkTime] = [await flows.fork(99), time];
    await sendSteps(3);
    await indexer.run({ untilHead: true });
    await chain.revert(fork);
    [flows, time] = [forkFlows, forkTime + 7n];
    await sendSteps(5);
    await indexer.run({ untilHead: true });

    expect(rollbacks).toEqual([forkHead]);
    const fresh = await store();
    await index(fresh, undefined);
    // Recorded block hashes left out: their window follows the highest head seen (reorg.test.ts).
    expect(await dumpStore(followed, ["blocks"])).toEqual(await dumpStore(fresh, ["blocks"]));
  });

  it("splits the SDK's and the CLI's log reads too", async () => {
    const capped = await node({ kind: "besu", blocks: CAP });
    const addresses = { TraceGateRegistry: chain.addresses.registry, CustodyRegistry: chain.addresses.custody };
    const read = (rpc: Rpc) => new ChainReader(rpc, addresses, 0n).logs("CustodyRegistry", "CustodyRecorded");
    const logs = await read(httpRpc(capped.url));
    expect(logs.length).toBeGreaterThan(10);
    expect(logs).toEqual(await read(chain.rpc));
  });

  it("stops with the node's reason when it refuses a single block", async () => {
    const capped = await node({ kind: "geth", results: 0 });
    const refused = await store();
    const run = (await Indexer.open(refused, await connect(capped), options, { ...failFast, failed() {} })).run({ untilHead: true });
    await expect(run).rejects.toThrow(SourceRefusedError);
    await expect(run).rejects.toThrow(/refuses eth_getLogs even for block \d+ alone: query returned more than 0 results/);
    // Halvings down to one block, not a retry loop.
    expect(capped.queries.length).toBeLessThan(40);
  });
});

describe("the adaptive log reader", () => {
  /** A node with Besu's range cap and a result cap, over `logsAt(block)` logs per block. */
  function fakeNode(caps: { blocks: number; results: number }, logsAt: (block: number) => number) {
    const queries: Array<[number, number, boolean]> = [];
    const rpc: Rpc = {
      async request<T>(method: string, params: readonly unknown[] = []) {
        if (method !== "eth_getLogs") throw new RpcError(-32601, `no ${method}`, undefined);
        const { fromBlock, toBlock } = params[0] as { fromBlock: string; toBlock: string };
        const [from, to] = [Number(fromBlock), Number(toBlock)];
        const logs = Array.from({ length: to - from + 1 }, (_, offset) => Array.from({ length: logsAt(from + offset) }, () => from + offset)).flat();
        const refused = to - from + 1 > caps.blocks || logs.length > caps.results;
        queries.push([from, to, refused]);
        if (to - from + 1 > caps.blocks) throw new RpcError(-32005, "Requested range exceeds maximum RPC range limit", undefined);
        if (logs.length > caps.results) throw new RpcError(-32005, `query returned more than ${caps.results} results`, undefined);
        return logs as T;
      },
    };
    return { rpc, queries };
  }

  it("finds a fixed range cap in a few refusals, then keeps to it", async () => {
    const { rpc, queries } = fakeNode({ blocks: 5_000, results: Infinity }, (block) => (block % 997 === 0 ? 1 : 0));
    const logs = await new LogReader(rpc).read<number>({ address: "0xa" }, 0n, 199_999n);
    expect(logs).toEqual(Array.from({ length: 200_000 }, (_, block) => block).filter((block) => block % 997 === 0));
    expect(queries.filter(([, , refused]) => refused).length).toBeLessThanOrEqual(15);
    expect(queries.slice(-20).every(([from, to]) => to - from + 1 === 5_000)).toBe(true);
  });

  it("shrinks where logs are dense and grows back where they are sparse", async () => {
    const { rpc, queries } = fakeNode({ blocks: Infinity, results: 100 }, (block) => (block >= 20_000 && block < 21_000 ? 5 : 0));
    const logs = await new LogReader(rpc).read<number>({ address: "0xa" }, 0n, 199_999n);
    expect(logs).toHaveLength(5_000);
    expect(queries.some(([from, to]) => from >= 20_000 && to < 21_000 && to - from + 1 <= 20)).toBe(true);
    // Back to the widest range once past them.
    expect(Math.max(...queries.filter(([from]) => from >= 21_000).map(([from, to]) => to - from + 1))).toBe(10_000);
  });

  it("stops at a block refused alone, and leaves other errors alone", async () => {
    const dense = fakeNode({ blocks: Infinity, results: 2 }, (block) => (block === 7_777 ? 3 : 0));
    const refusal = await new LogReader(dense.rpc).read({ address: "0xa" }, 0n, 9_999n).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LogRangeRefusedError);
    expect((refusal as LogRangeRefusedError).block).toBe(7_777n);
    expect(dense.queries.length).toBeLessThan(30);

    let asked = 0;
    const failing: Rpc = {
      async request() {
        asked++;
        throw new RpcError(-32000, "header not found", undefined);
      },
    };
    await expect(new LogReader(failing).read({ address: "0xa" }, 0n, 9_999n)).rejects.toThrow("header not found");
    expect(asked).toBe(1);
  });
});

describe("the first block", () => {
  it("is TRACEGATE_FROM_BLOCK or --from-block, a block number", () => {
    const evm = { TRACEGATE_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3", TRACEGATE_CUSTODY: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" };
    expect(readSourceSettings({}, { ...evm, TRACEGATE_FROM_BLOCK: "1234" })).toMatchObject({ fromBlock: 1234n });
    expect(readSourceSettings({ "from-block": "5" }, { ...evm, TRACEGATE_FROM_BLOCK: "1234" })).toMatchObject({ fromBlock: 5n });
    expect(readSourceSettings({}, evm)).not.toHaveProperty("fromBlock");
    expect(() => readSourceSettings({}, { ...evm, TRACEGATE_FROM_BLOCK: "-1" })).toThrow("--from-block (TRACEGATE_FROM_BLOCK) is a block number, not -1");
    expect(() => readSourceSettings({ "from-block": "0x10" }, evm)).toThrow(/is a block number, not 0x10/);
  });

  it("is found on the chain: the contracts' deployment block", async () => {
    const connection = await createChainConnection();
    try {
      const request = (method: string, params: unknown[] = []) => connection.provider.request({ method, params });
      for (let block = 0; block < 300; block++) await request("evm_mine");
      const { addresses } = await deployTraceGate(connection);
      for (let block = 0; block < 50; block++) await request("evm_mine");
      // The block of the transaction that created the registry.
      let deployed: bigint | undefined;
      for (let block = 301; deployed === undefined; block++) {
        const { transactions } = (await request("eth_getBlockByNumber", [`0x${block.toString(16)}`, true])) as { transactions: Array<{ hash: string }> };
        for (const { hash } of transactions) {
          const receipt = (await request("eth_getTransactionReceipt", [hash])) as { contractAddress: string | null };
          if (receipt.contractAddress?.toLowerCase() === addresses.TraceGateRegistry.toLowerCase()) deployed = BigInt(block);
        }
      }
      const contracts = { registry: addresses.TraceGateRegistry, custody: addresses.CustodyRegistry };
      const capped = await serveCappedNode(connection.provider, { kind: "besu", blocks: CAP });
      try {
        const source = await EvmSource.connect(httpBatchRpc(capped.url), contracts);
        expect(source.firstBlock).toBe(deployed);
        // The indexer starts there: no log query, no batch before it.
        const batches: bigint[] = [];
        const indexed = await openStore(":memory:");
        await (await Indexer.open(indexed, source, options, { ...failFast, committed: ({ from }) => batches.push(from) })).run({ untilHead: true });
        await indexed.close();
        expect(batches[0]).toBe(deployed);
        expect(capped.queries.every(({ from }) => from >= deployed!)).toBe(true);
      } finally {
        await capped.close();
      }
      // A block given is taken as it is, without asking the chain.
      expect((await EvmSource.connect(providerBatchRpc(connection.provider), contracts, { fromBlock: 7n })).firstBlock).toBe(7n);
      const nowhere = "0x000000000000000000000000000000000000dEaD";
      await expect(EvmSource.connect(providerBatchRpc(connection.provider), { registry: nowhere, custody: nowhere })).rejects.toThrow(
        /holds a contract at block/,
      );
    } finally {
      await connection.close();
    }
  });
});
