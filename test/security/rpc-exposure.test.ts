/**
 * The embedded chain's JSON-RPC over real HTTP, as anyone on the machine could call it: a permissioned
 * chain's client surface only (reads, signed transactions, receipts, logs), the node's control and its
 * unlocked accounts refused without the control token and changing nothing, bodies and batches bounded
 * without the server buffering what it refuses, nothing echoed back, every request needing the token
 * off loopback, and block times far ahead of the wall clock refused in process and over HTTP.
 */
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { startDemoNetwork, type DemoNetwork } from "../../product/chain/demo-network.js";
import { LINGER_MS } from "../../sdk/lingering-close.js";
import { MAX_BATCH_CALLS, MAX_LOG_BLOCKS, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, serveJsonRpc } from "../../product/chain/json-rpc-http.js";
import { LEDGER_CLOCK_MAX_LEAD_SECONDS, LedgerClockError } from "../../product/chain/ledger-clock.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { refusalOf } from "../../sdk/evm/log-ranges.js";
import { RpcError } from "../../sdk/evm/rpc.js";
import { main } from "../../sdk/cli/main.js";
import { anchorAction, VCCI } from "../ledger/demo-actions.js";
import { nested, nestedText } from "../support/deep-json.js";
import { sendLarge } from "../support/large-body.js";

const TOKEN = "a-control-token-for-this-test-only";

