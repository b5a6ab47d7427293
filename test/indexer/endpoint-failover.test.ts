/**
 * Several JSON-RPC endpoints of one chain (sdk/evm/endpoints.ts), each a real HTTP server in front of
 * the in-process chain (flaky-node.ts): the indexer syncs to the same store (dump hash) with one
 * endpoint down from the start or dying in the middle; an endpoint of another chain is refused with a
 * message saying so; all down is a typed error naming each URL and why, and the indexer carries on
 * once one comes back; a skipped endpoint is tried again after its backoff; a JSON-RPC error is the
 * request's and passes through; a send is never repeated on a second node that may have seen it; and
 * the metrics say which endpoint serves.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Indexer, type IndexerOptions } from "../../indexer/indexer.js";
import { IndexerMetrics } from "../../indexer/metrics.js";
import { startIndexing } from "../../indexer/service.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import { openSource } from "../../indexer/sources/from-settings.js";
import { readSourceSettings } from "../../indexer/sources/settings.js";
import { dumpHash } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { EndpointError, endpointLabel, EndpointsDownError, type EndpointPool } from "../../sdk/evm/endpoints.js";
import { LogReader } from "../../sdk/evm/log-ranges.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { openEndpoints, RpcError } from "../../sdk/evm/rpc.js";
import { LedgerUnavailableError } from "../../sdk/ledger.js";
import { STEP_SECONDS, TradeChain, WORKLOAD_START } from "../../scripts/workloads/trade-chain.js";
import { TradeFlows } from "../../scripts/workloads/trade-flows.js";
import { serveCappedNode } from "./capped-node.js";
import { serveFlakyNode, type FlakyNode, type FlakyNodeOptions } from "./flaky-node.js";
import { failFast } from "./fail-fast.js";

const options: IndexerOptions = { finality: 20, batchBlocks: 200, pollMs: 1 };
let chain: TradeChain;
let reference: string;
const nodes: FlakyNode[] = [];
const stores: Store[] = [];

async function node(nodeOptions?: FlakyNodeOptions): Promise<FlakyNode> {
  const served = await serveFlakyNode(chain.chain.connection.provider, nodeOptions);
  nodes.push(served);
  return served;
}

async function store(): Promise<Store> {
  const opened = await openStore(":memory:");
  stores.push(opened);
  return opened;
}

async function sync(pool: EndpointPool, observer = failFast): Promise<string> {
  const into = await store();
  await (await Indexer.open(into, await EvmSource.connect(pool, chain.addresses), options, observer)).run({ untilHead: true });
  return dumpHash(into);
}

/** A clock the test moves: backoff without waiting. */
function testClock() {
  let now = 1_000_000;
  return { now: () => now, pass: (ms: number) => (now += ms) };
}

/** A port nothing listens on. */
async function deadUrl(): Promise<string> {
  const dead = await node();
  await dead.stop();
  return dead.url;
}

const dataReads = (served: FlakyNode) => served.asked.filter((method) => method !== "eth_chainId" && method !== "eth_blockNumber");

