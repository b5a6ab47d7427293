/**
 * The JSON-RPC transport of the EVM ledger: an HTTP endpoint (Besu, Quorum, a Hardhat node) or an
 * in-process EIP-1193 provider (Hardhat's EDR). Deliberately not ethers' JsonRpcProvider, whose
 * response cache, 10 ms batching stall and endless network detection (an unreachable URL retries
 * forever) get in the way of pipelined sends and of clear errors; ethers still signs and encodes.
 */
import { LedgerUnavailableError } from "../ledger.js";

export interface Rpc {
  request<T>(method: string, params?: readonly unknown[]): Promise<T>;
}

/** What an EIP-1193 provider offers (Hardhat's `connection.provider`). */
export interface Eip1193Provider {
  request(request: { method: string; params?: readonly unknown[] }): Promise<unknown>;
}

/** A JSON-RPC error response; `data` carries a revert's return data. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data: unknown,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

/** A JSON-RPC URL with the bearer token its node asks for (the embedded chain's control token). */
export interface HttpEndpoint {
  url: string;
  token?: string;
}

/** Where a chain answers: a URL, a URL with a token, or an in-process provider. */
export type Endpoint = string | HttpEndpoint | Eip1193Provider;

/** The transport for an endpoint. */
export function openRpc(endpoint: Endpoint): Rpc {
  return "request" in Object(endpoint) ? eip1193Rpc(endpoint as Eip1193Provider) : httpRpc(endpoint as string | HttpEndpoint);
}

/** The URL and request headers of an HTTP endpoint. */
export function httpTarget(endpoint: string | HttpEndpoint): { url: string; headers: Record<string, string> } {
  const { url, token } = typeof endpoint === "string" ? { url: endpoint, token: undefined } : endpoint;
  return { url, headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } };
}

export function eip1193Rpc(provider: Eip1193Provider): Rpc {
  return { request: async <T>(method: string, params: readonly unknown[] = []) => (await provider.request({ method, params })) as T };
}

export function httpRpc(endpoint: string | HttpEndpoint, timeoutMs = 30_000): Rpc {
  const { url, headers } = httpTarget(endpoint);
  let id = 0;
  return {
    async request<T>(method: string, params: readonly unknown[] = []): Promise<T> {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers,
          body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        throw new LedgerUnavailableError(`cannot reach the JSON-RPC endpoint ${url}: is the node running and the URL right?`, { cause });
      }
      const body = (await response.json().catch(() => undefined)) as
        | { result?: unknown; error?: { code: number; message: string; data?: unknown } }
        | undefined;
      if (body?.error !== undefined) throw new RpcError(body.error.code, body.error.message, body.error.data);
      if (!response.ok || body === undefined || !("result" in body)) {
        throw new LedgerUnavailableError(`the JSON-RPC endpoint ${url} answered ${method} with HTTP ${response.status} and no result`);
      }
      return body.result as T;
    },
  };
}
