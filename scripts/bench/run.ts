/**
 * `npm run bench`: every benchmark of the project. Prints the figures and writes them, with the machine
 * they ran on, to bench/report.md and bench/report.json. Progress goes to stderr. `--only indexer,api`
 * runs some sections and only prints them. `--scale` runs the national-scale benchmark alone (scale.ts;
 * docs/scale.md gives its run time), into bench/scale-report.md and the README's scale table.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { benchAnchoring } from "./anchoring.js";
import { benchApi } from "./api.js";
import { benchCapture } from "./capture.js";
import { benchChainReplay } from "./chain-replay.js";
import { benchDocuments } from "./documents.js";
import { gasRows, measureGas } from "./gas.js";
import { benchIndexer, INDEXER_LABELS } from "./indexer.js";
import { benchJournalCommit } from "./journal-commit.js";
import { benchScale, scaleLabels, scaleMarkdown } from "./scale.js";
import { benchSeeds } from "./seeds.js";
import { updateReadme } from "./readme.js";
import { checkTargets, targetsMarkdown, type Figures } from "./targets.js";

interface Section {
  title: string;
  header: [string, string, string];
  rows: Array<[string, string, string]>;
}

const progress = (area: string) => (label: string) => process.stderr.write(`${area}: ${label}\n`);

async function gasSection(): Promise<Section> {
  const figures = await measureGas(progress("gas"));
  const issue = figures.gas.get("TradeTrust DocumentStore.issue")!;
  const rows = gasRows(figures).map(([label, used, note]): [string, string, string] => {
    const ratio = label.startsWith("anchor (") ? `${(used / issue).toFixed(2)} × TradeTrust issue` : note;
    return [label, used.toLocaleString("en"), ratio];
  });
  return { title: "Gas per operation (in-process EVM, solc optimizer 200 runs, cancun)", header: ["operation", "gas", "note"], rows };
}

/** A figure's unit, from its name's suffix. */
function unitOf(name: string): string {
  if (name.endsWith("_per_s")) return "per second";
  if (name.endsWith("_ms")) return "ms";
  if (name.endsWith("_MiB")) return "MiB";
  return "count";
}

/** A section of figures; `labels` says what some of them measure, beside their unit. */
function figureSection(title: string, figures: Record<string, number>, labels: Record<string, string> = {}): Section {
  const rows = Object.entries(figures).map(([name, value]): [string, string, string] => [
    name,
    value.toLocaleString("en"),
    labels[name] === undefined ? unitOf(name) : `${unitOf(name)}: ${labels[name]}`,
  ]);
  return { title, header: ["figure", "value", "unit"], rows };
}

const documentsSection = async () => figureSection("Document store and encryption (one operation at a time)", await benchDocuments());
const anchoringSection = async () =>
  figureSection("Anchoring and verification (embedded ledger, 2 KiB documents, batch of 20,000)", await benchAnchoring(progress("anchoring")));
const chainReplaySection = async () =>
  figureSection("Persistent embedded chain (journaled sends; restart replaying the journal, in process)", await benchChainReplay(progress("chain")));
const journalCommitSection = async () =>
  figureSection("Chain journal durable commit (answered once fdatasynced; in-process chain, nothing deployed)", await benchJournalCommit(progress("journal")));
const seedsSection = async () =>
  figureSection(
    "Scenario generator and loader (200,000 events generated; 3,000 loaded onto a journaled embedded chain, documents stored)",
    await benchSeeds(progress("seeds")),
  );
const captureSection = async () =>
  figureSection(
    "EPCIS capture end to end (npm start's embedded default in process: POST until visible through GET /epcis/events)",
    await benchCapture(progress("capture")),
  );
const indexerSection = async () =>
  figureSection("Indexer (200,000 events of the trade workload, recorded from the in-process EVM)", await benchIndexer(progress("indexer")), INDEXER_LABELS);