interface Answer {
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

let network: DemoNetwork;
let url: string;

async function post(body: string, headers: Record<string, string> = {}, to = url): Promise<{ status: number; text: string }> {
  const response = await fetch(to, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  return { status: response.status, text: await response.text() };
}

async function call(method: string, params: unknown[] = [], headers: Record<string, string> = {}): Promise<Answer> {
  return JSON.parse((await post(JSON.stringify({ jsonrpc: "2.0", id: 7, method, params }), headers)).text) as Answer;
}

const withToken = { authorization: `Bearer ${TOKEN}` };
const inProcess = <T>(method: string, params: unknown[] = []) => network.chain.connection.provider.request({ method, params }) as Promise<T>;
const head = () => inProcess<{ number: string; hash: string; timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
const now = () => BigInt(Math.floor(Date.now() / 1000));
const hex = (value: bigint) => `0x${value.toString(16)}`;

beforeAll(async () => {
  network = await startDemoNetwork({ port: 0, controlToken: TOKEN });
  url = network.chain.url!;
});
afterAll(() => network?.chain.stop());

describe("the embedded chain's JSON-RPC port", () => {
  it("serves what a client of a permissioned chain needs, without a token", async () => {
    expect(await call("eth_chainId")).toEqual({ jsonrpc: "2.0", id: 7, result: "0x7a69" });
    for (const [method, params] of [
      ["net_version", []],
      ["web3_clientVersion", []],
      ["eth_blockNumber", []],
      ["eth_getBlockByNumber", ["latest", false]],
      ["eth_gasPrice", []],
      ["eth_getBalance", [network.chain.deployer, "latest"]],
      ["eth_getCode", [network.chain.addresses.TraceGateRegistry, "latest"]],
      ["eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest", address: network.chain.addresses.TraceGateRegistry }]],
    ] as const) {
      expect((await call(method, [...params])).error, method).toBeUndefined();
    }
    // The SDK over HTTP: signed transactions, receipts, logs, reads.
    const ledger = await EvmLedger.connect({ endpoint: url, addresses: network.chain.addresses, signers: network.signers, pollIntervalMs: 5 });
    try {
      await ledger.submit(VCCI, anchorAction("rpc-exposure", "CO"));
      expect(await ledger.document(documentHash("rpc-exposure"))).toMatchObject({ status: "VALID", issuer: "VCCI-HCM" });
    } finally {
      await ledger.close();
    }
  });

  it("refuses the node's control, its unlocked accounts and everything else without the token, and changes nothing", async () => {
    const before = { head: await head(), balance: await inProcess<string>("eth_getBalance", [network.chain.deployer, "latest"]) };
    const [account] = await inProcess<string[]>("eth_accounts");
    const refused: Array<[string, unknown[]]> = [
      ["evm_mine", [hex(10n ** 13n)]],
      ["evm_setAutomine", [false]],
      ["evm_setNextBlockTimestamp", [hex(now() + 3600n)]],
      ["evm_increaseTime", ["0x100"]],
      ["evm_snapshot", []],
      ["evm_revert", ["0x1"]],
      ["evm_setIntervalMining", [1000]],
      ["hardhat_mine", ["0x10"]],
      ["hardhat_setBalance", [network.chain.deployer, "0x1"]],
      ["hardhat_setCode", [network.chain.deployer, "0x00"]],
      ["hardhat_impersonateAccount", [network.chain.deployer]],
      ["hardhat_reset", []],
      ["hardhat_setLoggingEnabled", [true]],
      ["eth_sendTransaction", [{ from: account, to: new Wallet(network.registrarKey).address, value: "0x1" }]],
      ["eth_accounts", []],
      ["eth_sign", [account, "0x00"]],
      ["eth_signTypedData_v4", [account, "{}"]],
      ["personal_sign", ["0x00", account]],
      ["debug_traceTransaction", [`0x${"00".repeat(32)}`]],
      ["eth_newFilter", [{}]],
      ["admin_peers", []],
      ["no_such_method", []],
    ];
    for (const [method, params] of refused) {
      const answer = await call(method, params);
      expect(answer.result, method).toBeUndefined();
      expect(answer.error?.code, method).toBe(-32004);
      expect(answer.error?.message, method).toMatch(new RegExp(`^${method} is not served to clients: .*available only in process, or with its control token`));
      // A wrong token is no token.
      expect((await call(method, params, { authorization: "Bearer not-the-token" })).error?.code, method).toBe(-32004);
    }
    expect(await head()).toEqual(before.head);
    expect(await inProcess<string>("eth_getBalance", [network.chain.deployer, "latest"])).toBe(before.balance);
    expect(await inProcess<boolean>("hardhat_getAutomine")).toBe(true);
  });

  it("serves the node's control with the token", async () => {
    const { number } = await head();
    expect((await call("evm_mine", [], withToken)).error).toBeUndefined();
    expect(BigInt((await head()).number)).toBe(BigInt(number) + 1n);
    expect((await call("eth_accounts", [], withToken)).result).toHaveLength(20);
  });

  it("refuses a body over the limit with 413 before it has been sent, without buffering it", async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    // 150 MB, as the attack run sent: declared, then streamed without a length.
    for (const chunked of [false, true]) {
      const { head: answer, sent } = await sendLarge(url, 150 * 1024 * 1024, { chunked });
      expect(answer, `chunked: ${chunked}`).toMatch(/^HTTP\/1\.1 413 /);
      // Answered once the limit was crossed (plus what the sockets' buffers held), not after 150 MB.
      expect(sent, `chunked: ${chunked}`).toBeLessThan(MAX_REQUEST_BYTES + 16 * 1024 * 1024);
    }
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    const declared = await post("x".repeat(MAX_REQUEST_BYTES + 1));
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text)).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32600, message: `a request body may hold at most ${MAX_REQUEST_BYTES} bytes` },
    });
    // The port still serves.
    expect((await call("eth_chainId")).result).toBe("0x7a69");
  });

  it("lets a client still sending its body read the refusal: the connection ends, it is not reset", async () => {
    // Destroyed at once, the server's socket would answer the client's next bytes with a reset, which
    // a client busy writing may see before the answer (as this suite once did).
    for (const chunked of [false, true]) {
      const { head: answer, after } = await sendLarge(url, 150 * 1024 * 1024, { chunked, sendOnMs: LINGER_MS / 5 });
      expect(answer, `chunked: ${chunked}`).toMatch(/^HTTP\/1\.1 413 /);
      expect(after, `chunked: ${chunked}`).toBe("ended");
    }
    expect((await call("eth_chainId")).result).toBe("0x7a69");
  });

  it("caps a batch's calls, and runs a batch within the cap", async () => {
    const batch = (size: number) => JSON.stringify(Array.from({ length: size }, (_, id) => ({ jsonrpc: "2.0", id, method: "eth_chainId", params: [] })));
    const over = await post(batch(MAX_BATCH_CALLS + 1));
    expect(over.status).toBe(413);
    expect(JSON.parse(over.text).error).toEqual({ code: -32600, message: `a batch may hold at most ${MAX_BATCH_CALLS} calls, not ${MAX_BATCH_CALLS + 1}` });
    const within = JSON.parse((await post(batch(MAX_BATCH_CALLS))).text) as Answer[];
    expect(within).toHaveLength(MAX_BATCH_CALLS);
    expect(within.every((answer, index) => answer.id === index && answer.result === "0x7a69")).toBe(true);
    expect(JSON.parse((await post("[]")).text).error.code).toBe(-32600);
  });

  it("answers malformed JSON with a parse error and never echoes what it was sent", async () => {
    const marker = "ECHO-ME-".repeat(1000);
    const malformed = await post(`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":["${marker}"`);
    expect(JSON.parse(malformed.text)).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error: the request body is not JSON" } });
    // An id that is not a JSON-RPC id (a long string, an object) is not sent back.
    for (const id of [marker, { marker }, [marker]]) {
      const answer = await post(JSON.stringify({ jsonrpc: "2.0", id, method: "eth_chainId", params: [] }));
      expect(answer.text).not.toContain("ECHO-ME");
      expect(JSON.parse(answer.text)).toMatchObject({ id: null, result: "0x7a69" });
    }
    for (const method of [marker, "eth_getBalance"]) {
      const answer = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [marker, marker] }));
      expect(answer.text.length, method).toBeLessThan(1_200);
    }
    expect((await fetch(url)).status).toBe(405);
  });

  it("bounds what goes back: a log query's blocks and a request's answers, in words log readers split on", async () => {
    const logs = (fromBlock: string, toBlock: string) => call("eth_getLogs", [{ fromBlock, toBlock }]);
    expect((await logs("0x0", hex(MAX_LOG_BLOCKS - 1n))).error).toBeUndefined();
    const wide = await logs("0x0", hex(MAX_LOG_BLOCKS));
    expect(wide.error).toMatchObject({ code: -32005, message: expect.stringMatching(/^Requested range exceeds maximum RPC range limit/) });
    expect(refusalOf(new RpcError(wide.error!.code, wide.error!.message, undefined))).toBe("range");
    // A call to code (put there for the call only) that returns 1 MiB of zeros: 2 MiB of hex per answer,
    // so a dozen fill the request's budget.
    const to = "0x00000000000000000000000000000000000b0b0b";
    const megabyte = [{ to }, "latest", { [to]: { code: "0x621000006000f3" } }];
    const calls = Array.from({ length: 20 }, (_, id) => ({ jsonrpc: "2.0", id, method: "eth_call", params: megabyte }));
    const { status, text } = await post(JSON.stringify(calls));
    expect(status).toBe(200);
    expect(text.length).toBeLessThanOrEqual(MAX_RESPONSE_BYTES + calls.length * 1_024);
    const answers = JSON.parse(text) as Answer[];
    const answered = answers.filter((answer) => answer.result !== undefined);
    expect(answered.length).toBe(Math.floor(MAX_RESPONSE_BYTES / (2 * 2 ** 20 + 50)));
    expect(answers.slice(answered.length).map(({ error }) => error?.code)).toEqual(Array(calls.length - answered.length).fill(-32005));
    expect(refusalOf(new RpcError(-32005, answers.at(-1)!.error!.message, undefined))).toBe("size");
    expect(await call("eth_chainId")).toMatchObject({ result: "0x7a69" });
  });

  it("refuses params nested past any method's need as invalid, before the node reads them", async () => {
    const lists = nestedText(20_000);
    const objects = nestedText(20_000, "a");
    for (const [method, params] of [
      ["eth_call", `[${objects},"latest"]`],
      ["eth_getLogs", `[${lists}]`],
      ["eth_sendRawTransaction", `[${lists}]`],
    ]) {
      const answer = JSON.parse((await post(`{"jsonrpc":"2.0","id":1,"method":"${method}","params":${params}}`)).text) as Answer;
      expect(answer.error, method).toEqual({ code: -32602, message: "invalid params: they nest more than 16 deep" });
    }
    // What Ethereum's methods do nest still reaches the node: a log filter's topics, lists in a list.
    const topics = await call("eth_getLogs", [{ fromBlock: "0x0", toBlock: "0x0", topics: [[`0x${"0".repeat(64)}`], null] }]);
    expect(topics).toMatchObject({ result: [] });
  });
});

