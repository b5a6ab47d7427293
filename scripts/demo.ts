/**
 * `npm run demo [-- --seed N --events N]`: loads a year of Vietnamese processing trade (seeds/) into the
 * running product (`npm start`, same TRACEGATE_HOME), waits for the indexer, then runs the GraphQL
 * query that reveals each planted anomaly and prints it with its answer, ready to paste into
 * GraphiQL. Exits 1 if a query does not show its anomaly.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runAnomalyQueries, type AnomalyAnswer } from "./product/anomaly-queries.js";
import { readControlToken } from "./product/rpc-control-token.js";
import { findRunningProduct } from "./product/running-file.js";
import { waitForIndexer } from "./product/wait-for-indexer.js";
import { loadScenario } from "../seeds/loader/load.js";
import { progressPrinter } from "../seeds/progress.js";
import { DEMO_EVENTS, generateScenario } from "../seeds/scenario.js";
import { ledgerTimeIso } from "../sdk/ledger-time.js";
import { demoStart, headOf } from "./product/demo-calendar.js";

const { values } = parseArgs({ options: { seed: { type: "string", default: "1" }, events: { type: "string", default: String(DEMO_EVENTS) } } });
for (const flag of ["seed", "events"] as const) {
  if (!/^\d+$/.test(values[flag])) fail(`--${flag} must be a whole number, not "${values[flag]}"`, 2);
}

const home = resolve(process.env.TRACEGATE_HOME ?? ".tracegate");
const running = await findRunningProduct(home).catch((error: Error) => fail(error.message, 2));
if (running.chain === undefined) {
  fail("the demo loads onto the product's embedded chain, and this product follows an external ledger: load seeds there with `npm run seed`", 2);
}
const { rpcUrl, addresses } = running.chain;
// The loader lays each slot's block at its time with evm_mine: a control method, opened by the product's token.
const controlToken = await readControlToken(home).catch((error: Error) => fail(error.message, 2));
const start = demoStart(await headOf(rpcUrl), new Date());
const scenario = generateScenario({ seed: Number(values.seed), events: Number(values.events), start });
process.stderr.write(`loading ${scenario.events.toLocaleString("en")} events of ${ledgerTimeIso(scenario.period.from).slice(0, 10)} … ${ledgerTimeIso(scenario.period.to).slice(0, 10)} (seed ${scenario.seed}) into ${rpcUrl}\n`);
const loaded = await loadScenario({ endpoint: { url: rpcUrl, token: controlToken }, addresses, scenario, dataDir: home, onProgress: progressPrinter(process.stderr) });
process.stderr.write(`loaded ${loaded.events.toLocaleString("en")} events in ${loaded.blocks.toLocaleString("en")} blocks (${Math.round(loaded.seconds)} s); waiting for the indexer\n`);
await waitForIndexer(running.metricsUrl, loaded.head.number);

const answers = await runAnomalyQueries(running.apiUrl, resolve(home, "api-dev-key.json"), loaded.anomalies);
process.stdout.write(answers.map(describe).join("\n"));
const missed = answers.filter((answer) => !answer.found).length;
process.stdout.write(`\n${answers.length - missed} of ${answers.length} planted anomalies found. Explore more at ${running.apiUrl}/ (tokens: printed by npm start).\n`);
process.exit(missed === 0 ? 0 : 1);

function describe({ anomaly, found, caller, error }: AnomalyAnswer, index: number): string {
  return `${index + 1}. ${anomaly.title}  [${found ? "found" : `NOT FOUND${error === undefined ? "" : `: ${error}`}`}]
   ${anomaly.description}
   Run as ${caller.org}/${caller.role} at ${running.apiUrl}/graphql; the answer shows ${anomaly.expect}.
${indent(anomaly.query)}
   variables: ${JSON.stringify(anomaly.variables)}
`;
}

function indent(text: string): string {
  return text.split("\n").map((line) => `     ${line}`).join("\n");
}

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
