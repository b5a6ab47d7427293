/**
 * JSON-RPC with batches: the SDK transport (`rpc.ts`, HTTP or an in-process EIP-1193
 * provider) plus batches, for readers of block headers by the thousand (the indexer) and writers of blocks (seeds).
 */
import { eip1193Rpc, httpRpc, httpTarget, RpcError, type Eip1193Provider, type Endpoint, type HttpEndpoint, type Rpc } from "./rpc.js";

export interface BatchRpc extends Rpc {
  /** Several calls at once (one HTTP request per few hundred); results in the order of the calls. */
  batch<T>(calls: ReadonlyArray<[method: string, params: unknown[]]>): Promise<T[]>;
}

/** Calls per HTTP request in a batch: nodes cap batch sizes (geth: 1,000). */
const CALLS_PER_REQUEST = 500;

interface Answer {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export function httpBatchRpc(endpoint: string | HttpEndpoint): BatchRpc {
  const { url, headers } = httpTarget(endpoint);
  let nextId = 1;
  async function post(calls: ReadonlyArray<[string, unknown[]]>): Promise<unknown[]> {
    const requests = calls.map(([method, params]) => ({ jsonrpc: "2.0", id: nextId++, method, params }));
    const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(requests) });
    if (!response.ok) throw new Error(`the JSON-RPC endpoint ${url} answered a batch with HTTP ${response.status}`);
    const answers = new Map(((await response.json()) as Answer[]).map((answer) => [answer.id, answer]));
    return requests.map(({ id, method }) => {
      const answer = answers.get(id);
      if (answer === undefined) throw new Error(`the JSON-RPC endpoint ${url} left ${method} unanswered in a batch`);
      if (answer.error !== undefined) throw new RpcError(answer.error.code, answer.error.message, answer.error.data);
      return answer.result;
    });
  }
  return {
    ...httpRpc(endpoint),
    async batch<T>(calls: ReadonlyArray<[string, unknown[]]>) {
      const results: unknown[] = [];
      for (let start = 0; start < calls.length; start += CALLS_PER_REQUEST) results.push(...(await post(calls.slice(start, start + CALLS_PER_REQUEST))));
      return results as T[];
    },
  };
}

/** An in-process provider: a batch is its calls one after the other, as a node runs a JSON-RPC batch (later calls may read what earlier ones wrote). */
export function providerBatchRpc(provider: Eip1193Provider): BatchRpc {
  const rpc = eip1193Rpc(provider);
  return {
    ...rpc,
    async batch<T>(calls: ReadonlyArray<[string, unknown[]]>) {
      const results: T[] = [];
      for (const [method, params] of calls) results.push(await rpc.request<T>(method, params));
      return results;
    },
  };
}

/** A URL's endpoint over HTTP, or a provider in process. */
export function openBatchRpc(endpoint: Endpoint): BatchRpc {
  return "request" in Object(endpoint) ? providerBatchRpc(endpoint as Eip1193Provider) : httpBatchRpc(endpoint as string | HttpEndpoint);
}