describe("several JSON-RPC endpoints", () => {
  beforeAll(async () => {
    chain = await TradeChain.start();
    const flows = new TradeFlows(5);
    let time = WORKLOAD_START;
    await chain.send(await flows.setUp(time));
    for (let step = 0; step < 40; step++) {
      await chain.send(await flows.step((time += STEP_SECONDS)));
      for (let block = 0; block < 20; block++) await chain.chain.connection.provider.request({ method: "evm_mine" });
    }
    const fresh = await store();
    await (await Indexer.open(fresh, await EvmSource.connect(chain.rpc, chain.addresses), options, failFast)).run({ untilHead: true });
    reference = await dumpHash(fresh);
  }, 120_000);
  afterAll(async () => {
    for (const served of nodes) await served.close();
    for (const opened of stores) await opened.close();
    await chain?.stop();
  });

  it("reads the list from TRACEGATE_RPC_URL, one URL as before, and refuses a bad entry naming it", () => {
    const evm = { TRACEGATE_REGISTRY: chain.addresses.registry, TRACEGATE_CUSTODY: chain.addresses.custody };
    expect(readSourceSettings({}, { ...evm, TRACEGATE_RPC_URL: " http://a:8545 , https://b/rpc" })).toMatchObject({ rpc: ["http://a:8545", "https://b/rpc"] });
    // npm start reads it the same way: its indexer spreads over the list, its writer (EvmLedger) takes it too (below).
    expect(readSourceSettings({}, { ...evm, TRACEGATE_RPC_URL: "http://a:8545,http://b:8545" }, "start")).toMatchObject({
      rpc: ["http://a:8545", "http://b:8545"],
    });
    expect(readSourceSettings({ rpc: "http://c:8545" }, { ...evm, TRACEGATE_RPC_URL: "http://a:8545,http://b:8545" })).toMatchObject({
      rpc: ["http://c:8545"],
    });
    expect(() => readSourceSettings({}, { ...evm, TRACEGATE_RPC_URL: "http://a:8545,b:8545" })).toThrow(
      '--rpc (TRACEGATE_RPC_URL) must be http(s) URLs such as http://127.0.0.1:8545, comma-separated; "b:8545" is not one',
    );
    expect(() => readSourceSettings({}, { ...evm, TRACEGATE_RPC_URL: "http://a:8545,,http://b:8545" })).toThrow(/"" is not one/);
    expect(() => readSourceSettings({}, { ...evm, TRACEGATE_RPC_URL: "http://a:8545,http://a:8545" })).toThrow(
      "--rpc (TRACEGATE_RPC_URL) lists http://a:8545 twice",
    );
  });

  it("syncs the same store with one endpoint down from the start, which it then leaves alone", async () => {
    const clock = testClock();
    const [dead, good] = [await deadUrl(), await node()];
    const pool = openEndpoints([dead, good.url], { clock: clock.now });
    expect(await sync(pool)).toBe(reference);
    const [down, up] = pool.status();
    expect(down).toMatchObject({ endpoint: dead, up: false, failures: 1, requests: 1 });
    expect(up).toMatchObject({ endpoint: good.url, up: true, failures: 0 });
  });

  it("syncs the same store when an endpoint dies in the middle of the sync", async () => {
    const [dying, good] = [await node(), await node()];
    dying.dieAfter(6);
    const pool = openEndpoints([dying.url, good.url]);
    expect(await sync(pool)).toBe(reference);
    const [died] = pool.status();
    expect(died).toMatchObject({ up: false });
    // Both served before it died: the reads were spread.
    expect(dataReads(dying).length).toBeGreaterThan(2);
    expect(dataReads(good).length).toBeGreaterThan(dataReads(dying).length);
  });

  it("refuses an endpoint of another chain, saying so, and reads from the others", async () => {
    const lines: string[] = [];
    const [first, other, third] = [await node(), await node({ chainId: 1n }), await node()];
    const pool = openEndpoints([first.url, other.url, third.url], { clock: testClock().now, onChange: (line) => lines.push(line) });
    expect(await sync(pool)).toBe(reference);
    expect(lines[0]).toBe(
      `JSON-RPC endpoint ${other.url} skipped for 1 s: it answers chain 1, not 31337 as ${first.url}, ${third.url}: is it a node of another network?`,
    );
    expect(dataReads(other)).toEqual([]);
    expect(pool.status()[1]).toMatchObject({ up: false, failures: 1 });
    // The two others share the reads, counted in calls: batches of headers too, not just single calls.
    const [a, b] = [dataReads(first).length, dataReads(third).length];
    expect(Math.min(a, b) / (a + b)).toBeGreaterThan(0.4);

    // Two that disagree: the one listed first decides, and the message says which.
    const pair = openEndpoints([first.url, other.url]);
    await pair.request("eth_blockNumber");
    await expect(pair.request("eth_blockNumber")).resolves.toBeDefined();
    expect(pair.status().map(({ up }) => up)).toEqual([true, false]);
  });

  it("says which endpoints failed and why when all are down, and the indexer carries on once one is back", async () => {
    const [busy, gone] = [await node(), await node()];
    busy.fail("503");
    await gone.stop();
    const clock = testClock();
    const pool = openEndpoints([busy.url, gone.url], { clock: clock.now });
    const refusal = await EvmSource.connect(pool, chain.addresses).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(EndpointsDownError);
    expect(refusal).toBeInstanceOf(LedgerUnavailableError);
    expect((refusal as Error).message).toBe(`no JSON-RPC endpoint answers: ${busy.url} answered HTTP 503; ${gone.url} cannot be reached (ECONNREFUSED)`);

    // Through openSource, as the indexer command opens it: the same typed error, no crash.
    const settings = readSourceSettings(
      {},
      { TRACEGATE_RPC_URL: `${busy.url},${gone.url}`, TRACEGATE_REGISTRY: chain.addresses.registry, TRACEGATE_CUSTODY: chain.addresses.custody },
    );
    await expect(openSource(settings)).rejects.toThrow(EndpointsDownError);

    // Still down while the indexer runs: its steps fail (retried); once one is back, it finishes.
    await gone.restart();
    clock.pass(60_000);
    const source = await EvmSource.connect(pool, chain.addresses);
    gone.fail("429");
    const failures: unknown[] = [];
    const into = await store();
    const indexer = await Indexer.open(
      into,
      source,
      { ...options, pollMs: 1 },
      {
        ...failFast,
        failed: (error) => {
          failures.push(error);
          clock.pass(60_000);
          if (failures.length === 3) busy.fail(undefined);
        },
      },
    );
    await indexer.run({ untilHead: true });
    expect(await dumpHash(into)).toBe(reference);
    expect(failures.length).toBe(3);
    expect(failures.every((error) => error instanceof EndpointsDownError)).toBe(true);
  });

  it("tries a failed endpoint again only after its backoff, doubled on each failure and capped", async () => {
    const clock = testClock();
    const lines: string[] = [];
    const [flaky, steady] = [await node(), await node()];
    const pool = openEndpoints([flaky.url, steady.url], { clock: clock.now, backoffMs: 1_000, maxBackoffMs: 3_000, onChange: (line) => lines.push(line) });
    const read = () => pool.request<string>("eth_getBlockByNumber", ["0x1", false]);
    await read();
    const reads = () => flaky.asked.filter((method) => method === "eth_getBlockByNumber").length;

    flaky.fail("not json");
    for (const pause of [1_000, 2_000, 3_000, 3_000]) {
      // Every read goes to the other until the pause is over; then one request tries it again.
      const before = flaky.asked.length;
      for (let attempt = 0; attempt < 4; attempt++) await read();
      clock.pass(pause - 1);
      for (let attempt = 0; attempt < 4; attempt++) await read();
      expect(flaky.asked.length - before).toBe(1);
      clock.pass(1);
    }
    expect(lines).toEqual([1, 2, 3, 3].map((seconds) => `JSON-RPC endpoint ${flaky.url} skipped for ${seconds} s: it answered HTTP 200 with no JSON`));

    flaky.fail(undefined);
    const before = reads();
    // Back to its share (at par with the other, not taking every read to catch up).
    for (let attempt = 0; attempt < 8; attempt++) await read();
    expect(reads() - before).toBeGreaterThanOrEqual(3);
    expect(reads() - before).toBeLessThanOrEqual(5);
    expect(lines.at(-1)).toBe(`JSON-RPC endpoint ${flaky.url} is up again`);
    expect(pool.status()[0]).toMatchObject({ up: true });
  });

  it("while every endpoint is skipped, asks only the one due back first, not all of them", async () => {
    const clock = testClock();
    const [first, second] = [await node(), await node()];
    first.fail("503");
    second.fail("503");
    const pool = openEndpoints([first.url, second.url], { clock: clock.now });
    await expect(pool.request("eth_blockNumber")).rejects.toThrow(EndpointsDownError);
    expect([first.asked.length, second.asked.length]).toEqual([1, 1]);
    clock.pass(10);
    for (let attempt = 0; attempt < 3; attempt++)
      await expect(pool.request("eth_blockNumber")).rejects.toThrow(
        `no JSON-RPC endpoint answers: ${first.url} answered HTTP 503; ${second.url} answered HTTP 503`,
      );
    expect([first.asked.length, second.asked.length]).toEqual([4, 1]);
    // Back, and its pause over: it serves.
    second.fail(undefined);
    clock.pass(1_000);
    await expect(pool.request<string>("eth_blockNumber")).resolves.toMatch(/^0x/);
    expect(pool.status().map(({ up }) => up)).toEqual([false, true]);
  });

  it.each(["503", "429", "not json", "drop", "hang"] as const)("fails over when an endpoint answers %s", async (failure) => {
    const [bad, good] = [await node(), await node()];
    const pool = openEndpoints([bad.url, good.url], { spread: false, timeoutMs: 300 });
    await pool.request("eth_chainId");
    bad.fail(failure);
    await expect(pool.request<string>("eth_blockNumber")).resolves.toMatch(/^0x/);
    expect(pool.status()[0]).toMatchObject({ up: false, failures: 1 });
    // A drop on the connection eth_chainId was answered on is sent again once, on a new one (sdk/evm/rpc.ts).
    expect(bad.asked.filter((method) => method === "eth_blockNumber")).toHaveLength(failure === "drop" ? 2 : 1);
  });

  it("passes a JSON-RPC error through unchanged: the request's fault, not the endpoint's", async () => {
    const capped = await serveCappedNode(chain.chain.connection.provider, { kind: "besu", blocks: 100 });
    try {
      const good = await node();
      const pool = openEndpoints([capped.url, good.url], { spread: false });
      const head = await chain.head();
      const refusal = await pool
        .request("eth_getLogs", [{ address: chain.addresses.custody, fromBlock: "0x0", toBlock: `0x${head.toString(16)}` }])
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(RpcError);
      expect((refusal as RpcError).message).toBe("Requested range exceeds maximum RPC range limit");
      expect(good.asked.filter((method) => method === "eth_getLogs")).toEqual([]);
      // And the log reader splits the range as it does on one node, every endpoint still up.
      const logs = await new LogReader(pool).read({ address: chain.addresses.custody }, 0n, head);
      expect(logs).toEqual(await new LogReader(chain.rpc).read({ address: chain.addresses.custody }, 0n, head));
      expect(logs.length).toBeGreaterThan(30);
      expect(pool.status().map(({ up, failures }) => [up, failures])).toEqual([
        [true, 0],
        [true, 0],
      ]);

      // A batch refused whole (one error, not a list) is the request's too.
      good.fail("batches refused");
      const batched = openEndpoints([good.url, capped.url], { spread: false });
      await expect(
        batched.batch([
          ["eth_blockNumber", []],
          ["eth_chainId", []],
        ]),
      ).rejects.toThrow(new RpcError(-32600, "batch too large", undefined));
      expect(batched.status()[0]).toMatchObject({ up: true, failures: 0 });
    } finally {
      await capped.close();
    }
  });

  it("reads a block only from an endpoint that has it", async () => {
    const [lagging, current] = [await node({ behind: 30n }), await node()];
    const pool = openEndpoints([lagging.url, current.url]);
    const head = await chain.head();
    for (let read = 0; read < 4; read++) {
      const logs = await pool.request<unknown[]>("eth_getLogs", [
        { address: chain.addresses.custody, fromBlock: `0x${(head - 400n).toString(16)}`, toBlock: `0x${head.toString(16)}` },
      ]);
      expect(logs.length).toBeGreaterThan(0);
      const latest = await pool.request<{ number: string }>("eth_getBlockByNumber", [`0x${head.toString(16)}`, false]);
      expect(BigInt(latest.number)).toBe(head);
    }
    expect(lagging.asked.filter((method) => method === "eth_getLogs" || method === "eth_getBlockByNumber")).toEqual([]);
    expect(current.asked.filter((method) => method === "eth_getLogs")).toHaveLength(4);
    // An older block, which it has: it serves its share.
    for (let read = 0; read < 4; read++) await pool.request("eth_getBlockByNumber", ["0x2", false]);
    expect(lagging.asked.filter((method) => method === "eth_getBlockByNumber").length).toBeGreaterThan(0);
  });

  it("sends a transaction to one endpoint, and to the next only when the first was never reached", async () => {
    const clock = testClock();
    const [first, second] = [await node(), await node()];
    const pool = openEndpoints([first.url, second.url], { clock: clock.now });
    const sends = (served: FlakyNode) => served.asked.filter((method) => method === "eth_sendRawTransaction").length;
    // Not a valid transaction: the node's refusal is the request's, and comes back as it is.
    await expect(pool.request("eth_sendRawTransaction", ["0x00"])).rejects.toThrow(RpcError);
    expect([sends(first), sends(second)]).toEqual([1, 0]);
    // Overloaded, or dropped mid-request: it may have the transaction; no second node is asked.
    for (const failure of ["503", "drop"] as const) {
      first.fail(failure);
      const refusal = await pool.request("eth_sendRawTransaction", ["0x00"]).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(EndpointError);
      expect(sends(second)).toBe(0);
      // Back up: its pause over, it answers again.
      first.fail(undefined);
      clock.pass(60_000);
      await expect(pool.request("eth_sendRawTransaction", ["0x00"])).rejects.toThrow(RpcError);
      expect(sends(second)).toBe(0);
    }
    // Gone: the connection it kept open drops (it may have read the send: not sent again elsewhere)…
    await first.stop();
    await expect(pool.request("eth_sendRawTransaction", ["0x00"])).rejects.toThrow(EndpointError);
    expect(sends(second)).toBe(0);
    // …and once its pause is over it refuses connections: nothing was sent, so the next endpoint gets it, once.
    clock.pass(60_000);
    await expect(pool.request("eth_sendRawTransaction", ["0x00"])).rejects.toThrow(RpcError);
    expect(sends(second)).toBe(1);
    expect(pool.status().map(({ up }) => up)).toEqual([false, true]);
  });

  it("connects the SDK's ledger (npm start's writer, the CLI) through the same list, the first endpoint down", async () => {
    const [dead, first, second] = [await deadUrl(), await node(), await node()];
    const addresses = { TraceGateRegistry: chain.addresses.registry, CustodyRegistry: chain.addresses.custody };
    const ledger = await EvmLedger.connect({ endpoint: [dead, first.url, second.url], addresses });
    try {
      expect(ledger.orgs.entries().length).toBeGreaterThan(0);
      // A writer reads from one node's view: the first that is up, not spread.
      expect(dataReads(first).length).toBeGreaterThan(0);
      expect(dataReads(second)).toEqual([]);
    } finally {
      await ledger.close();
    }
  });

  it("serves per-endpoint metrics labelled without credentials", async () => {
    expect(endpointLabel("https://user:secret@node.example.com:8545/v3/0123456789abcdef0123?key=1")).toBe("https://node.example.com:8545/v3/<key>");
    expect(endpointLabel("http://127.0.0.1:8545")).toBe("http://127.0.0.1:8545");

    const [dead, good] = [await deadUrl(), await node()];
    const settings = readSourceSettings(
      {},
      { TRACEGATE_RPC_URL: `${dead},${good.url}`, TRACEGATE_REGISTRY: chain.addresses.registry, TRACEGATE_CUSTODY: chain.addresses.custody },
    );
    const opened = await openSource(settings);
    const into = await store();
    const indexing = await startIndexing(into, opened.source, { ...options, metricsPort: 0, log: () => undefined });
    try {
      await indexing.caughtUp;
      const text = await (await fetch(indexing.metricsUrl)).text();
      const value = (name: string, url: string) => Number(new RegExp(`^tracegate_indexer_${name}\\{endpoint="${url}"\\} (\\d+)$`, "m").exec(text)?.[1]);
      expect([value("rpc_up", dead), value("rpc_up", good.url)]).toEqual([0, 1]);
      expect(value("rpc_failures_total", dead)).toBeGreaterThanOrEqual(1);
      expect(value("rpc_requests_total", good.url)).toBeGreaterThan(10);
      expect(text).toContain("# TYPE tracegate_indexer_rpc_requests_total counter");
    } finally {
      await indexing.stop();
      opened.close();
    }
    // No endpoints (an in-process chain): no endpoint lines.
    expect(new IndexerMetrics().render()).not.toContain("rpc_");
  });
});
