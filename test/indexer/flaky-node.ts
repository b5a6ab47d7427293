/**
 * A node that fails the ways real endpoints do: a real HTTP server in front of the product's JSON-RPC
 * server (over the in-process chain), which can stop listening (connection refused), drop the
 * connection mid-request, answer HTTP 503 or 429, answer something that is not JSON, hang, lag some
 * blocks behind the chain, serve another chain id, or refuse batches whole (one JSON-RPC error, as a
 * node capping batch sizes does). It counts the methods it was asked.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { serveJsonRpc, type JsonRpcEndpoint } from "../../product/chain/json-rpc-http.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";

export type Failure = "503" | "429" | "not json" | "hang" | "drop" | "batches refused";

export interface FlakyNode {
  url: string;
  /** Methods asked (a batch: each of its calls), whether answered or failed. */
  asked: string[];
  /** Fail every request this way from now on (undefined: serve). */
  fail(failure: Failure | undefined): void;
  /** Serve the next `requests` HTTP requests, then drop each connection and stop listening. */
  dieAfter(requests: number): void;
  /** Stop listening: connections are refused. */
  stop(): Promise<void>;
  /** Listen again, on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface FlakyNodeOptions {
  /** Answer eth_chainId with this instead. */
  chainId?: bigint;
  /** Pretend to be this many blocks behind: a lower eth_blockNumber, and no logs nor blocks past it. */
  behind?: bigint;
}

export async function serveFlakyNode(provider: Eip1193Provider, options: FlakyNodeOptions = {}): Promise<FlakyNode> {
  const asked: string[] = [];
  const head = async () => BigInt((await provider.request({ method: "eth_blockNumber" })) as string) - (options.behind ?? 0n);
  const node: Eip1193Provider = {
    async request({ method, params }) {
      if (method === "eth_chainId" && options.chainId !== undefined) return `0x${options.chainId.toString(16)}`;
      if (options.behind !== undefined) {
        const top = await head();
        if (method === "eth_blockNumber") return `0x${top.toString(16)}`;
        if (method === "eth_getLogs") {
          const filter = (params as [{ toBlock: string }])[0];
          const to = BigInt(filter.toBlock) < top ? filter.toBlock : `0x${top.toString(16)}`;
          return provider.request({ method, params: [{ ...filter, toBlock: to }] });
        }
        if (method === "eth_getBlockByNumber" && (params as [string])[0] !== "latest" && BigInt((params as [string])[0]) > top) return null;
      }
      return provider.request({ method, params });
    },
  };
  const backend: JsonRpcEndpoint = await serveJsonRpc(node, { port: 0 });
  let failure: Failure | undefined;
  let servesLeft = Infinity;
  const sockets = new Set<Socket>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const calls = [JSON.parse(body) as { method: string } | Array<{ method: string }>].flat();
    asked.push(...calls.map(({ method }) => method));
    if (servesLeft-- <= 0) {
      request.socket.destroy();
      await stop();
      return;
    }
    switch (failure) {
      case "503":
      case "429":
        response.writeHead(Number(failure), { "content-type": "text/html" }).end("<html>busy</html>");
        return;
      case "not json":
        response.writeHead(200, { "content-type": "application/json" }).end("{ not json");
        return;
      case "hang":
        return; // the client gives up
      case "drop":
        request.socket.destroy();
        return;
      case "batches refused":
        if (body.trimStart().startsWith("[")) {
          response
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "batch too large" } }));
          return;
        }
    }
    const answer = await fetch(backend.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
  };

  let server: Server;
  let port = 0;
  const listen = async () => {
    server = createServer((request, response) => void handle(request, response));
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    asked,
    fail: (next) => (failure = next),
    dieAfter: (requests) => (servesLeft = requests),
    stop,
    restart: async () => {
      servesLeft = Infinity;
      await listen();
    },
    close: async () => {
      if (server.listening) await stop();
      await backend.close();
    },
  };
}
