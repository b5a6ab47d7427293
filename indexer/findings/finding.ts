/**
 * A risk finding as the store keeps it: what kind, how severe, about what, when (ledger time), a
 * sentence an auditor understands and the evidence (event ids, document hashes, figures as decimal
 * strings). Its id is a function of what it is about, so a finding computed again is the same row.
 */
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import { chunks, insertRows, type InsertEnding } from "../store/write/insert-rows.js";

export const FINDING_KINDS = [
  "CONSUMPTION_OVER_NORM",
  "DOCUMENT_WITHDRAWN_AFTER_CLEARANCE",
  "LONG_STAY",
  "SLOW_FACILITY",
  "RELEASED_NOT_RECEIVED",
  "HOLD",
  "QUANTITY_VANISHED",
  "REPEATED_AMENDMENTS",
  "TRANSIT_OVERDUE",
  "SEAL_BROKEN",
  "SEAL_ALERT",
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const SEVERITY_LABELS = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

/** Severity runs from 0 to 100; HIGH from 70, CRITICAL from 90. */
export function severityLabel(severity: number): SeverityLabel {
  return severity >= 90 ? "CRITICAL" : severity >= 70 ? "HIGH" : severity >= 40 ? "MEDIUM" : "LOW";
}

/** The least severity of each label (a filter "HIGH and above" is minSeverity 70). */
export const SEVERITY_FLOOR: Record<SeverityLabel, number> = { LOW: 0, MEDIUM: 40, HIGH: 70, CRITICAL: 90 };

export type SubjectKind = "lot" | "enterprise" | "document" | "facility";

export interface Evidence {
  events: string[];
  documents: string[];
  figures: Record<string, string>;
}

export interface Finding {
  id: string;
  kind: FindingKind;
  severity: number;
  subjectKind: SubjectKind;
  subject: string;
  /** The enterprise whose goods or books it is about (null for a facility's own pattern). */
  enterprise: string | null;
  lot: string | null;
  facility: string | null;
  /** The declaration or other document it is about. */
  document: string | null;
  time: bigint;
  /** The latest event it rests on. */
  event: bigint;
  /** Recomputed together with the other findings of its scope; null: one event's alone (kinds.ts). */
  scope: string | null;
  explanation: string;
  evidence: Evidence;
}

/** Orders by severity, highest first, then id: one text column, so a page's cursor is one value. */
export function rankOf(severity: number, id: string): string {
  return `${String(1000 - severity).padStart(4, "0")} ${id}`;
}

export function rowOf(finding: Finding): Database["findings"] {
  return {
    id: finding.id,
    kind: finding.kind,
    severity: BigInt(finding.severity),
    rank: rankOf(finding.severity, finding.id),
    subject_kind: finding.subjectKind,
    subject: finding.subject,
    enterprise: finding.enterprise,
    lot: finding.lot,
    facility: finding.facility,
    document: finding.document,
    time: finding.time,
    event_id: finding.event,
    scope: finding.scope,
    explanation: finding.explanation,
    evidence: JSON.stringify(finding.evidence),
  };
}

export function findingOf(row: Database["findings"]): Finding {
  return {
    id: row.id,
    kind: row.kind as FindingKind,
    severity: Number(row.severity),
    subjectKind: row.subject_kind as SubjectKind,
    subject: row.subject,
    enterprise: row.enterprise,
    lot: row.lot,
    facility: row.facility,
    document: row.document,
    time: BigInt(row.time),
    event: BigInt(row.event_id),
    scope: row.scope,
    explanation: row.explanation,
    evidence: JSON.parse(row.evidence) as Evidence,
  };
}

/**
 * Replaces the findings of these scopes with `findings` (computed afresh for them), writing only what
 * changed: a scope is recomputed whenever a batch touches it (a facility-stage's long stays with every
 * stay that ends there), and rewriting its unchanged findings was most of the findings' cost.
 */
export async function replaceScopes(db: Kysely<Database>, scopes: Iterable<string>, findings: readonly Finding[]): Promise<void> {
  const fresh = new Map(findings.map((finding) => [finding.id, rowOf(finding)]));
  const gone: string[] = [];
  for (const chunk of chunks([...new Set(scopes)])) {
    for (const row of await db.selectFrom("findings").selectAll().where("scope", "in", chunk).execute()) {
      const now = fresh.get(row.id);
      if (now === undefined) gone.push(row.id);
      else if (sameRow(row, now)) fresh.delete(row.id);
    }
  }
  for (const chunk of chunks(gone)) await db.deleteFrom("findings").where("id", "in", chunk).execute();
  await putRows(db, [...fresh.values()]);
}

/** Stores findings, replacing any stored under the same id. */
export async function putFindings(db: Kysely<Database>, findings: readonly Finding[]): Promise<void> {
  await putRows(db, [...new Map(findings.map((finding) => [finding.id, rowOf(finding)])).values()]);
}

/** Every column of findings but its key. */
const FINDING_COLUMNS: ReadonlyArray<keyof Database["findings"]> = [
  "kind",
  "severity",
  "rank",
  "subject_kind",
  "subject",
  "enterprise",
  "lot",
  "facility",
  "document",
  "time",
  "event_id",
  "scope",
  "explanation",
  "evidence",
];

/** Inserts a finding, or overwrites the one stored under its id. */
const REPLACE_FINDING: InsertEnding<"findings"> = {
  name: "replace finding",
  finish: (query) =>
    query.onConflict((conflict) =>
      conflict.column("id").doUpdateSet((eb) => Object.fromEntries(FINDING_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)]))),
    ),
};

async function putRows(db: Kysely<Database>, rows: ReadonlyArray<Database["findings"]>): Promise<void> {
  await insertRows(db, "findings", rows, REPLACE_FINDING);
}

/** Whether a stored row holds these values (integers read as bigint on both engines). */
function sameRow(stored: Database["findings"], row: Database["findings"]): boolean {
  return (Object.keys(row) as Array<keyof Database["findings"]>).every((column) => stored[column] === row[column]);
}

/** Whole-number percent of `part` over `whole`, rounded down (bigint, so figures of any size work). */
export function percentOver(part: bigint, whole: bigint): bigint {
  return whole === 0n ? 100n : ((part - whole) * 100n) / whole;
}

/** A duration as an auditor reads it: hours under two days, days above, rounded to one decimal. */
export const duration = (seconds: bigint): string => {
  const [unit, name] = seconds < 172_800n ? [3_600n, "hours"] : [86_400n, "days"];
  const tenths = (seconds * 10n + unit / 2n) / unit;
  return `${tenths / 10n}.${tenths % 10n} ${name}`;
};

export const isoDay = (time: bigint): string => new Date(Number(time) * 1000).toISOString().slice(0, 10);
