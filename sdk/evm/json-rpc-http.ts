/**
 * An in-process EIP-1193 provider served as a JSON-RPC endpoint over HTTP on 127.0.0.1, following the
 * conventions of Hardhat's own node: a revert is error code 3 whose `data` is the raw revert data.
 * (Hardhat's `network.createServer` serves a chain of its own making; the embedded chain must be
 * deployed in process first, or Ignition would journal the deployment as if it were a persistent network.)
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Eip1193Provider } from "./rpc.js";

interface Request {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export interface JsonRpcEndpoint {
  url: string;
  close(): Promise<void>;
}

export async function serveJsonRpc(provider: Eip1193Provider, port: number): Promise<JsonRpcEndpoint> {
  const server = createServer(async (request, response) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      body = undefined;
    }
    // A batch runs in order: its calls may depend on each other (nonces on a chain that mines on arrival).
    const answers = [];
    for (const call of Array.isArray(body) ? body : [body]) answers.push(await answer(provider, call as Request));
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

async function answer(provider: Eip1193Provider, call: Request | undefined) {
  const id = call?.id ?? null;
  if (typeof call?.method !== "string") return { jsonrpc: "2.0", id, error: { code: -32600, message: "invalid JSON-RPC request" } };
  try {
    const result = await provider.request({ method: call.method, params: Array.isArray(call.params) ? call.params : [] });
    return { jsonrpc: "2.0", id, result: result ?? null };
  } catch (error) {
    const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
    return { jsonrpc: "2.0", id, error: { code: typeof code === "number" ? code : -32603, message: String(message ?? error), data: typeof data === "string" ? data : undefined } };
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
