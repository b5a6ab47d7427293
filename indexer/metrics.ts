/** Indexer metrics in the Prometheus text format, served on 127.0.0.1 (node:http). */
import type { Server } from "node:http";
import type { EndpointStatus } from "../sdk/evm/endpoints.js";
import { createLingeringServer } from "../sdk/lingering-close.js";
import type { BatchReport, IndexerObserver } from "./indexer.js";
import type { BlockHeader } from "./sources/source.js";

/** Weight of the newest batch in the events-per-second average. */
const SMOOTHING = 0.2;

export class IndexerMetrics implements IndexerObserver {
  private headBlock = 0n;
  private indexedBlock = -1n;
  private lagSeconds = 0n;
  private events = 0;
  private eventsPerSecond = 0;
  private reorgs = 0;
  private rolledBackEvents = 0;
  private errors = 0;
  private catchingUp = false;

  /** `endpoints`: the JSON-RPC endpoints the source reads (none for an in-process chain or Fabric). */
  constructor(private readonly endpoints: () => readonly EndpointStatus[] = () => []) {}

  committed({ to, head, events, seconds, catchingUp }: BatchReport): void {
    this.catchingUp = catchingUp;
    this.headBlock = head.number;
    this.indexedBlock = to.number;
    this.lagSeconds = head.time - to.time;
    this.events += events;
    const rate = seconds > 0 ? events / seconds : 0;
    this.eventsPerSecond = this.eventsPerSecond === 0 ? rate : SMOOTHING * rate + (1 - SMOOTHING) * this.eventsPerSecond;
  }

  atHead(head: BlockHeader, indexed: bigint): void {
    this.catchingUp = false;
    this.headBlock = head.number;
    this.indexedBlock = indexed;
    this.lagSeconds = 0n;
  }

  rolledBack({ to, removed }: { to: { number: bigint }; removed: number }): void {
    this.indexedBlock = to.number;
    this.reorgs += 1;
    this.rolledBackEvents += removed;
  }

  failed(): void {
    this.errors += 1;
  }

  render(): string {
    const metric = (name: string, type: "gauge" | "counter", help: string, value: bigint | number) =>
      `# HELP tracegate_indexer_${name} ${help}\n# TYPE tracegate_indexer_${name} ${type}\ntracegate_indexer_${name} ${value}\n`;
    return [
      metric("head_block", "gauge", "Newest block of the ledger.", this.headBlock),
      metric("indexed_block", "gauge", "Last block whose events are all in the store.", this.indexedBlock),
      metric("lag_blocks", "gauge", "Blocks between the head and the store.", this.headBlock - this.indexedBlock),
      metric("lag_seconds", "gauge", "Ledger time between the head and the last indexed block.", this.lagSeconds),
      metric("events_total", "counter", "Events written to the store.", this.events),
      metric("events_per_second", "gauge", "Events written per second (smoothed over batches).", Math.round(this.eventsPerSecond)),
      metric("reorgs_total", "counter", "Reorganisations rolled back.", this.reorgs),
      metric("rolled_back_events_total", "counter", "Events removed by rollbacks.", this.rolledBackEvents),
      metric("errors_total", "counter", "Failed steps (retried).", this.errors),
      metric("catching_up", "gauge", "1 while catching up far behind the head: findings and some indexes follow at the head.", this.catchingUp ? 1 : 0),
      this.renderEndpoints(),
    ].join("");
  }

  /** Per JSON-RPC endpoint, labelled by its URL without credentials: which ones serve, and how much. */
  private renderEndpoints(): string {
    const endpoints = this.endpoints();
    if (endpoints.length === 0) return "";
    const metric = (name: string, type: "gauge" | "counter", help: string, value: (endpoint: EndpointStatus) => number) =>
      `# HELP tracegate_indexer_${name} ${help}\n# TYPE tracegate_indexer_${name} ${type}\n` +
      endpoints.map((endpoint) => `tracegate_indexer_${name}{endpoint="${labelValue(endpoint.endpoint)}"} ${value(endpoint)}\n`).join("");
    return [
      metric("rpc_up", "gauge", "1 while the JSON-RPC endpoint serves, 0 while it is skipped after a failure.", ({ up }) => (up ? 1 : 0)),
      metric("rpc_requests_total", "counter", "HTTP requests sent to the JSON-RPC endpoint.", ({ requests }) => requests),
      metric(
        "rpc_failures_total",
        "counter",
        "Requests the JSON-RPC endpoint failed (unreachable, timed out, overloaded, malformed, another chain).",
        ({ failures }) => failures,
      ),
    ].join("");
  }
}

/** A Prometheus label value: backslash, quote and newline escaped. */
function labelValue(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Serves `GET /metrics` on 127.0.0.1:`port` (0: any free port; the server's address says which). */
export async function serveMetrics(metrics: IndexerMetrics, port: number): Promise<Server> {
  const server = createLingeringServer(
    (request, response) => {
      if (request.method === "GET" && request.url === "/metrics") {
        response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(metrics.render());
      } else {
        response.writeHead(404).end();
      }
    },
    (error) => console.error("metrics: internal error:", error),
  );
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  return server;
}
