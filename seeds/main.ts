/**
 * `npm run seed -- [--rpc URL[,URL…]] --registry ADDR --custody ADDR [--data-dir DIR] [--seed N] [--events N]
 * [--start ISO-DATE] [--resume] [--json]`: generates a scenario and loads it onto a running TraceGate chain (see
 * seeds/loader/load.ts), then lists the planted anomalies; `--resume` continues a load of the same
 * scenario (same seed, events and start) that stopped part-way. `--generate-only` generates and checks
 * every step with the rules without a chain, printing the rate and peak memory.
 */
import { resolve } from "node:path";
import { isAddress } from "ethers";
import { loadScenario, LoadResumeError } from "./loader/load.js";
import { progressPrinter } from "./progress.js";
import { DEMO_EVENTS, generateScenario } from "./scenario.js";
import { readCommandLine } from "../sdk/settings/command-line.js";
import { urlList } from "../sdk/settings/reader.js";

const USAGE = `usage: npm run seed -- [--rpc URL[,URL…]] --registry ADDR --custody ADDR [--data-dir DIR] [--seed N] [--events N] [--start 2027-01-01] [--resume] [--json]
       npm run seed -- --generate-only [--seed N] [--events N]`;

class UsageError extends Error {}

async function main(): Promise<void> {
  const values = readCommandLine(USAGE, {
    rpc: { type: "string" },
    registry: { type: "string" },
    custody: { type: "string" },
    "data-dir": { type: "string" },
    seed: { type: "string", default: "1" },
    events: { type: "string", default: String(DEMO_EVENTS) },
    start: { type: "string" },
    json: { type: "boolean" },
    "generate-only": { type: "boolean" },
    resume: { type: "boolean" },
  });
  const seed = wholeNumber(values.seed, "--seed", 0);
  const events = wholeNumber(values.events, "--events", 1);
  const start = values.start === undefined ? undefined : startOf(values.start);
  const scenario = generateScenario({ seed, events, start });
  if (values["generate-only"] === true) {
    const started = performance.now();
    let count = 0;
    let peak = 0;
    for await (const _step of scenario.steps) if (++count % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `generated ${count} events in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} events/s), peak RSS ${Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20)} MiB\n`,
    );
    return;
  }
  // One URL, or several of one chain (the next when one fails: sdk/evm/endpoints.ts).
  const { urls, problem } = urlList(values.rpc ?? process.env.TRACEGATE_RPC_URL ?? "http://127.0.0.1:8545", "http://127.0.0.1:8545");
  if (problem !== undefined) throw new UsageError(`--rpc ${problem}`);
  const endpoint = urls.length === 1 ? urls[0]! : urls;
  const addresses = {
    TraceGateRegistry: address(values.registry ?? process.env.TRACEGATE_REGISTRY, "--registry"),
    CustodyRegistry: address(values.custody ?? process.env.TRACEGATE_CUSTODY, "--custody"),
  };
  const dataDir = resolve(values["data-dir"] ?? ".tracegate");
  const result = await loadScenario({ endpoint, addresses, scenario, dataDir, resume: values.resume === true, onProgress: progressPrinter(process.stderr) });
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ ...result, head: { number: result.head.number.toString(), hash: result.head.hash } }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`loaded ${result.events} events in ${result.blocks} blocks (${Math.round(result.events / result.seconds)} events/s); head ${result.head.number} ${result.head.hash}
documents and ${result.tracks.length} e-seal tracks stored encrypted in ${dataDir}/documents, organisation keys in ${dataDir}/keys
planted anomalies:
${result.anomalies.map((anomaly) => `  ${anomaly.kind.padEnd(27)} ${anomaly.title}`).join("\n")}
`);
}

function wholeNumber(value: string, flag: string, minimum: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < minimum)
    throw new UsageError(`${flag} must be a whole number of at least ${minimum}, not "${value}"`);
  return number;
}

function address(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required (or TRACEGATE_${flag.slice(2).toUpperCase()}): the contract address \`npm start\` prints`);
  if (!isAddress(value)) throw new UsageError(`${flag} must be a 0x-prefixed 20-byte address, not "${value}"`);
  return value;
}

function startOf(value: string): bigint {
  const time = Date.parse(value);
  if (Number.isNaN(time) || time % 1000 !== 0) throw new UsageError(`--start must be an ISO date such as 2027-01-01, not "${value}"`);
  return BigInt(time / 1000);
}

// Documents and keys written under --data-dir are the user's alone.
process.umask(0o077);
try {
  await main();
} catch (error) {
  const usage = error instanceof UsageError;
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage ? `${USAGE}\n` : ""}`);
  process.exit(usage || error instanceof LoadResumeError ? 2 : 1);
}
