/**
 * JSON-RPC with batches, for readers of block headers by the thousand (the indexer) and writers of
 * blocks (seeds): over HTTP (rpc.ts; several endpoints: endpoints.ts) or an in-process EIP-1193 provider.
 */
import { eip1193Rpc, httpRpc, openEndpoints, type BatchRpc, type Eip1193Provider, type Endpoint, type HttpEndpoint } from "./rpc.js";

export type { BatchRpc } from "./rpc.js";

/** One HTTP endpoint; the SDK's HTTP transport batches. */
export function httpBatchRpc(endpoint: string | HttpEndpoint): BatchRpc {
  return httpRpc(endpoint);
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

/** A URL's endpoint over HTTP (several: the first that is up, the next when it fails), or a provider in process. */
export function openBatchRpc(endpoint: Endpoint): BatchRpc {
  if (Array.isArray(endpoint)) return openEndpoints(endpoint, { spread: false });
  return "request" in Object(endpoint) ? providerBatchRpc(endpoint as Eip1193Provider) : httpBatchRpc(endpoint as string | HttpEndpoint);
}
