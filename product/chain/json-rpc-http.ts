/**
 * An in-process EIP-1193 provider served as a JSON-RPC endpoint over HTTP, following the conventions
 * of Hardhat's own node (a revert is error code 3 whose `data` is the raw revert data), but serving a
 * permissioned chain's client surface only: the methods of PUBLIC_RPC_METHODS to any caller it
 * accepts, everything else (the node's control, its unlocked accounts) only with the control token as
 * `Authorization: Bearer <token>`. Off loopback every request needs the token. Bodies and batches are
 * bounded (MAX_REQUEST_BYTES, MAX_BATCH_CALLS), and so is what goes back: a log query spans at most
 * MAX_LOG_BLOCKS blocks, and the answers to one request at most MAX_RESPONSE_BYTES, each refused with
 * the words of the nodes that set such limits (Besu, geth), which log readers know to split on. Calls
 * that run contract code for a caller without the token wait their turn at an ExecutionGate, behind
 * the node's own requests (execution-gate.ts).
 * (Hardhat's `network.createServer` serves a chain of its own making; the embedded chain must be
 * deployed in process first, or Ignition would journal the deployment as if it were a persistent network.)
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP, type AddressInfo } from "node:net";
import { nestsDeeperThan } from "../../domain/json-shapes.js";
import { EXECUTING_METHODS, ExecutionGate } from "./execution-gate.js";
import { PUBLIC_RPC_METHODS } from "./public-rpc-methods.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";
import { createLingeringServer } from "../../sdk/lingering-close.js";

/** The largest request body read, as geth's: a batch of 500 signed transactions fits several times over. */
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
/** The most calls in one batch, as geth's (the SDK sends at most 500). */
export const MAX_BATCH_CALLS = 1_000;
/** The most bytes of answers to one request, as geth's `--rpc.batch-response-max-size`. */
export const MAX_RESPONSE_BYTES = 25_000_000;
/** The widest block range of one eth_getLogs, as the indexer's default batch. */
export const MAX_LOG_BLOCKS = 10_000n;
/** An answer this small always goes back, whatever the batch sent before it (a transaction's hash). */
const SMALL_ANSWER_BYTES = 1_024;
/** An error message is cut to this: node messages may quote what they were sent. */
const MAX_MESSAGE_CHARS = 1_000;

/** EIP-1474 "method not supported". */
const METHOD_NOT_SUPPORTED = -32004;
/**
 * How deep a call's params may nest: Ethereum's methods need 5 at most (a call's access list). Deeper
 * params are refused before the node sees them, which would fail past the call stack's depth.
 */
const MAX_PARAMS_DEPTH = 16;
const UNAUTHORISED = -32001;
/** EIP-1474 "limit exceeded". */
const LIMIT_EXCEEDED = -32005;

export interface JsonRpcServeOptions {
  /** 0: any free port. */
  port: number;
  /** Default 127.0.0.1; any other address than loopback needs `controlToken`, and every request must carry it. */
  host?: string;
  /** The bearer token that opens the methods beyond PUBLIC_RPC_METHODS; without one they are refused over HTTP. */
  controlToken?: string;
  /**
   * Runs a batch's calls (`work`) on the provider it gives, resolving when their answers may go out:
   * a journaled chain's `JournalingProvider.batch`, which waits for the disk once for all the blocks
   * they made. Without it, each call runs on `provider`.
   */
  batch?: <T>(work: (provider: Eip1193Provider) => Promise<T>) => Promise<T>;
  /**
   * Orders the executing calls of callers without the token (eth_call, eth_estimateGas), behind the
   * requests of its `foreground` provider (default: a gate of this server's own, with no foreground).
   */
  gate?: ExecutionGate;
  /** Where a failure of the server itself goes (default: stderr). */
  logError?: (error: unknown) => void;
}

export interface JsonRpcEndpoint {
  url: string;
  close(): Promise<void>;
}

interface Call {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

/** A refusal before any call runs: the HTTP status and the one JSON-RPC error. */
class Refusal {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly message: string,
  ) {}
}

