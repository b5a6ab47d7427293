/**
 * Several JSON-RPC endpoints of one chain as one transport: reads spread over the endpoints that are
 * up (each read to the one that was sent the fewest calls, a batch counting each of its calls, so that
 * the indexer's batches of thousands of headers spread as well as its single calls); an endpoint that
 * fails is skipped for a while (exponential backoff, capped) and tried again after; the requests each
 * endpoint served are counted for the metrics. While every endpoint is skipped, a request still tries
 * the one due back first: the caller paces its retries, and a node back up serves at once. When all
 * fail, EndpointsDownError names each and why.
 *
 * What counts against an endpoint (EndpointError): no connection, no answer in time, HTTP 429 or
 * 502–504, an answer that is not JSON-RPC, or a different eth_chainId than the endpoints agree on (the
 * majority of the list; a tie goes to the one listed first). A JSON-RPC error is the node's answer to
 * the request (a revert, a log range refused for its size, which log-ranges.ts splits): it passes
 * through unchanged and tells nothing against the endpoint.
 *
 * Endpoints of one chain are not in step: one may be a few blocks behind. A request naming a block
 * (eth_getLogs up to it, eth_getBlockByNumber, eth_call at it…) goes only to an endpoint known to
 * have that block (asking eth_blockNumber when it is not known), so a lagging node never answers
 * "no logs" for blocks it has not seen yet.
 *
 * Writes (eth_sendRawTransaction, and any method outside the eth_/net_/web3_ reads, such as a node's
 * control methods) go to the first endpoint up, in list order, never to several: a send that may have
 * reached its node is not sent again elsewhere (the error goes to the caller, whose nonce and recovery
 * rules apply); only a send that no node saw (its connection refused, or its endpoint failing the
 * chain id check before it) is tried on the next.
 * With `spread: false` (a writer: sdk/evm/ledger.ts) reads follow the same order, so that the writer's
 * reads of nonces and receipts come from one node's view while it is up.
 */
import { LedgerUnavailableError } from "../ledger.js";
import type { BatchRpc } from "./rpc.js";

/** The endpoint failed, not the request: another endpoint may answer the same request. */
export class EndpointError extends LedgerUnavailableError {
  constructor(
    /** The endpoint's URL without credentials (endpointLabel). */
    readonly endpoint: string,
    /** What went wrong, short ("answered HTTP 503"). */
    readonly reason: string,
    /** Whether the request may have reached the node (false: refused before anything was sent). */
    readonly reached: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EndpointError";
  }
}

/** Every endpoint failed: says which and why. */
export class EndpointsDownError extends LedgerUnavailableError {
  constructor(readonly failures: ReadonlyArray<{ endpoint: string; reason: string }>) {
    super(`no JSON-RPC endpoint answers: ${failures.map(({ endpoint, reason }) => `${endpoint} ${reason}`).join("; ")}`);
    this.name = "EndpointsDownError";
  }
}

/** An endpoint as the metrics show it. */
export interface EndpointStatus {
  endpoint: string;
  up: boolean;
  /** HTTP requests sent to it (a batch is one per few hundred calls), and those that failed. */
  requests: number;
  failures: number;
}

export interface EndpointPoolOptions {
  /** Spread reads over the endpoints that are up (default), or send every request to the first one up. */
  spread?: boolean;
  /** The first pause of an endpoint after a failure, doubled on each failure in a row up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Milliseconds now (tests move it). */
  clock?: () => number;
  /** Hears an endpoint go down or come back up. */
  onChange?: (line: string) => void;
}

/**
 * The URL as logs and metrics may show it: no user or password, no query, and no path segment that
 * looks like a key (hosted nodes put the API key in the path: /v3/<key>).
 */
export function endpointLabel(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const path = parsed.pathname
    .split("/")
    .map((segment) => (/^[A-Za-z0-9_-]{16,}$/.test(segment) ? "<key>" : segment))
    .join("/");
  return `${parsed.protocol}//${parsed.host}${path === "/" ? "" : path}`;
}

/** Reads every node answers the same way; other methods are writes or a node's own business. */
const READ = /^(eth_|net_|web3_)/;
const WRITES = new Set(["eth_sendRawTransaction", "eth_sendTransaction", "eth_sign", "eth_signTransaction"]);

function isWrite(method: string): boolean {
  return !READ.test(method) || WRITES.has(method);
}

/** The block a request reads at, when it names one by number. */
function blockOf(method: string, params: readonly unknown[]): bigint | undefined {
  switch (method) {
    case "eth_getBlockByNumber":
    case "eth_getBlockTransactionCountByNumber":
      return quantity(params[0]);
    case "eth_getLogs":
      return quantity((params[0] as { toBlock?: unknown } | undefined)?.toBlock);
    case "eth_call":
    case "eth_getCode":
    case "eth_getBalance":
    case "eth_getTransactionCount":
      return quantity(params[1]);
    case "eth_getStorageAt":
      return quantity(params[2]);
    default:
      return undefined;
  }
}

