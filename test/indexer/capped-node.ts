/**
 * A node that caps eth_getLogs, as Besu, Infura, Alchemy and geth-based services do: a real HTTP
 * JSON-RPC server (the product's) in front of an in-process chain, refusing a log query over `blocks`
 * blocks or with more than `results` logs, with the error a real node of that kind gives. It records
 * every log query it answers or refuses.
 */
import { serveJsonRpc } from "../../product/chain/json-rpc-http.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";

/** How a real node says no (code and message as those nodes send them). */
export type NodeKind = "besu" | "alchemy" | "infura" | "geth";

export interface LogCaps {
  kind: NodeKind;
  /** The widest block range answered. */
  blocks?: number;
  /** The most logs answered at once. */
  results?: number;
}

export interface LogQuery {
  from: bigint;
  to: bigint;
  refused: boolean;
}

export interface CappedNode {
  url: string;
  /** Every eth_getLogs asked, in order. */
  queries: LogQuery[];
  close(): Promise<void>;
}

class NodeError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const hex = (value: bigint) => `0x${value.toString(16)}`;

function rangeRefusal(kind: NodeKind, blocks: number, from: bigint): NodeError {
  switch (kind) {
    case "besu":
      return new NodeError(-32005, "Requested range exceeds maximum RPC range limit");
    case "alchemy":
      return new NodeError(
        -32600,
        `You can make eth_getLogs requests with up to a ${blocks} block range. Based on your parameters, this block range should work: [${hex(from)}, ${hex(from + BigInt(blocks) - 1n)}]`,
      );
    case "infura":
      return new NodeError(-32602, `range ${blocks + 1} exceeds limit of ${blocks}`);
    case "geth":
      return new NodeError(-32000, `query exceeds max block range ${blocks}`);
  }
}

function sizeRefusal(kind: NodeKind, results: number, from: bigint, fits: bigint): NodeError {
  switch (kind) {
    case "infura":
      return new NodeError(-32005, `query returned more than ${results} results. Try with this block range [${hex(from)}, ${hex(fits)}].`);
    case "alchemy":
      return new NodeError(
        -32602,
        `Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of ${results} logs in the response. Based on your parameters and the response size limit, this block range should work: [${hex(from)}, ${hex(fits)}]`,
      );
    default:
      return new NodeError(-32000, `query returned more than ${results} results`);
  }
}

export async function serveCappedNode(provider: Eip1193Provider, caps: LogCaps): Promise<CappedNode> {
  const queries: LogQuery[] = [];
  const capped: Eip1193Provider = {
    async request({ method, params }) {
      if (method !== "eth_getLogs") return provider.request({ method, params });
      const filter = (params as [{ fromBlock: string; toBlock: string }])[0];
      const [from, to] = [BigInt(filter.fromBlock), BigInt(filter.toBlock)];
      const query = { from, to, refused: true };
      queries.push(query);
      if (caps.blocks !== undefined && to - from + 1n > BigInt(caps.blocks)) throw rangeRefusal(caps.kind, caps.blocks, from);
      const logs = (await provider.request({ method, params })) as Array<{ blockNumber: string }>;
      if (caps.results !== undefined && logs.length > caps.results) {
        // The widest range from `from` that fits, as Infura and Alchemy suggest it (none when the first block alone is too many).
        const last = BigInt(logs[caps.results]!.blockNumber) - 1n;
        throw sizeRefusal(caps.kind, caps.results, from, last >= from ? last : from);
      }
      query.refused = false;
      return logs;
    },
  };
  const endpoint = await serveJsonRpc(capped, { port: 0 });
  return { url: endpoint.url, queries, close: endpoint.close };
}
