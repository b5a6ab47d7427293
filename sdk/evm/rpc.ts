/**
 * The JSON-RPC transport of the EVM ledger: an HTTP endpoint (Besu, Quorum, a Hardhat node) or an
 * in-process EIP-1193 provider (Hardhat's EDR). Deliberately not ethers' JsonRpcProvider, whose
 * response cache, 10 ms batching stall and endless network detection (an unreachable URL retries
 * forever) get in the way of pipelined sends and of clear errors; ethers still signs and encodes.
 */
import { EndpointError, endpointLabel, EndpointPool, type EndpointPoolOptions, type EndpointStatus } from "./endpoints.js";

export interface Rpc {
  request<T>(method: string, params?: readonly unknown[]): Promise<T>;
  /** Each endpoint's state, for a transport over several (endpoints.ts). */
  status?(): readonly EndpointStatus[];
}

export interface BatchRpc extends Rpc {
  /** Several calls at once (one HTTP request per few hundred); results in the order of the calls. */
  batch<T>(calls: ReadonlyArray<[method: string, params: unknown[]]>): Promise<T[]>;
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

/**
 * Where a chain answers: a URL, a URL with a token, several of them (endpoints.ts: tried in list
 * order, the next when one fails), or an in-process provider.
 */
export type Endpoint = string | HttpEndpoint | ReadonlyArray<string | HttpEndpoint> | Eip1193Provider;

/** The transport for an endpoint. */
export function openRpc(endpoint: Endpoint): Rpc {
  if (Array.isArray(endpoint)) return openEndpoints(endpoint, { spread: false });
  return "request" in Object(endpoint) ? eip1193Rpc(endpoint as Eip1193Provider) : httpRpc(endpoint as string | HttpEndpoint);
}

/** Several URLs of one chain as one transport (endpoints.ts), each request timed out after `timeoutMs`. */
export function openEndpoints(
  endpoints: ReadonlyArray<string | HttpEndpoint>,
  { timeoutMs, ...options }: EndpointPoolOptions & { timeoutMs?: number } = {},
): EndpointPool {
  return new EndpointPool(
    endpoints.map((endpoint) => ({ label: endpointLabel(httpTarget(endpoint).url), rpc: httpRpc(endpoint, timeoutMs) })),
    options,
  );
}

/** The URL and request headers of an HTTP endpoint. */
export function httpTarget(endpoint: string | HttpEndpoint): { url: string; headers: Record<string, string> } {
  const { url, token } = typeof endpoint === "string" ? { url: endpoint, token: undefined } : endpoint;
  return { url, headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } };
}

export function eip1193Rpc(provider: Eip1193Provider): Rpc {
  return { request: async <T>(method: string, params: readonly unknown[] = []) => (await provider.request({ method, params })) as T };
}

/** Calls per HTTP request in a batch: nodes cap batch sizes (geth: 1,000). */
const CALLS_PER_REQUEST = 500;

/** HTTP statuses that say the endpoint cannot serve now, whatever the request (rate limit, gateway, overload). */
const UNAVAILABLE = new Set([429, 502, 503, 504]);

/** Connection failures before anything was sent: no node saw the request ("bad port": fetch refuses to dial it). */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "bad port"]);

/**
 * A kept-alive connection closed under a request, unanswered ("other side closed"): the node closed it
 * as idle as the request arrived, or while this process was held (a long synchronous transaction) past
 * the node's idle timeout. As Go's HTTP client does, a read lost so on a connection that had carried
 * an answer before is sent again, up to RESENDS_ON_CLOSED times (each such connection tried is gone
 * from the pool); one lost on a new connection is the node's failure. A transaction is never sent
 * again (the node may have taken it).
 */
const RESENDS_ON_CLOSED = 3;

function lostOnKeptAliveConnection(error: unknown): boolean {
  // undici's SocketError carries what its socket had read: an earlier answer, on a connection kept alive.
  const cause = (error as { cause?: { code?: unknown; socket?: { bytesRead?: unknown } } } | undefined)?.cause;
  return cause?.code === "UND_ERR_SOCKET" && typeof cause.socket?.bytesRead === "number" && cause.socket.bytesRead > 0;
}

/** Calls that must not be sent twice. */
const SENDS = new Set(["eth_sendRawTransaction", "eth_sendTransaction"]);

