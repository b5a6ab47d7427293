/**
 * The issues' speed, memory and gas targets, checked against a bench run: one table of measured vs
 * target that the report and the README show. A target whose figures a run did not produce is left out.
 */
import { custodyBatchLabel } from "./custody-batches.js";

export type Figures = ReadonlyMap<string, number>;

interface Target {
  name: string;
  target: number;
  /** "max": the measure must not exceed the target; "min": it must reach it. */
  bound: "max" | "min";
  unit: string;
  measure(figures: Figures): number | undefined;
  /** Why the design misses it today: tests expect the miss, so meeting it one day is noticed too. */
  knownMiss?: string;
}

const CUSTODY_ACTIONS = [
  "declare (new lot)",
  "arrive",
  "store",
  "hold",
  "unhold",
  "clear (declaration only)",
  "release",
  "receive",
  "declare (produced lot)",
  "clear (declaration, CO)",
  "depart",
  "destroy",
  "clear (amended declaration, CO, permit)",
  "seal",
  "alert",
  "unseal",
  "unseal (seal broken, held)",
];

const figure = (name: string) => (figures: Figures) => figures.get(name);
const ratio = (numerator: string, denominator: string) => (figures: Figures) => {
  const [top, bottom] = [figures.get(numerator), figures.get(denominator)];
  return top === undefined || bottom === undefined ? undefined : Math.round((top / bottom) * 100) / 100;
};

const perAction = (label: string, actions: number) => (figures: Figures) => {
  const used = figures.get(label);
  return used === undefined ? undefined : Math.round(used / actions);
};

const TARGETS: readonly Target[] = [
  {
    name: "single anchor, × TradeTrust issue",
    target: 1.2,
    bound: "max",
    unit: "×",
    measure: ratio("anchor (1 subject, 59-char CID)", "TradeTrust DocumentStore.issue"),
  },
  {
    name: "gas per document, batch of 1,000",
    target: 60,
    bound: "max",
    unit: "gas",
    measure: (f) => (f.has("anchorBatch (1,000 documents)") ? Math.round(f.get("anchorBatch (1,000 documents)")! / 1000) : undefined),
  },
  {
    name: "dearest custody action",
    target: 60_000,
    bound: "max",
    unit: "gas",
    knownMiss: "declaring a new lot writes a new storage slot (20k alone): ~71k, and the dearest clearance reads one cold record per document",
    measure: (f) => (CUSTODY_ACTIONS.every((action) => f.has(action)) ? Math.max(...CUSTODY_ACTIONS.map((action) => f.get(action)!)) : undefined),
  },
  // Issue 11: one custody action inside an atomic batch of 10 (against 47–70k for one per transaction).
  {
    name: "gas per custody action, batch of 10 (arrive … release)",
    target: 35_000,
    bound: "max",
    unit: "gas",
    measure: perAction(custodyBatchLabel(10, "movements"), 10),
  },
  {
    name: "gas per custody action, batch of 10 (declare, new lots)",
    target: 35_000,
    bound: "max",
    unit: "gas",
    measure: perAction(custodyBatchLabel(10, "declare"), 10),
    knownMiss: "each declaration makes a new lot: a storage slot written from zero (22.1k) and its full record in the event; ~48k",
  },
  { name: "batched anchoring", target: 20_000, bound: "min", unit: "documents/s", measure: figure("anchoring_batched_documents_per_s") },
  // One sender's blocks are each answered only once fdatasynced: at least 200 a second (the seeds loader's slots, one organisation's sends).
  { name: "chain journal durable commits, one sender", target: 200, bound: "min", unit: "blocks/s", measure: figure("journal_durable_commits_per_s") },
  { name: "indexer ingest into SQLite", target: 50_000, bound: "min", unit: "events/s", measure: figure("indexer_sqlite_ingest_events_per_s") },
  // Issue 17: the store rebuilt from the ledger cache, the node asked for no log.
  {
    name: "indexer rebuild from the ledger cache, into SQLite",
    target: 20_000,
    bound: "min",
    unit: "events/s",
    measure: figure("indexer_cached_rebuild_events_per_s"),
    knownMiss: "bounded by the store's own writes (indexer ingest into SQLite), not by the cache (indexer_cache_read_events_per_s)",
  },
  { name: "API lot history p99", target: 10, bound: "max", unit: "ms", measure: figure("lot_history_p99_ms") },
  { name: "API lineage (depth 10) p99", target: 50, bound: "max", unit: "ms", measure: figure("lineage_depth_10_p99_ms") },
  { name: "API verify p99", target: 5, bound: "max", unit: "ms", measure: figure("verify_p99_ms") },
  { name: "API reconciliation (30 days) p99", target: 200, bound: "max", unit: "ms", measure: figure("reconciliation_30_days_p99_ms") },
  { name: "API requests/s under load", target: 2_000, bound: "min", unit: "requests/s", measure: figure("load_requests_per_s") },
  // Issue 11: capture end to end on the embedded default, POST until visible through GET /epcis/events.
  { name: "EPCIS capture", target: 1_000, bound: "min", unit: "events/s", measure: figure("capture_events_per_s") },
  { name: "EPCIS capture, single event visible p99", target: 1_000, bound: "max", unit: "ms", measure: figure("capture_single_visible_p99_ms") },
];

export interface TargetRow {
  name: string;
  knownMiss?: string;
  measured: number;
  target: number;
  bound: "max" | "min";
  unit: string;
  met: boolean;
}

export function checkTargets(figures: Figures): TargetRow[] {
  return TARGETS.flatMap(({ name, target, bound, unit, measure, knownMiss }) => {
    const measured = measure(figures);
    if (measured === undefined) return [];
    return [
      {
        name,
        measured,
        target,
        bound,
        unit,
        met: bound === "max" ? measured <= target : measured >= target,
        ...(knownMiss === undefined ? {} : { knownMiss }),
      },
    ];
  });
}

export function targetsMarkdown(rows: readonly TargetRow[]): string {
  const lines = ["| measure | measured | target | met |", "|---|--:|--:|---|"];
  for (const { name, measured, target, bound, unit, met, knownMiss } of rows) {
    const verdict = met ? "yes" : knownMiss === undefined ? "**no**" : `**no** (known: ${knownMiss})`;
    lines.push(`| ${name} | ${measured.toLocaleString("en")} ${unit} | ${bound === "max" ? "≤" : "≥"} ${target.toLocaleString("en")} ${unit} | ${verdict} |`);
  }
  return lines.join("\n");
}
