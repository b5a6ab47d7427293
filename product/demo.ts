/**
 * `npm run demo [-- --seed N --events N]`: loads a year of Vietnamese processing trade (seeds/), ending
 * by today, into the running product (`npm start`, same TRACEGATE_HOME), brings the chain's clock to
 * now, waits for the indexer, then runs the GraphQL query that reveals each planted anomaly and prints
 * it with its answer, ready to paste into GraphiQL (after registering the loaded e-seal tracks on the node,
 * POST /transit/segments, so the lots' trips show them); then a verification link and QR code for one C/O and a
 * label for its lot (<home>/codes/). A chain holds one demo year (<home>/demo.json): a
 * re-run finishes a load that was interrupted, or shows the loaded year's anomalies again.
 * Exits 1 if a query does not show its anomaly, the node refuses a track or loading fails, 2 if the demo cannot run as asked.
 */
import { resolve } from "node:path";
import { developmentIssuer, runAnomalyQueries, type AnomalyAnswer } from "./anomaly-queries.js";
import { describeDemoCodes, writeDemoCodes } from "./demo-codes.js";
import { registerDemoTracks } from "./demo-tracks.js";
import { catchUpWithWallClock, DemoPlanError, headOf, planDemo, requireEndsByNow } from "./demo-calendar.js";
import { DemoRecordError, readDemoRecord, writeDemoRecord, type DemoRecord } from "./demo-record.js";
import { keepDataPrivate } from "./private-data.js";
import { readControlToken } from "./rpc-control-token.js";
import { findRunningProduct, type RunningProduct } from "./running-file.js";
import { waitForIndexer } from "./wait-for-indexer.js";
import { loadScenario, LoadResumeError, type StoredTrack } from "../seeds/loader/load.js";
import { progressPrinter } from "../seeds/progress.js";
import { CUSTOMS } from "../seeds/registry.js";
import { DEMO_EVENTS, generateScenario } from "../seeds/scenario.js";
import { httpRpc } from "../sdk/evm/rpc.js";
import { readCommandLine } from "../sdk/settings/command-line.js";
import { ledgerTimeIso } from "../sdk/ledger-time.js";

/** Refused as asked: the message says what to do. */
class UsageError extends Error {}

/** Set once this run's load is recorded: a failure after it can be resumed by running the demo again. */
let resumable = false;