interface Answer {
  id?: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * JSON-RPC over HTTP, one call or a batch. A JSON-RPC error answer throws RpcError (the request's
 * fault: a revert, a refused range); an endpoint that cannot be reached, does not answer within
 * `timeoutMs`, answers HTTP 429/502/503/504 or something that is not JSON-RPC throws EndpointError
 * (a LedgerUnavailableError), which endpoints.ts fails over on.
 */
export function httpRpc(endpoint: string | HttpEndpoint, timeoutMs = 30_000): BatchRpc {
  const { url, headers } = httpTarget(endpoint);
  const label = endpointLabel(url);
  let nextId = 1;
  const failure = (reason: string, reached: boolean, message: string, cause?: unknown) =>
    new EndpointError(label, reason, reached, message, cause === undefined ? undefined : { cause });
  const timedOut = (what: string, cause: unknown) =>
    failure(`did not answer within ${timeoutMs / 1000} s`, true, `the JSON-RPC endpoint ${label} did not answer ${what} within ${timeoutMs / 1000} s`, cause);

  const fetchOnce = (body: unknown) => fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  const unreachable = (what: string, cause: unknown) => {
    if (isTimeout(cause)) return timedOut(what, cause);
    const why = failureOf(cause);
    return failure(
      `cannot be reached${why === undefined ? "" : ` (${why})`}`,
      why === undefined || !NOT_SENT.has(why),
      `cannot reach the JSON-RPC endpoint ${label}: is the node running and the URL right?`,
      cause,
    );
  };

  /** `readOnly`: no call in `body` is a send, so a request lost on a closed connection may go again. */
  async function post(body: unknown, what: string, readOnly: boolean): Promise<{ status: number; answer: unknown }> {
    let response: Response | undefined;
    for (let resends = 0; response === undefined; resends++) {
      try {
        response = await fetchOnce(body);
      } catch (cause) {
        if (!readOnly || resends === RESENDS_ON_CLOSED || !lostOnKeptAliveConnection(cause)) throw unreachable(what, cause);
      }
    }
    if (UNAVAILABLE.has(response.status)) {
      await response.body?.cancel();
      throw failure(`answered HTTP ${response.status}`, true, `the JSON-RPC endpoint ${label} answered ${what} with HTTP ${response.status}`);
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch (cause) {
      if (isTimeout(cause)) throw timedOut(what, cause);
      throw failure(
        `answered HTTP ${response.status} with no JSON`,
        true,
        `the JSON-RPC endpoint ${label} answered ${what} with HTTP ${response.status} and no JSON-RPC answer`,
        cause,
      );
    }
    return { status: response.status, answer };
  }

  /** The call's result, its JSON-RPC error, or an EndpointError when the answer is not JSON-RPC. */
  const resultOf = (answer: unknown, status: number, what: string): unknown => {
    const { error } = (answer ?? {}) as Answer;
    if (error !== undefined && error !== null && typeof error.message === "string") throw new RpcError(error.code, error.message, error.data);
    if (status < 200 || status > 299 || typeof answer !== "object" || answer === null || !("result" in answer)) {
      throw failure(`answered HTTP ${status} and no result`, true, `the JSON-RPC endpoint ${label} answered ${what} with HTTP ${status} and no result`);
    }
    return (answer as Answer).result;
  };

  async function postBatch(calls: ReadonlyArray<[string, unknown[]]>): Promise<unknown[]> {
    const requests = calls.map(([method, params]) => ({ jsonrpc: "2.0", id: nextId++, method, params }));
    const readOnly = calls.every(([method]) => !SENDS.has(method));
    const { status, answer } = await post(requests, "a batch", readOnly);
    if (!Array.isArray(answer)) {
      // A node that refuses the batch as a whole answers one error (a batch too large): the request's fault.
      resultOf(answer, status, "a batch");
      throw failure("answered a batch with no list", true, `the JSON-RPC endpoint ${label} answered a batch with one answer, not a list`);
    }
    const answers = new Map((answer as Answer[]).map((one) => [one?.id, one]));
    return requests.map(({ id, method }) => {
      const one = answers.get(id);
      if (one === undefined) throw failure("left a call of a batch unanswered", true, `the JSON-RPC endpoint ${label} left ${method} unanswered in a batch`);
      return resultOf(one, status, method);
    });
  }

  return {
    async request<T>(method: string, params: readonly unknown[] = []): Promise<T> {
      const { status, answer } = await post({ jsonrpc: "2.0", id: nextId++, method, params }, method, !SENDS.has(method));
      return resultOf(answer, status, method) as T;
    },
    async batch<T>(calls: ReadonlyArray<[string, unknown[]]>) {
      const results: unknown[] = [];
      for (let start = 0; start < calls.length; start += CALLS_PER_REQUEST) results.push(...(await postBatch(calls.slice(start, start + CALLS_PER_REQUEST))));
      return results as T[];
    },
  };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || (error.cause instanceof Error && error.cause.name === "TimeoutError"));
}

/** Why a fetch failed: the system error code (undici puts it on the cause, or on each of an AggregateError's errors), else the cause's message. */
function failureOf(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; message?: unknown; errors?: Array<{ code?: unknown }> } } | undefined)?.cause;
  const why = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message;
  return typeof why === "string" && why !== "" ? why : undefined;
}
