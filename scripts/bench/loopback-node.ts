/**
 * A loopback node for the indexer bench: the recorded chain served over HTTP JSON-RPC on 127.0.0.1 by a
 * process of its own, as a node is. Run in the bench's process, the recording (several GiB of heap) made
 * every garbage collection of the indexer under measure slower: a cached rebuild measured 15,100–15,600
 * events/s beside it against 15,500–19,300 with the node apart.
 *
 * `startLoopbackNode(path)` forks this file; the child speaks over the IPC channel: first `{ url }` once
 * it listens (with the chain's contracts), then `{ logQueries }` (the eth_getLogs it answered since the last ask) for each `"count"`.
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { serveJsonRpc } from "../../product/chain/json-rpc-http.js";
import type { TraceGateAddresses } from "../../indexer/sources/evm/evm-source.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";
import { loadChain, recordedChainProvider } from "../workloads/recorded-chain.js";

export interface LoopbackNode {
  url: string;
  /** The recorded chain's contracts. */
  addresses: TraceGateAddresses;
  /** The eth_getLogs the node answered since the last call. */
  logQueries(): Promise<number>;
  stop(): Promise<void>;
}

type Said = { url: string; addresses: TraceGateAddresses } | { logQueries: number } | { failed: string };

export async function startLoopbackNode(recordingPath: string): Promise<LoopbackNode> {
  const child = fork(fileURLToPath(import.meta.url), [recordingPath], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = async (): Promise<Said> => {
    const [said] = (await Promise.race([once(child, "message"), once(child, "exit").then(([code]) => [{ failed: `exited with ${code}` }])])) as [Said];
    if ("failed" in said) throw new Error(`the loopback node ${said.failed}`);
    return said;
  };
  const ready = await next().catch(async (error) => {
    child.kill();
    throw error;
  });
  if (!("url" in ready)) throw new Error("the loopback node did not say where it listens");
  return {
    url: ready.url,
    addresses: ready.addresses,
    async logQueries() {
      child.send("count");
      const said = await next();
      if (!("logQueries" in said)) throw new Error("the loopback node answered something else than its count");
      return said.logQueries;
    },
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, "exit");
  child.kill();
  await exited;
}

async function serve(recordingPath: string): Promise<void> {
  const recorded = await loadChain(recordingPath);
  const provider = recordedChainProvider(recorded);
  let logQueries = 0;
  const counting: Eip1193Provider = {
    request(call) {
      if (call.method === "eth_getLogs") logQueries++;
      return provider.request(call);
    },
  };
  const server = await serveJsonRpc(counting, { port: 0 });
  process.on("message", (message) => {
    if (message !== "count") return;
    process.send!({ logQueries });
    logQueries = 0;
  });
  process.on("disconnect", () => void server.close().then(() => process.exit(0)));
  process.send!({ url: server.url, addresses: recorded.addresses });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  serve(process.argv[2]!).catch((error) => {
    process.send?.({ failed: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
}
