/**
 * The scenario generator and loader (seeds/): a large year generated and checked by the rules without
 * a chain (events/s, peak memory: it streams), then a demo-sized one loaded onto a persistent embedded
 * chain in process, journaled as `npm start` does (events/s).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPersistentDemoNetwork } from "../../product/chain/persistent-network.js";
import { loadScenario } from "../../seeds/loader/load.js";
import { generateScenario } from "../../seeds/scenario.js";

const GENERATED_EVENTS = 200_000;
const LOADED_EVENTS = 3_000;
/** 2025-01-01: after the new chain's genesis (below), so ledger time moves forward. */
const START = 1_735_689_600n;

export async function benchSeeds(progress: (label: string) => void = () => {}): Promise<Record<string, number>> {
  progress(`generating ${GENERATED_EVENTS.toLocaleString("en")} events`);
  let generated = 0;
  let peak = process.memoryUsage().rss;
  const started = performance.now();
  for await (const _step of generateScenario({ seed: 7, events: GENERATED_EVENTS, start: START }).steps) {
    if (++generated % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const generateSeconds = (performance.now() - started) / 1000;

  const dataDir = await mkdtemp(join(tmpdir(), "tracegate-bench-seeds-"));
  try {
    const network = await openPersistentDemoNetwork({ dataDir, genesisTimestamp: START - 86_400n });
    try {
      progress(`loading ${LOADED_EVENTS.toLocaleString("en")} events onto a journaled embedded chain`);
      const scenario = generateScenario({ seed: 7, events: LOADED_EVENTS, start: START });
      const loaded = await loadScenario({ endpoint: network.chain.provider, addresses: network.chain.addresses, scenario, dataDir });
      return {
        seeds_generated_events_per_s: Math.round(generated / generateSeconds),
        seeds_generation_peak_rss_MiB: Math.round(peak / 2 ** 20),
        seeds_loaded_events_per_s: Math.round(loaded.events / loaded.seconds),
      };
    } finally {
      await network.chain.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
