/**
 * A node may close a kept-alive connection just as a request arrives on it: its idle timer fired (Node's
 * server after 5 s, proxies and hosted nodes after their own), or it was held and ran that timer first.
 * The request is then lost unanswered ("other side closed"), and the node never saw it. A read is sent
 * again once on a new connection instead of failing as "cannot reach the endpoint" (which would make
 * an endpoint pool fail over from a healthy node); a transaction is never sent twice: the failure is
 * the caller's to judge. The node here closes every connection when a second request arrives on it,
 * unanswered: each request of these sequential ones finds the connection of the one before it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EndpointError } from "../../sdk/evm/endpoints.js";
import { httpRpc } from "../../sdk/evm/rpc.js";

const calls = new Map<string, number>();
const requestsOn = new WeakMap<Socket, number>();
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const seen = (requestsOn.get(request.socket) ?? 0) + 1;
    requestsOn.set(request.socket, seen);
    if (seen > 1) {
      request.socket.destroy();
      return;
    }
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const parsed = JSON.parse(body) as { id: number; method: string } | Array<{ id: number; method: string }>;
      const answer = (call: { id: number; method: string }) => {
        calls.set(call.method, (calls.get(call.method) ?? 0) + 1);
        return { jsonrpc: "2.0", id: call.id, result: "0x1" };
      };
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)));
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.closeAllConnections();
  server?.close();
});

/** Lets the client put the connection of the request before back in its pool, so the next one takes it. */
const pooled = () => new Promise((resolve) => setImmediate(resolve));

describe("a kept-alive connection the node closes as a request arrives", () => {
  it("is not the endpoint failing: a read goes again on a new connection, alone or in a batch", async () => {
    const rpc = httpRpc(url);
    calls.clear();
    for (let round = 0; round < 3; round++) {
      expect(await rpc.request<string>("eth_blockNumber")).toBe("0x1");
      await pooled();
      expect(await rpc.request<string>("eth_chainId")).toBe("0x1");
      await pooled();
      expect(
        await rpc.batch<string>([
          ["eth_blockNumber", []],
          ["eth_getBlockByNumber", ["0x1", false]],
        ]),
      ).toEqual(["0x1", "0x1"]);
      await pooled();
    }
    // Each answered once: the lost requests never reached the handler.
    expect(Object.fromEntries(calls)).toEqual({ eth_blockNumber: 6, eth_chainId: 3, eth_getBlockByNumber: 3 });
  });

  it("sends a transaction once: the lost send is an EndpointError, never a second send", async () => {
    const rpc = httpRpc(url);
    calls.clear();
    await rpc.request("eth_blockNumber");
    await pooled();
    await expect(rpc.request("eth_sendRawTransaction", ["0x00"])).rejects.toBeInstanceOf(EndpointError);
    await rpc.request("eth_blockNumber");
    await pooled();
    await expect(rpc.batch([["eth_sendRawTransaction", ["0x00"]]])).rejects.toBeInstanceOf(EndpointError);
    expect(calls.get("eth_sendRawTransaction")).toBeUndefined();
  });
});
