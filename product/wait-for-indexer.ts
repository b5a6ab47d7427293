/** Waits until the product's indexer has stored every block up to `block`, reading its metrics. */
const POLL_MS = 250;
const PATIENCE_MS = 120_000;

export async function waitForIndexer(metricsUrl: string, block: bigint): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const indexed = indexedBlock(await (await fetch(metricsUrl)).text());
    if (indexed >= block) return;
    if (Date.now() > deadline) {
      throw new Error(`the indexer is at block ${indexed}, not ${block}, after ${PATIENCE_MS / 1000} s: see the product's log (npm start) and ${metricsUrl}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function indexedBlock(metrics: string): bigint {
  const line = /^tracegate_indexer_indexed_block (-?\d+)$/m.exec(metrics);
  if (line === null) throw new Error("the product's metrics have no tracegate_indexer_indexed_block: is this TraceGate?");
  return BigInt(line[1]!);
}