/** The head an answer tells of: eth_blockNumber's, or the latest block's number. */
function headIn(method: string, params: readonly unknown[], result: unknown): bigint | undefined {
  if (method === "eth_blockNumber") return quantity(result);
  if (method === "eth_getBlockByNumber" && params[0] === "latest") return quantity((result as { number?: unknown } | null)?.number);
  return undefined;
}

function quantity(value: unknown): bigint | undefined {
  return typeof value === "string" && /^0x[0-9a-f]+$/i.test(value) ? BigInt(value) : undefined;
}

class Member {
  /** Calls sent to it (a batch: each of its calls), by which reads are spread. */
  load = 0;
  requests = 0;
  failures = 0;
  /** Failures in a row; 0 while up. */
  strikes = 0;
  /** When a down endpoint may be tried again. */
  retryAt = 0;
  reason = "";
  /** Its chain id, asked once each time it comes up (again after a failure). */
  chainId: Promise<bigint> | undefined;
  /** The newest block it is known to have, and the pending question when asked. */
  head = -1n;
  headAsked: Promise<bigint> | undefined;

  constructor(
    readonly label: string,
    readonly rpc: BatchRpc,
  ) {}

  /** One call to this endpoint, counted. */
  async call<T>(send: (rpc: BatchRpc) => Promise<T>): Promise<T> {
    this.requests++;
    try {
      return await send(this.rpc);
    } catch (error) {
      if (error instanceof EndpointError) this.failures++;
      throw error;
    }
  }
}

export class EndpointPool implements BatchRpc {
  private readonly members: Member[];
  private readonly spread: boolean;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly clock: () => number;
  private readonly onChange: (line: string) => void;
  /** The chain id the endpoints agree on, once decided; the round of questions deciding it. */
  private agreed: bigint | undefined;
  private round: Promise<bigint> | undefined;
  private cursor = 0;

  constructor(endpoints: ReadonlyArray<{ label: string; rpc: BatchRpc }>, options: EndpointPoolOptions = {}) {
    if (endpoints.length === 0) throw new Error("an endpoint pool needs at least one endpoint");
    this.members = endpoints.map(({ label, rpc }) => new Member(label, rpc));
    this.spread = options.spread ?? true;
    this.backoffMs = options.backoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.clock = options.clock ?? Date.now;
    this.onChange = options.onChange ?? (() => undefined);
  }

  status(): EndpointStatus[] {
    return this.members.map(({ label, strikes, requests, failures }) => ({ endpoint: label, up: strikes === 0, requests, failures }));
  }

  async request<T>(method: string, params: readonly unknown[] = []): Promise<T> {
    return this.route(isWrite(method), blockOf(method, params), 1, async (rpc, member) => {
      const result = await rpc.request<T>(method, params);
      const head = headIn(method, params, result);
      if (head !== undefined && head > member.head) member.head = head;
      return result;
    });
  }

  async batch<T>(calls: ReadonlyArray<[method: string, params: unknown[]]>): Promise<T[]> {
    const blocks = calls.map(([method, params]) => blockOf(method, params) ?? -1n);
    const block = blocks.reduce((a, b) => (a > b ? a : b), -1n);
    return this.route(
      calls.some(([method]) => isWrite(method)),
      block < 0n ? undefined : block,
      calls.length,
      (rpc) => rpc.batch<T>(calls),
    );
  }

  private async route<T>(write: boolean, block: bigint | undefined, calls: number, send: (rpc: BatchRpc, member: Member) => Promise<T>): Promise<T> {
    const behind: Member[] = [];
    let failed: EndpointError | undefined;
    for (const member of this.order(write)) {
      try {
        await this.verify(member);
        if (block !== undefined && (await this.headOf(member, block)) < block) {
          behind.push(member);
          continue;
        }
      } catch (error) {
        // The endpoint failed before the request was sent: the next one gets it.
        if (!(error instanceof EndpointError)) throw error;
        failed = error;
        continue;
      }
      try {
        return await this.serve(member, calls, send);
      } catch (error) {
        if (!(error instanceof EndpointError) || (write && error.reached)) throw error;
        failed = error;
      }
    }
    // No endpoint has the block yet (or the caller asks for one to come): the most advanced answers as it sees the chain.
    const ahead = behind.reduce<Member | undefined>((best, member) => (best === undefined || member.head > best.head ? member : best), undefined);
    if (ahead !== undefined) return this.serve(ahead, calls, send);
    // One endpoint: its own error, as a single URL always said it.
    if (this.members.length === 1 && failed !== undefined) throw failed;
    throw new EndpointsDownError(this.members.filter((member) => member.strikes > 0).map(({ label, reason }) => ({ endpoint: label, reason })));
  }

  /** Sends to one endpoint: a JSON-RPC error is the node's answer to the request (it is up); an EndpointError puts it down. */
  private async serve<T>(member: Member, calls: number, send: (rpc: BatchRpc, member: Member) => Promise<T>): Promise<T> {
    member.load += calls;
    try {
      const result = await member.call((rpc) => send(rpc, member));
      this.up(member);
      return result;
    } catch (error) {
      if (error instanceof EndpointError) this.down(member, error.reason);
      else this.up(member);
      throw error;
    }
  }

