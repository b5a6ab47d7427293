/**
 * eth_getLogs over any block range, on nodes that cap one query: by its block range (Besu's
 * `--rpc-max-logs-range`, 5,000 by default; hosted nodes 500 to 100,000) or by its result count
 * (10,000 on Infura and geth-based services). A refused range is split and read again; the span that
 * worked is kept for the next reads and grown back, toward (never past) the smallest span a node
 * refused for its range, so a fixed cap is found in a few refusals and then respected. Every log read
 * (the indexer's, the SDK's and the CLI's) goes through one of these.
 */
import { RpcError, type Rpc } from "./rpc.js";

/** What a query asks besides its blocks. */
export interface LogFilter {
  address: string | readonly string[];
  topics?: ReadonlyArray<string | null | readonly string[]>;
}

/** The node refuses a query of one block: no split can help, and retrying it would loop forever. */
export class LogRangeRefusedError extends Error {
  override name = "LogRangeRefusedError";
  constructor(
    readonly block: bigint,
    options: { cause: unknown },
  ) {
    super(`the node refuses eth_getLogs even for block ${block} alone: ${(options.cause as Error).message}`, options);
  }
}

/** The widest block range asked at once, as the indexer's default batch. */
export const DEFAULT_LOG_SPAN = 10_000n;

type Refusal = "range" | "size";

/** Refusals real nodes give, by what they limit (the messages vary; the codes do not tell them apart). */
const REFUSALS: ReadonlyArray<[RegExp, Refusal]> = [
  [/requested range exceeds maximum rpc range limit/i, "range"], // Besu (-32005)
  [/exceeds? (the )?max(imum)? block range/i, "range"], // reth "query exceeds max block range 100000", bor "exceed maximum block range: 50000"
  [/range \d+ exceeds limit/i, "range"], // Infura (-32602) "range 1000000 exceeds limit of 10000"
  [/up to an? [\d,.]+k? block range/i, "range"], // Alchemy (-32600) "You can make eth_getLogs requests with up to a 500 block range"
  [/limited to (an? |0 - )?[\d,]+ (blocks? )?range/i, "range"], // "eth_getLogs is limited to a 10,000 range"
  [/block range (is )?too (large|wide|high|big)/i, "range"],
  [/ranges over [\d,]+ blocks/i, "range"], // dRPC "ranges over 10000 blocks are not supported"
  [/returned more than [\d,]+ results/i, "size"], // geth-based services, Infura (-32005) "query returned more than 10000 results"
  [/exceeds max results/i, "size"], // reth "query exceeds max results 20000"
  [/response size exceeded/i, "size"], // Alchemy "Log response size exceeded"
];

export function refusalOf(error: unknown): Refusal | undefined {
  if (!(error instanceof RpcError)) return undefined;
  return REFUSALS.find(([pattern]) => pattern.test(error.message))?.[1];
}

/** The range a refusal suggests ("this block range should work: [0x…, 0x…]", or Infura's `data.from/to`), when it starts where the query did and is shorter. */
function suggestedSpan(error: RpcError, from: bigint, to: bigint): bigint | undefined {
  const quoted = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(error.message);
  const data = error.data as { from?: unknown; to?: unknown } | undefined;
  const [start, end] = quoted !== null ? [quoted[1], quoted[2]] : [data?.from, data?.to];
  if (typeof start !== "string" || typeof end !== "string") return undefined;
  try {
    return BigInt(start) === from && BigInt(end) >= from && BigInt(end) < to ? BigInt(end) - from + 1n : undefined;
  } catch {
    return undefined;
  }
}

export class LogReader {
  /** Blocks asked at once. */
  private span: bigint;
  /** The smallest span refused for its range (caps on results move with the logs' density; range caps do not). */
  private refusedSpan: bigint;
  /** The largest span accepted since the last range refusal below it. */
  private acceptedSpan = 0n;

  constructor(
    private readonly rpc: Rpc,
    private readonly maxSpan = DEFAULT_LOG_SPAN,
  ) {
    this.span = maxSpan;
    this.refusedSpan = maxSpan + 1n;
  }

  /** The logs of blocks [from, to] matching `filter`, a range at a time, oldest range first. */
  async *pages<T>(filter: LogFilter, from: bigint, to: bigint): AsyncGenerator<T[]> {
    for (let start = from; start <= to; ) {
      const span = this.span < to - start + 1n ? this.span : to - start + 1n;
      const end = start + span - 1n;
      let logs: T[];
      try {
        logs = await this.rpc.request<T[]>("eth_getLogs", [{ ...filter, fromBlock: hex(start), toBlock: hex(end) }]);
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal === undefined) throw error;
        if (span === 1n) throw new LogRangeRefusedError(start, { cause: error });
        this.shrink(refusal, span, suggestedSpan(error as RpcError, start, end));
        continue;
      }
      if (span === this.span) this.grow(span);
      start = end + 1n;
      yield logs;
    }
  }

  /** Every log of blocks [from, to] matching `filter`, in the node's order within each range. */
  async read<T>(filter: LogFilter, from: bigint, to: bigint): Promise<T[]> {
    const logs: T[] = [];
    for await (const page of this.pages<T>(filter, from, to)) logs.push(...page);
    return logs;
  }

  private shrink(refusal: Refusal, span: bigint, suggested: bigint | undefined): void {
    const half = span / 2n;
    if (refusal === "range") {
      if (span < this.refusedSpan) this.refusedSpan = span;
      // A span accepted before is known to pass the cap, unless the node has since lowered it.
      if (this.acceptedSpan >= span) this.acceptedSpan = 0n;
      this.span = suggested ?? (half > this.acceptedSpan ? half : this.acceptedSpan);
    } else this.span = suggested ?? half;
    if (this.span < 1n) this.span = 1n;
  }

  /** Doubles the span, or halves the distance to the smallest refused span once doubling would reach it. */
  private grow(span: bigint): void {
    if (span > this.acceptedSpan) this.acceptedSpan = span;
    let next = span * 2n < this.refusedSpan ? span * 2n : (span + this.refusedSpan) / 2n;
    if (next > this.maxSpan) next = this.maxSpan;
    if (next > span) this.span = next;
  }
}

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}
