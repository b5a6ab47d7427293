/**
 * A chain recorded once (every block header and TraceGate log) and answered again as an EIP-1193
 * provider — in process, or over HTTP on 127.0.0.1 with the product's JSON-RPC server (product/chain/json-rpc-http.ts) — so indexers can
 * read the same chain any number of times, quickly, from another process. Saved as NDJSON (one block
 * per line) for the benchmark's cache.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { toQuantity } from "ethers";
import type { TraceGateAddresses } from "../../indexer/sources/evm/evm-source.js";
import type { BatchRpc } from "../../sdk/evm/batch-rpc.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";

interface Block {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
}

interface Log {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
}

export interface RecordedChain {
  chainId: string;
  addresses: TraceGateAddresses;
  /** Block n at index n. */
  blocks: Block[];
  /** Logs of block n. */
  logs: Log[][];
}

export async function recordChain(rpc: BatchRpc, addresses: TraceGateAddresses): Promise<RecordedChain> {
  const head = BigInt(await rpc.request<string>("eth_blockNumber", []));
  const numbers = Array.from({ length: Number(head) + 1 }, (_, n) => toQuantity(n));
  const blocks = (await rpc.batch<Block>(numbers.map((number) => ["eth_getBlockByNumber", [number, false]]))).map(
    ({ number, hash, parentHash, timestamp }) => ({ number, hash, parentHash, timestamp }),
  );
  const filter = { fromBlock: "0x0", toBlock: toQuantity(head), address: [addresses.registry, addresses.custody] };
  const logs: Log[][] = blocks.map(() => []);
  for (const log of await rpc.request<Log[]>("eth_getLogs", [filter])) {
    const { address, topics, data, blockNumber, blockHash, transactionHash, logIndex } = log;
    logs[Number(blockNumber)]!.push({ address, topics, data, blockNumber, blockHash, transactionHash, logIndex });
  }
  return { chainId: await rpc.request<string>("eth_chainId", []), addresses, blocks, logs };
}

/** The recorded chain answering the calls EvmSource makes. */
export function recordedChainProvider(chain: RecordedChain): Eip1193Provider {
  const head = chain.blocks.length - 1;
  const blockNumber = (tag: string) => (tag === "latest" ? head : Number(BigInt(tag)));
  function answer(method: string, params: unknown[]): unknown {
    switch (method) {
      case "eth_chainId":
        return chain.chainId;
      case "eth_blockNumber":
        return toQuantity(head);
      case "eth_getBlockByNumber":
        return chain.blocks[blockNumber(params[0] as string)] ?? null;
      case "eth_getLogs": {
        const { fromBlock, toBlock, address, topics } = params[0] as { fromBlock: string; toBlock: string; address: string[]; topics?: string[][] };
        const addresses = new Set(address.map((a) => a.toLowerCase()));
        const first = topics?.[0] === undefined ? undefined : new Set(topics[0]);
        return chain.logs
          .slice(blockNumber(fromBlock), Math.min(blockNumber(toBlock), head) + 1)
          .flat()
          .filter((log) => addresses.has(log.address.toLowerCase()) && (first === undefined || first.has(log.topics[0]!)));
      }
      default:
        throw new Error(`the recorded chain does not answer ${method}`);
    }
  }
  return { request: async ({ method, params }) => answer(method, [...(params ?? [])]) };
}

/** Writes the chain as NDJSON: a first line with the chain's identity, then one line per block with its logs. */
export async function saveChain(chain: RecordedChain, path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${JSON.stringify({ chainId: chain.chainId, addresses: chain.addresses })}\n`);
  for (const [number, block] of chain.blocks.entries()) {
    if (!out.write(`${JSON.stringify({ block, logs: chain.logs[number] })}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

export async function loadChain(path: string): Promise<RecordedChain> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let chain: RecordedChain | undefined;
  for await (const line of lines) {
    if (chain === undefined) chain = { ...(JSON.parse(line) as Pick<RecordedChain, "chainId" | "addresses">), blocks: [], logs: [] };
    else {
      const { block, logs } = JSON.parse(line) as { block: Block; logs: Log[] };
      chain.blocks.push(block);
      chain.logs.push(logs);
    }
  }
  if (chain === undefined) throw new Error(`${path} holds no chain`);
  return chain;
}