describe("off loopback", () => {
  const stub = { request: async ({ method }: { method: string }) => (method === "eth_chainId" ? "0x1" : "0x0") };

  it("refuses to listen without a token", async () => {
    await expect(serveJsonRpc(stub, { port: 0, host: "0.0.0.0" })).rejects.toThrow(/beyond this machine, only with a control token/);
  });

  it("answers only requests that carry the token, every method", async () => {
    const endpoint = await serveJsonRpc(stub, { port: 0, host: "0.0.0.0", controlToken: TOKEN });
    try {
      const ask = (headers: Record<string, string>) =>
        post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }), headers, endpoint.url);
      const refused = await ask({});
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.text).error.code).toBe(-32001);
      expect((await ask({ authorization: "Bearer wrong" })).status).toBe(401);
      const served = await ask(withToken);
      expect([served.status, JSON.parse(served.text).result]).toEqual([200, "0x1"]);
    } finally {
      await endpoint.close();
    }
  });

  it("serves the SDK that sends the token", async () => {
    const endpoint = await serveJsonRpc(network.chain.provider, { port: 0, host: "0.0.0.0", controlToken: TOKEN });
    try {
      const reader = async (token: string | undefined) => {
        const ledger = await EvmLedger.connect({ endpoint: { url: endpoint.url, token }, addresses: network.chain.addresses });
        try {
          return await ledger.document(documentHash("rpc-exposure"));
        } finally {
          await ledger.close();
        }
      };
      expect(await reader(TOKEN)).toMatchObject({ status: "VALID" });
      await expect(reader(undefined)).rejects.toThrow(/answers only requests that carry its control token/);
    } finally {
      await endpoint.close();
    }
  });
});

