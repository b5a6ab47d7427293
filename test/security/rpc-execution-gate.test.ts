/**
 * Public callers' code on the chain cannot hold the node's own requests (product/chain/execution-gate.ts):
 * eth_call and eth_estimateGas from callers without the control token enter the EVM one at a time,
 * after the node's own requests, and take turns call by call. Checked by the order of what happens,
 * on a provider whose calls end when the test says, and on the real EVM with calls that loop until
 * they run out of gas.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionGate } from "../../product/chain/execution-gate.js";
import { startEmbeddedChain, type EmbeddedChain } from "../../product/chain/embedded-chain.js";
import { serveJsonRpc, type JsonRpcEndpoint } from "../../product/chain/json-rpc-http.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";

const TOKEN = "a-control-token-for-this-test-only";

/** A node whose executing calls end only when `finish` is called; what runs, and at most how many at once. */
class HeldNode implements Eip1193Provider {
  readonly started: string[] = [];
  private readonly pending: Array<() => void> = [];
  private running = 0;
  maxRunning = 0;
  private startedListeners: Array<() => void> = [];

  async request({ method, params = [] }: { method: string; params?: readonly unknown[] }): Promise<unknown> {
    if (method === "eth_blockNumber") return "0x1";
    const label = String((params[0] as { data?: string } | undefined)?.data ?? method);
    this.started.push(label);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    for (const listener of this.startedListeners.splice(0)) listener();
    await new Promise<void>((resolve) => this.pending.push(resolve));
    this.running -= 1;
    return "0x";
  }

  /** Ends the oldest running call. */
  finish(): void {
    this.pending.shift()?.();
  }

  /** Resolves once `count` calls have started. */
  async startedCount(count: number): Promise<void> {
    while (this.started.length < count) await new Promise<void>((resolve) => this.startedListeners.push(resolve));
  }
}

const executing = (data: string, id = 1) => ({ jsonrpc: "2.0", id, method: "eth_call", params: [{ data }, "latest"] });

async function send(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return response.json();
}

describe("public callers' executing calls", () => {
  let node: HeldNode;
  let gate: ExecutionGate;
  let endpoint: JsonRpcEndpoint;

  beforeAll(async () => {
    node = new HeldNode();
    gate = new ExecutionGate(60_000);
    endpoint = await serveJsonRpc(node, { port: 0, gate, controlToken: TOKEN });
  });
  afterAll(() => endpoint?.close());

  it("run one at a time, taking turns call by call, and other methods and the token's callers do not wait", async () => {
    const batch = send(endpoint.url, [executing("0xa1", 1), executing("0xa2", 2), executing("0xa3", 3)]);
    await node.startedCount(1);
    const single = send(endpoint.url, executing("0xb1"));
    // Non-executing methods, and the token's calls, are answered while the public call runs.
    expect(await send(endpoint.url, { jsonrpc: "2.0", id: 9, method: "eth_blockNumber", params: [] })).toMatchObject({ result: "0x1" });
    const withToken = send(endpoint.url, executing("0xc1"), { authorization: `Bearer ${TOKEN}` });
    await node.startedCount(2);
    expect(node.started).toEqual(["0xa1", "0xc1"]);
    node.finish(); // 0xa1
    node.finish(); // 0xc1
    await withToken;
    await node.startedCount(3);
    // The other caller's call went in before the batch's next one.
    expect(node.started.slice(2)).toEqual(["0xb1"]);
    node.finish();
    await single;
    for (const count of [4, 5]) {
      await node.startedCount(count);
      node.finish();
    }
    await batch;
    expect(node.started).toEqual(["0xa1", "0xc1", "0xb1", "0xa2", "0xa3"]);
    // Two at once only ever because of the token's call, which does not wait.
    expect(node.maxRunning).toBe(2);
  });

  it("wait for the node's own requests in flight, and never start while one is", async () => {
    const own = gate.foreground(node);
    const ownCall = own.request({ method: "eth_call", params: [{ data: "0x01" }] });
    const before = node.started.length;
    const publicCall = send(endpoint.url, executing("0xd1"));
    // The public call reached the server (its answer waits) but not the node: the node's own request is in flight.
    expect(await send(endpoint.url, { jsonrpc: "2.0", id: 9, method: "eth_blockNumber", params: [] })).toMatchObject({ result: "0x1" });
    expect(node.started.slice(before)).toEqual([]);
    node.finish(); // the node's own
    await ownCall;
    await node.startedCount(before + 1);
    expect(node.started.slice(before)).toEqual(["0xd1"]);
    node.finish();
    expect(await publicCall).toMatchObject({ result: "0x" });
  });

  it("are not put off for good: a node busy beyond the deferral runs them anyway", async () => {
    const impatient = new ExecutionGate(50);
    const busy = new HeldNode();
    const served = await serveJsonRpc(busy, { port: 0, gate: impatient });
    try {
      const own = impatient.foreground(busy).request({ method: "eth_call", params: [{ data: "0x01" }] });
      await busy.startedCount(1);
      const publicCall = send(served.url, executing("0xe1"));
      await busy.startedCount(2);
      expect(busy.started).toEqual(["0x01", "0xe1"]);
      busy.finish();
      busy.finish();
      await Promise.all([own, publicCall]);
    } finally {
      await served.close();
    }
  });
});

describe("on the embedded chain's EVM", () => {
  let chain: EmbeddedChain;
  beforeAll(async () => {
    chain = await startEmbeddedChain({ port: 0 });
  }, 120_000);
  afterAll(() => chain?.stop());

  it("a request of the node's own waits for at most the one public call running, however many are sent", async () => {
    // JUMPDEST PUSH1 0 JUMP: loops until its gas is spent (2M gas keeps each call short).
    const loop = (id: number) => ({ jsonrpc: "2.0", id, method: "eth_call", params: [{ data: "0x5b600056", gas: "0x1e8480" }, "latest"] });
    const CALLS = 12;
    let answered = 0;
    let firstAnswer!: () => void;
    const first = new Promise<void>((resolve) => {
      firstAnswer = resolve;
    });
    const calls = Array.from({ length: CALLS }, async (_, id) => {
      const answer = (await send(chain.url!, loop(id))) as { error?: { message: string } };
      expect(answer.error?.message).toMatch(/out of gas/i);
      answered += 1;
      firstAnswer();
    });
    // Once one call is answered, the others are all sent and waiting: on the EVM's queue, were they not gated.
    await first;
    const before = answered;
    expect(await chain.provider.request({ method: "eth_blockNumber", params: [] })).toMatch(/^0x/);
    expect(answered - before).toBeLessThanOrEqual(1);
    expect(answered).toBeLessThan(CALLS);
    await Promise.all(calls);
    expect(answered).toBe(CALLS);
  }, 120_000);
});