async function main(): Promise<number> {
  const values = readCommandLine("usage: npm run demo [-- --seed N --events N]   (onto the product `npm start` runs, same TRACEGATE_HOME)", {
    seed: { type: "string" },
    events: { type: "string" },
  });
  const seed = wholeNumber(values.seed, "--seed", 0);
  const events = wholeNumber(values.events, "--events", 1);

  const home = resolve(process.env.TRACEGATE_HOME ?? ".tracegate");
  const running = await findRunningProduct(home).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  if (running.chain === undefined) {
    throw new UsageError("the demo loads onto the product's embedded chain, and this product follows an external ledger: load seeds there with `npm run seed`");
  }
  const { rpcUrl, addresses } = running.chain;
  // The loader lays each slot's block at its time with evm_mine: a control method, opened by the product's token.
  const endpoint = { url: rpcUrl, token: await readControlToken(home).catch((error: Error) => Promise.reject(new UsageError(error.message))) };
  const rpc = httpRpc(endpoint);
  const chain = { genesis: (await rpc.request<{ hash: string }>("eth_getBlockByNumber", ["0x0", false])).hash, registry: addresses.TraceGateRegistry };
  const head = await headOf(rpcUrl);
  const now = new Date();
  const recorded = await readDemoRecord(home, chain).catch((error: unknown) =>
    Promise.reject(error instanceof DemoRecordError ? new UsageError(error.message) : error),
  );
  const plan = planDemo({ seed, events, defaults: { seed: 1, events: DEMO_EVENTS }, record: recorded, head, now, home });
  const scenario = generateScenario({ seed: plan.seed, events: plan.events, start: plan.start });
  const year = `${scenario.events.toLocaleString("en")} events of ${ledgerTimeIso(scenario.period.from).slice(0, 10)} … ${ledgerTimeIso(scenario.period.to).slice(0, 10)} (seed ${scenario.seed})`;
  const record: DemoRecord = { seed: plan.seed, events: plan.events, start: String(plan.start), ...chain, complete: false };

  let tracks: StoredTrack[] = [];
  if (plan.kind === "loaded") {
    process.stderr.write(`the demo's ${year} is on this chain already: showing its anomalies again\n`);
    for await (const _step of scenario.steps); // the anomalies are known once the year is generated
  } else {
    if (!plan.resume) requireEndsByNow(scenario.period, head, now, home);
    await writeDemoRecord(home, record);
    resumable = true;
    process.stderr.write(plan.resume ? `resuming the load of ${year}, stopped at ${ledgerTimeIso(head)}\n` : `loading ${year} into ${rpcUrl}\n`);
    const loaded = await loadScenario({ endpoint, addresses, scenario, dataDir: home, resume: plan.resume, onProgress: progressPrinter(process.stderr) });
    await writeDemoRecord(home, { ...record, complete: true });
    tracks = loaded.tracks;
    const before = loaded.skipped === 0 ? "" : ` (${loaded.skipped.toLocaleString("en")} were on the chain already)`;
    const stored = loaded.tracks.length === 0 ? "" : `; ${loaded.tracks.length.toLocaleString("en")} e-seal tracks stored and anchored (SEAL_TRACK)`;
    process.stderr.write(
      `loaded ${loaded.events.toLocaleString("en")} events in ${loaded.blocks.toLocaleString("en")} blocks (${Math.round(loaded.seconds)} s)${before}${stored}\n`,
    );
  }
  const last = await catchUpWithWallClock(rpc, new Date());
  process.stderr.write(`the chain's clock is at now; waiting for the indexer\n`);
  await waitForIndexer(running.metricsUrl, last);
  const customs = await (await developmentIssuer(resolve(home, "api-dev-key.json"))).mint(CUSTOMS, "AUDITOR");
  const registration = await registerDemoTracks(running.apiUrl, customs, tracks);
  if (tracks.length > 0) {
    const known = registration.known === 0 ? "" : ` (${registration.known} were registered already)`;
    process.stderr.write(`registered ${registration.registered} of ${tracks.length} e-seal tracks on the node${known}: the lots' trips show them\n`);
  }
  for (const refusal of registration.refused) process.stderr.write(`e-seal track refused by the node: ${refusal}\n`);

  const answers = await runAnomalyQueries(running.apiUrl, resolve(home, "api-dev-key.json"), scenario.anomalies);
  process.stdout.write(answers.map((answer, index) => describe(running, answer, index)).join("\n"));
  const missed = answers.filter((answer) => !answer.found).length;
  process.stdout.write(
    `\n${answers.length - missed} of ${answers.length} planted anomalies found. Explore more at ${running.apiUrl}/ (tokens: printed by npm start).\n`,
  );
  process.stdout.write(
    describeDemoCodes(await writeDemoCodes(running.apiUrl, customs, process.env.TRACEGATE_PUBLIC_URL || running.apiUrl, resolve(home, "codes"))),
  );
  return missed === 0 && registration.refused.length === 0 ? 0 : 1;
}

function wholeNumber(value: string | undefined, flag: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < minimum)
    throw new UsageError(`${flag} must be a whole number of at least ${minimum}, not "${value}"`);
  return number;
}

function describe(running: RunningProduct, { anomaly, found, caller, error }: AnomalyAnswer, index: number): string {
  return `${index + 1}. ${anomaly.title}  [${found ? "found" : `NOT FOUND${error === undefined ? "" : `: ${error}`}`}]
   ${anomaly.description}
   Run as ${caller.org}/${caller.role} at ${running.apiUrl}/graphql; the answer shows ${anomaly.expect}.
${indent(anomaly.query)}
   variables: ${JSON.stringify(anomaly.variables)}
`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `     ${line}`)
    .join("\n");
}

keepDataPrivate();
try {
  process.exit(await main());
} catch (error) {
  const refused = error instanceof UsageError || error instanceof DemoPlanError || error instanceof LoadResumeError;
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  process.stderr.write(`npm run demo: ${error instanceof Error ? error.message : String(error)}${cause === undefined ? "" : ` (${cause})`}\n`);
  if (error instanceof LoadResumeError)
    process.stderr.write(`To start afresh: stop TraceGate, move ${resolve(process.env.TRACEGATE_HOME ?? ".tracegate")} aside and start it again.\n`);
  else if (!refused && resumable) process.stderr.write("Once the cause is fixed, `npm run demo` again resumes the load where it stopped.\n");
  process.exit(refused ? 2 : 1);
}