describe("ledger time", () => {
  it("refuses a block time more than a day ahead of the wall clock, in process and over HTTP, and mines nothing", async () => {
    const before = await head();
    const far = 10n ** 13n;
    const attempts: Array<[string, unknown[]]> = [
      ["evm_mine", [hex(far)]],
      ["evm_mine", [Number(far)]],
      ["evm_mine", [far.toString()]],
      ["evm_mine", ["0xffffffffffffffff"]],
      ["evm_setNextBlockTimestamp", [hex(now() + LEDGER_CLOCK_MAX_LEAD_SECONDS + 600n)]],
      ["evm_increaseTime", [hex(LEDGER_CLOCK_MAX_LEAD_SECONDS + 600n)]],
      ["hardhat_mine", ["0x3", hex(LEDGER_CLOCK_MAX_LEAD_SECONDS)]],
      ["evm_mine", [{ timestamp: Number(far) }]],
      ["evm_mine", [-1]],
    ];
    for (const [method, params] of attempts) {
      await expect(network.chain.provider.request({ method, params }), `${method} ${JSON.stringify(params)}`).rejects.toBeInstanceOf(LedgerClockError);
      const answer = await call(method, params, withToken);
      expect(answer.error?.code, method).toBe(-32602);
      expect(answer.error?.message, method).toMatch(new RegExp(`^${method} refused: `));
    }
    // Nested past JSON.stringify's depth: refused all the same, and quoted by what it is.
    await expect(network.chain.provider.request({ method: "evm_increaseTime", params: [nested(6_000)] })).rejects.toThrow(/refused: .*, not a list of 1$/);
    expect((await call("evm_mine", [hex(far)], withToken)).error?.message).toMatch(
      /date a block \+318857-05-20T17:46:40\.000Z .*more than 24 hours ahead of the wall clock/,
    );
    expect(await head()).toEqual(before);
    // The next block comes near the wall clock (a second after its parent at least), and a block within the lead is mined at its time.
    expect((await call("evm_mine", [], withToken)).error).toBeUndefined();
    expect(BigInt((await head()).timestamp)).toBeLessThan(now() + 600n);
    const soon = now() + 3_600n;
    expect((await call("evm_mine", [hex(soon)], withToken)).error).toBeUndefined();
    expect(BigInt((await head()).timestamp)).toBe(soon);
  });
});

describe("a chain that already holds a block far ahead (mined past the guard, as an older journal may hold)", () => {
  it("still verifies with the CLI, printing the time the ledger recorded", async () => {
    await inProcess("evm_mine", [hex(10n ** 13n)]);
    const ledger = await EvmLedger.connect({ endpoint: network.chain.provider, addresses: network.chain.addresses, signers: network.signers });
    try {
      await ledger.submit(VCCI, anchorAction("far-ahead", "CO"));
    } finally {
      await ledger.close();
    }
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      TRACEGATE_RPC_URL: url,
      TRACEGATE_REGISTRY: network.chain.addresses.TraceGateRegistry,
      TRACEGATE_CUSTODY: network.chain.addresses.CustodyRegistry,
    };
    const code = await main(["verify", documentHash("far-ahead"), "--json"], {
      env,
      cwd: process.cwd(),
      stdout: { write: (chunk) => out.push(String(chunk)) },
      stderr: { write: (chunk) => err.push(String(chunk)) },
    });
    expect([code, err.join("")]).toEqual([0, ""]);
    expect(JSON.parse(out.join(""))).toMatchObject({ verdict: "VALID", anchor: { anchoredAt: expect.stringMatching(/^\+318857-05-20T17:46:4\d\.000Z$/) } });
  });
});