export async function serveJsonRpc(provider: Eip1193Provider, options: JsonRpcServeOptions): Promise<JsonRpcEndpoint> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopback(host);
  const token = options.controlToken === undefined ? undefined : Buffer.from(options.controlToken);
  const gate = options.gate ?? new ExecutionGate();
  if (!loopback && token === undefined)
    throw new Error(`the chain's JSON-RPC may listen on ${host}, beyond this machine, only with a control token that every request must carry`);

  const server = createLingeringServer(
    async (request, response) => {
      const authorised = token !== undefined && bearerMatches(request.headers.authorization, token);
      let body: unknown;
      try {
        if (request.method !== "POST") throw new Refusal(405, -32600, "JSON-RPC is served by POST only");
        if (!loopback && !authorised)
          throw new Refusal(401, UNAUTHORISED, "this node answers only requests that carry its control token (Authorization: Bearer <token>)");
        body = parse(await readBody(request));
        if (Array.isArray(body) && body.length > MAX_BATCH_CALLS)
          throw new Refusal(413, -32600, `a batch may hold at most ${MAX_BATCH_CALLS} calls, not ${body.length}`);
        if (Array.isArray(body) && body.length === 0) throw new Refusal(200, -32600, "an empty batch is not a JSON-RPC request");
      } catch (error) {
        // Anything but a refusal is the client going away mid-request: nothing to answer.
        return error instanceof Refusal ? refuse(response, error) : void request.destroy();
      }
      // A batch runs in order: its calls may depend on each other (nonces on a chain that mines on arrival).
      const calls = (Array.isArray(body) ? body : [body]) as Array<Call | undefined>;
      const run = async (target: Eip1193Provider) => {
        const answers = new AnswerBudget();
        for (const call of calls) {
          if (answers.spent) answers.push(tooLarge(call, "this call was not run"));
          else answers.push(await answer(target, call, authorised, gate), call);
        }
        return answers.texts;
      };
      let answers: string[];
      try {
        answers = options.batch === undefined ? await run(provider) : await options.batch(run);
      } catch (thrown) {
        // The batch's blocks could not be made durable: none of its calls is acknowledged.
        answers = calls.map((call) => JSON.stringify(failure(idOf(call), -32603, thrown instanceof Error ? thrown.message : String(thrown))));
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(Array.isArray(body) ? `[${answers.join(",")}]` : answers[0]);
    },
    options.logError ?? ((error) => console.error("chain JSON-RPC: internal error:", error)),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

/**
 * The answers of one request as their JSON texts, within MAX_RESPONSE_BYTES: an answer that would take
 * them past it is refused instead (the call was a read: a write's answer is small and always fits), and
 * once they are past it the calls left are not run.
 */
class AnswerBudget {
  readonly texts: string[] = [];
  private bytes = 0;

  get spent(): boolean {
    return this.bytes >= MAX_RESPONSE_BYTES;
  }

  push(answer: object, call?: Call | undefined): void {
    let text: string;
    try {
      text = JSON.stringify(answer);
    } catch {
      text = ""; // past the longest string V8 makes: far past the budget
    }
    if (text === "" || (text.length > SMALL_ANSWER_BYTES && this.bytes + text.length > MAX_RESPONSE_BYTES))
      text = JSON.stringify(tooLarge(call, "ask for fewer blocks, or split the batch"));
    this.bytes += text.length;
    this.texts.push(text);
  }
}

function tooLarge(call: Call | undefined, advice: string) {
  return failure(idOf(call), LIMIT_EXCEEDED, `response size exceeded: the answers to one request may hold at most ${MAX_RESPONSE_BYTES} bytes; ${advice}`);
}

function failure(id: unknown, code: number, message: string, data?: unknown) {
  return { jsonrpc: "2.0", id, error: { code, message: cut(message), data } };
}

async function answer(provider: Eip1193Provider, call: Call | undefined, authorised: boolean, gate: ExecutionGate) {
  const id = idOf(call);
  const error = (code: number, message: string, data?: unknown) => failure(id, code, message, data);
  if (typeof call?.method !== "string" || call.method.length > 100) return error(-32600, "invalid JSON-RPC request: it needs a method name");
  const { method } = call;
  if (!authorised && !PUBLIC_RPC_METHODS.has(method)) {
    return error(
      METHOD_NOT_SUPPORTED,
      `${method} is not served to clients: the node's own control and accounts are available only in process, or with its control token (Authorization: Bearer <token>). Send signed transactions with eth_sendRawTransaction`,
    );
  }
  if (nestsDeeperThan(call.params, MAX_PARAMS_DEPTH)) return error(-32602, `invalid params: they nest more than ${MAX_PARAMS_DEPTH} deep`);
  try {
    if (method === "eth_getLogs" && (await logBlocks(provider, call.params)) > MAX_LOG_BLOCKS)
      return error(LIMIT_EXCEEDED, `Requested range exceeds maximum RPC range limit: ask for at most ${MAX_LOG_BLOCKS} blocks at once`);
    const request = { method, params: Array.isArray(call.params) ? call.params : [] };
    const result = await (!authorised && EXECUTING_METHODS.has(method) ? gate.run(() => provider.request(request)) : provider.request(request));
    return { jsonrpc: "2.0", id, result: result ?? null };
  } catch (thrown) {
    const { code, message, data } = thrown as { code?: unknown; message?: unknown; data?: unknown };
    return error(typeof code === "number" ? code : -32603, String(message ?? thrown), typeof data === "string" ? data : undefined);
  }
}

/** How many blocks an eth_getLogs filter spans (1 for a block hash); the node refuses a malformed one itself. */
async function logBlocks(provider: Eip1193Provider, params: unknown): Promise<bigint> {
  const filter = Array.isArray(params) ? (params[0] as { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown } | undefined) : undefined;
  if (typeof filter !== "object" || filter === null || filter.blockHash !== undefined) return 1n;
  const head = async () => BigInt((await provider.request({ method: "eth_blockNumber", params: [] })) as string);
  const number = async (tag: unknown) => {
    if (tag === undefined || tag === "latest" || tag === "safe" || tag === "finalized" || tag === "pending") return head();
    if (tag === "earliest") return 0n;
    return typeof tag === "string" && /^0x[0-9a-f]{1,16}$/i.test(tag) ? BigInt(tag) : undefined;
  };
  const [from, to] = [await number(filter.fromBlock), await number(filter.toBlock)];
  return from === undefined || to === undefined || to < from ? 1n : to - from + 1n;
}

/** The call's id as JSON-RPC allows it (a number, a short string, null); anything else is not sent back. */
function idOf(call: Call | undefined): unknown {
  const id = call?.id;
  return typeof id === "number" || (typeof id === "string" && id.length <= 100) ? id : null;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal(200, -32700, "parse error: the request body is not JSON");
  }
}

/**
 * The body, refused with 413 as soon as it is known to exceed MAX_REQUEST_BYTES: by its Content-Length,
 * or as it streams (then reading stops; the rest is never buffered).
 */
function readBody(request: IncomingMessage): Promise<string> {
  const tooLarge = new Refusal(413, -32600, `a request body may hold at most ${MAX_REQUEST_BYTES} bytes`);
  if (Number(request.headers["content-length"] ?? 0) > MAX_REQUEST_BYTES) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) return void chunks.push(chunk);
      request.off("data", onData).pause();
      chunks.length = 0;
      reject(tooLarge);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
    request.once("close", () => reject(new Error("the client closed the request before its end")));
  });
}

/**
 * Answers a refusal and closes the connection: what the client still sends is not read. The server
 * lingers on the close (sdk/lingering-close.ts), so a client still sending reads the answer.
 */
function refuse(response: ServerResponse, refusal: Refusal): void {
  const headers: Record<string, string> = { "content-type": "application/json", connection: "close" };
  if (refusal.status === 401) headers["www-authenticate"] = "Bearer";
  if (refusal.status === 405) headers.allow = "POST";
  response.writeHead(refusal.status, headers);
  response.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: refusal.code, message: refusal.message } }));
}

function bearerMatches(header: string | undefined, token: Buffer): boolean {
  const presented = Buffer.from(/^Bearer (\S+)$/i.exec(header ?? "")?.[1] ?? "");
  return presented.length === token.length && timingSafeEqual(presented, token);
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function cut(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS)}…`;
}