  /**
   * The endpoints to try, best first: those up (or due for another try); for reads when spreading, the
   * least loaded first (ties in turn), else in list order. When none is, the one due soonest (the
   * caller paces its retries).
   */
  private order(write: boolean): Member[] {
    const now = this.clock();
    const spread = !write && this.spread;
    const start = spread ? this.cursor++ % this.members.length : 0;
    const rotated = [...this.members.slice(start), ...this.members.slice(0, start)];
    const ready = rotated.filter((member) => member.strikes === 0 || member.retryAt <= now);
    if (spread) ready.sort((a, b) => a.load - b.load);
    if (ready.length > 0) return ready;
    return [this.members.reduce((soonest, member) => (member.retryAt < soonest.retryAt ? member : soonest))];
  }

  /** Checks the endpoint serves the chain the others do (once each time it comes up); a failure puts it down. */
  private async verify(member: Member): Promise<void> {
    // The agreement asks the endpoints at once, this one included.
    const agreement = this.agreement(member);
    const chainId = await this.chainIdOf(member);
    const agreed = await agreement;
    if (chainId === agreed) return;
    const others = this.members.filter((other) => other !== member && other.strikes === 0).map((other) => other.label);
    const reason = `answers chain ${chainId}, not ${agreed}${others.length > 0 ? ` as ${others.join(", ")}` : ""}: is it a node of another network?`;
    member.failures++;
    this.down(member, reason);
    throw new EndpointError(member.label, reason, false, `the JSON-RPC endpoint ${member.label} ${reason}`);
  }

  private chainIdOf(member: Member): Promise<bigint> {
    member.chainId ??= this.ask(member, "eth_chainId").catch((error: unknown) => {
      member.chainId = undefined;
      throw error;
    });
    return member.chainId;
  }

  /** A question about the endpoint itself; its failure puts it down. */
  private async ask(member: Member, method: "eth_chainId" | "eth_blockNumber"): Promise<bigint> {
    try {
      return BigInt(await member.call((rpc) => rpc.request<string>(method)));
    } catch (error) {
      if (error instanceof EndpointError) this.down(member, error.reason);
      throw error;
    }
  }

  /**
   * The chain id of most endpoints, decided once for good: as soon as more than half the list agree,
   * else when all those asked have answered or failed (the id most gave; on a tie, the first listed).
   * A round asks the endpoints not skipped, and `member`; when none answers, the next request asks again.
   */
  private agreement(member: Member): Promise<bigint> {
    if (this.agreed !== undefined) return Promise.resolve(this.agreed);
    this.round ??= new Promise<bigint>((resolve, reject) => {
      const now = this.clock();
      const asked = this.members.filter((other) => other === member || other.strikes === 0 || other.retryAt <= now);
      const answers: Array<bigint | undefined> = asked.map(() => undefined);
      const votes = (chainId: bigint) => answers.filter((answer) => answer === chainId).length;
      let settled = 0;
      asked.forEach((other, index) => {
        this.chainIdOf(other)
          .then((chainId) => {
            answers[index] = chainId;
            if (votes(chainId) * 2 > this.members.length) resolve(chainId);
          })
          .catch(() => undefined) // ask() has put it down
          .finally(() => {
            if (++settled < asked.length) return;
            const given = answers.filter((answer) => answer !== undefined);
            if (given.length === 0)
              reject(new EndpointsDownError(this.members.filter((one) => one.strikes > 0).map(({ label, reason }) => ({ endpoint: label, reason }))));
            else resolve(given.reduce((best, answer) => (votes(answer) > votes(best) ? answer : best)));
          });
      });
    })
      .then((chainId) => (this.agreed = chainId))
      .finally(() => (this.round = undefined));
    // A request whose endpoint failed first does not wait for the round.
    this.round.catch(() => undefined);
    return this.round;
  }

  /** The endpoint's newest block, asked again only when `block` is beyond what it had. */
  private async headOf(member: Member, block: bigint): Promise<bigint> {
    if (member.head >= block) return member.head;
    member.headAsked ??= this.ask(member, "eth_blockNumber")
      .then((head) => (member.head = head > member.head ? head : member.head))
      .finally(() => (member.headAsked = undefined));
    return member.headAsked;
  }

  private up(member: Member): void {
    if (member.strikes === 0) return;
    member.strikes = 0;
    // Back at par with the least loaded of the others, rather than taking every read until it caught up.
    const others = this.members.filter((other) => other !== member && other.strikes === 0).map((other) => other.load);
    if (others.length > 0) member.load = Math.max(member.load, Math.min(...others));
    this.onChange(`JSON-RPC endpoint ${member.label} is up again`);
  }

  private down(member: Member, reason: string): void {
    // A request sent before it went down failing too says nothing new.
    if (member.strikes > 0 && this.clock() < member.retryAt) return;
    member.strikes++;
    member.reason = reason;
    member.chainId = undefined;
    const pause = Math.min(this.backoffMs * 2 ** Math.min(member.strikes - 1, 30), this.maxBackoffMs);
    member.retryAt = this.clock() + pause;
    this.onChange(`JSON-RPC endpoint ${member.label} skipped for ${pause / 1000} s: it ${reason}`);
  }
}
