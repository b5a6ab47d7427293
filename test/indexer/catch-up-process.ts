/**
 * A child process for catch-up.test.ts: indexes the findings scenario into the SQLite store at argv[2],
 * catching up, and dies by SIGKILL where argv[3] says: "after-batch-N" once N batches are committed,
 * "leaving" inside the transaction that leaves the mode (its indexes made, as its findings start), or
 * "never".
 */
import { Indexer } from "../../indexer/indexer.js";
import type { FindingSettings } from "../../indexer/findings/settings.js";
import { openStore } from "../../indexer/store/open.js";
import { failFast } from "./fail-fast.js";
import { CATCHING_UP } from "./catch-up-options.js";
import { findingsScenario, SCENARIO_SETTINGS, scenarioOnChain } from "./findings-scenario.js";
import { ListSource } from "./list-source.js";

const [path, killAt] = process.argv.slice(2) as [string, string];
const die = () => process.kill(process.pid, "SIGKILL");
// Catching-up batches never read the thresholds: the first read is the findings' rebuild, inside the leaving transaction.
const settings: FindingSettings =
  killAt === "leaving"
    ? new Proxy(SCENARIO_SETTINGS, {
        get: (target, key: keyof FindingSettings) => {
          die();
          return target[key];
        },
      })
    : SCENARIO_SETTINGS;
const afterBatches = killAt.startsWith("after-batch-") ? Number(killAt.slice("after-batch-".length)) : Number.POSITIVE_INFINITY;

const chain = scenarioOnChain(await findingsScenario());
const store = await openStore(path, { findings: settings });
let batches = 0;
const observer = { ...failFast, committed: () => (++batches >= afterBatches ? die() : undefined) };
await (await Indexer.open(store, new ListSource(chain, chain.at(-1)!.block), CATCHING_UP, observer)).run({ untilHead: true });
await store.close();