async function apiSection(): Promise<Section> {
  const figures = await benchApi(progress("api"));
  const size = `${figures.api_store_events!.toLocaleString("en")} events, ${figures.api_store_lots!.toLocaleString("en")} lots`;
  return figureSection(`Audit API (${size}; one request at a time, then autocannon with 32 connections)`, figures);
}

/** Every figure of every section by its row name, as a number. */
function figuresOf(sections: readonly Section[]): Figures {
  return new Map(sections.flatMap(({ rows }) => rows.map(([name, value]): [string, number] => [name, Number(value.replaceAll(",", ""))])));
}

function markdown(sections: readonly Section[], machine: Record<string, string>, targets: string): string {
  const lines = ["# TraceGate benchmark report", "", ...Object.entries(machine).map(([key, value]) => `- ${key}: ${value}`), "", "## Targets", "", targets, ""];
  for (const { title, header, rows } of sections) {
    lines.push(`## ${title}`, "", `| ${header.join(" | ")} |`, `|---|--:|---|`, ...rows.map((row) => `| ${row.join(" | ")} |`), "");
  }
  return lines.join("\n");
}

const machine = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
};
const SECTIONS: Record<string, () => Promise<Section>> = {
  gas: gasSection,
  documents: documentsSection,
  anchoring: anchoringSection,
  "chain-replay": chainReplaySection,
  "journal-commit": journalCommitSection,
  seeds: seedsSection,
  indexer: indexerSection,
  api: apiSection,
  capture: captureSection,
};

/** `--only indexer,api`: those sections, printed only (a partial run must not replace the full report). */
function onlySections(argv: readonly string[]): string[] | undefined {
  const at = argv.indexOf("--only");
  if (at < 0) return undefined;
  const names = (argv[at + 1] ?? "").split(",").filter((name) => name !== "");
  const unknown = names.filter((name) => !(name in SECTIONS));
  if (names.length === 0 || unknown.length > 0) {
    process.stderr.write(`--only takes sections among ${Object.keys(SECTIONS).join(", ")}${unknown.length > 0 ? ` (not ${unknown.join(", ")})` : ""}\n`);
    process.exit(2);
  }
  return names;
}

if (process.argv.includes("--scale")) {
  const figures = await benchScale(progress("scale")).catch((error: unknown) => {
    process.stderr.write(`scale: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
  const section = figureSection("National scale (a seeds year ingested by the indexer, then the audit API over it)", figures, scaleLabels(figures));
  const report = markdown([section], machine, scaleMarkdown(figures));
  await mkdir("bench", { recursive: true });
  await writeFile("bench/scale-report.md", report);
  await writeFile("bench/scale-report.json", `${JSON.stringify({ machine, section }, null, 2)}\n`);
  await updateReadme(
    "README.md",
    `Measured ${machine.date.slice(0, 10)} on ${machine.cpu}, ${machine.memory} (full figures: [bench/scale-report.md](bench/scale-report.md)):\n\n${scaleMarkdown(figures)}`,
    "scale",
  );
  process.stdout.write(report);
  process.exit(0);
}

const only = onlySections(process.argv.slice(2));
const sections: Section[] = [];
for (const [name, section] of Object.entries(SECTIONS)) if (only === undefined || only.includes(name)) sections.push(await section());
const targets = checkTargets(figuresOf(sections));
const report = markdown(sections, machine, targetsMarkdown(targets));
if (only !== undefined) {
  process.stdout.write(report);
  process.exit(0);
}
await mkdir("bench", { recursive: true });
await writeFile("bench/report.md", report);
await writeFile("bench/report.json", `${JSON.stringify({ machine, targets, sections }, null, 2)}\n`);
await updateReadme(
  "README.md",
  `Measured ${machine.date.slice(0, 10)} on ${machine.cpu}, ${machine.memory} (full figures: [bench/report.md](bench/report.md)):\n\n${targetsMarkdown(targets)}`,
);
process.stdout.write(report);
