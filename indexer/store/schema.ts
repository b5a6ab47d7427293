/**
 * The store's tables as Kysely sees them. Column types are the same on both engines:
 * - whole numbers that always fit 64 bits (block numbers, event ids, ledger times, counts) are `bigint`
 *   (SQLite INTEGER, PostgreSQL bigint);
 * - quantities (the domain allows up to 2^96 - 1, sums go beyond) are decimal strings (SQLite TEXT,
 *   PostgreSQL numeric(78,0)), added up as bigint in TypeScript, never as floats;
 * - flags are 0/1 bigints (SQLite has no boolean);
 * - ids, hashes, states and kinds are text.
 */

import type { Generated } from "kysely";

/** One row per chain the store follows, with how far it got: the checkpoint. */
export interface ChainsTable {
  number: bigint;
  /** The source's identity (network, contract addresses, channel). */
  id: string;
  /** Last block whose events are all in the store; -1 before the first. */
  block_number: bigint;
  block_hash: string;
  /** 1 while the indexer catches up far behind the head (catch-up.ts): findings and some indexes deferred. */
  catching_up: Generated<bigint>;
}

/** An index dropped while catching up, with the statement that creates it again (catch-up.ts). */
export interface DeferredIndexesTable {
  name: string;
  definition: string;
}

/** Headers of the newest blocks, to find where a reorganised chain left ours. */
export interface BlocksTable {
  number: bigint;
  hash: string;
  parent_hash: string;
}

export interface EventsTable {
  /** Block × 2^20 + index in block: chain order (see events.ts). */
  id: bigint;
  chain: bigint;
  block_number: bigint;
  tx_hash: string;
  event_index: bigint;
  time: bigint;
  /** The custody action, or the event type. */
  kind: string;
  /** The first lot a custody event wrote. */
  lot: string | null;
  /** Custody actor, document or batch issuer, norm owner. */
  actor: string | null;
  facility: string | null;
  /** 1 for a custody event the ledger flagged (a transform that deviated from its norm), else 0. */
  flagged: bigint;
  /** The event as JSON, less what columns and lot_transitions hold (payload.ts). */
  payload: string;
  /** A custody event's CBV 2.0 event hash, of the whole event (write/epcis-ids.ts); null for other events. */
  epcis_hash: string | null;
  /** Its first 64 bits, indexed (write/epcis-ids.ts epcisKey). */
  epcis_key: bigint | null;
  /** The transaction's key, indexed: how events are found by transaction (write/tx-keys.ts). */
  tx_key: bigint;
}

/** A lot's state as of some event: the domain Lot, column by column. */
export interface LotColumns {
  material: string;
  hs_code: string;
  unit: string;
  quantity: string;
  owner: string;
  custodian: string;
  location: string;
  state: string;
  prior_state: string;
  direction: string;
  preference_claimed: bigint;
  permit_required: bigint;
  declaration: string | null;
  /** Transit under seal (migration 0012): the seal's and the destination's ids, "" when not in transit; the deadline, 0 then. */
  seal: string;
  destination: string;
  deadline: bigint;
}

/** Current state of every lot: the last transition's lot, and since when it is in its stage. */
export interface LotsTable extends LotColumns {
  id: string;
  last_event: bigint;
  /** When the lot entered its current state at its current location, and by which event. */
  stage_since: bigint;
  stage_event: bigint;
}

/**
 * Every lot a custody event wrote, as the event left it (`position`: its place in the event's
 * transitions). Read by lot (history, in order) and by event (to rebuild the event).
 */
export interface LotTransitionsTable extends LotColumns {
  event_id: bigint;
  position: bigint;
  lot: string;
  from_state: string;
}

/** A finished stay of a lot in one state at one facility. */
export interface StageStaysTable {
  lot: string;
  entered_event: bigint;
  state: string;
  facility: string;
  entered_at: bigint;
  left_at: bigint;
  duration: bigint;
  left_event: bigint;
}

/** The number of finished stays of a facility-stage per duration bucket (write/stay-durations.ts). */
export interface StayDurationsTable {
  state: string;
  facility: string;
  bucket: bigint;
  stays: bigint;
}

/** Lots made from lots: split parent → child, transform input → output. */
export interface LineageTable {
  event_id: bigint;
  parent: string;
  child: string;
  kind: string;
  /** Split: the child's quantity. Transform: the quantity of the parent consumed. */
  quantity: string;
}

/** Production-material movements per enterprise, material and UTC day. */
export interface MaterialBalancesTable {
  enterprise: string;
  material: string;
  /** Start of the UTC day, ledger time. */
  day: bigint;
  received: string;
  consumed: string;
  destroyed: string;
  /** What the norms allowed the day's transforms for what they produced, waste included (domain NormUse). */
  allowed: string;
  /** What the day's transforms over their norm for this material consumed of it, and what they were allowed. */
  over_consumed: string;
  over_allowed: string;
  /** Events that moved this bucket (a bucket is dropped when a rollback takes it to zero). */
  events: bigint;
  /** The production stock at the end of the day: received less consumed and destroyed, this day and every earlier one. */
  closing: string;
}

export interface DocumentsTable {
  hash: string;
  id: string;
  kind: string;
  cid: string;
  issuer: string;
  version: bigint;
  supersedes: string | null;
  superseded_by: string | null;
  status: string;
  anchored_at: bigint;
  anchored_event: bigint;
  /** The event that superseded or revoked it. */
  status_event: bigint | null;
}

export interface DocumentSubjectsTable {
  hash: string;
  lot: string;
}

/** Documents a custody event relied on (declaration, CO, permit, norm document). */
export interface EventDocumentsTable {
  event_id: bigint;
  hash: string;
}

export interface OrganisationsTable {
  id: string;
  kind: string;
  event_id: bigint;
}

export interface FacilitiesTable {
  id: string;
  kind: string;
  operator: string;
  event_id: bigint;
}

/** A capture job (POST /epcis/capture or one event): who sent it, how to treat errors, where it stands. */
export interface CaptureJobsTable {
  id: string;
  org: string;
  role: string;
  /** rollback | proceed */
  error_behaviour: string;
  /** running | success | failed */
  state: string;
  /** Wall-clock milliseconds: when the node took and finished the job (not ledger time). */
  created_at: bigint;
  finished_at: bigint | null;
  event_count: bigint;
}

/** One event of a capture job, and what became of it. */
export interface CapturedEventsTable {
  job: string;
  position: bigint;
  /** The organisation that captured it (the job's): event ids are unique per organisation. */
  org: string;
  event_id: string;
  /** The custody action it maps to (JSON, quantities as decimal strings); null when it does not map. */
  action: string | null;
  /** pending | accepted | duplicate | refused | not_applied */
  status: string;
  /** The ledger transaction (part of the job) it went out in. */
  part: bigint | null;
  code: string | null;
  reason: string | null;
  /** Where an accepted event was recorded: its transaction, and its rank among that transaction's custody events. */
  tx_hash: string | null;
  ordinal: bigint | null;
  /** A seal's device report (migration 0013: JSON, api/capture/seal-reports.ts) instead of an action; null otherwise. */
  report: string | null;
}

/** A transaction signed for a part of a job, recorded before it is sent: after a crash, the node finds out whether it was applied. */
export interface CaptureSendsTable {
  job: string;
  part: bigint;
  attempt: bigint;
  tx_id: string;
  /** The signed transaction, to send again after a crash (EVM); null where the ledger keeps its own record (Fabric). */
  raw: string | null;
}

/** A risk finding (indexer/findings/): kept up to date with the events it comes from. */
export interface FindingsTable {
  id: string;
  kind: string;
  /** 0 to 100. */
  severity: bigint;
  /** Severity, highest first, then id, as one sortable text (findings/finding.ts rankOf). */
  rank: string;
  subject_kind: string;
  subject: string;
  enterprise: string | null;
  lot: string | null;
  facility: string | null;
  document: string | null;
  /** Ledger time the finding stands at. */
  time: bigint;
  /** The latest event it rests on: a rollback past it removes the finding (or recomputes its scope). */
  event_id: bigint;
  /** What it is recomputed with (a lot's holds, a facility-stage's stays …); null: it is one event's alone. */
  scope: string | null;
  explanation: string;
  /** JSON: { events, documents, figures } with figures as decimal strings. */
  evidence: string;
}

/** A seal's device report, kept once per capturing organisation and event id (migration 0013). */
export interface SealReportsTable {
  org: string;
  event_id: string;
  seal: string;
  /** When the device read, seconds since the epoch. */
  time: bigint;
  /** WGS 84 microdegrees. */
  latitude: bigint;
  longitude: bigint;
  /** 1 when the seal was closed at the reading. */
  seal_closed: bigint;
  /** The alerts raised, comma-separated in SEAL_ALERTS order; "" for a routine report. */
  alerts: string;
  /** The message's hash: its member of the segment's Merkle batch. */
  hash: string;
  /** JSON array of the lots the seal closed when the report was taken. */
  lots: string;
  /** The root of the segment it is anchored in; null while pending. */
  segment: string | null;
}

/** A seal's track segment: a SEAL_TRACK batch of its reports, stored in the document store. */
export interface SealSegmentsTable {
  root: string;
  seal: string;
  /** JSON array of the lots the segment names. */
  lots: string;
  count: bigint;
  first_time: bigint;
  last_time: bigint;
  /** Where the encrypted segment file is; null until stored. */
  cid: string | null;
  /** open (its reports chosen, not yet known to be anchored) | anchored */
  state: string;
  tx_hash: string | null;
}

/** Which segments name which lot. */
export interface SealSegmentLotsTable {
  lot: string;
  root: string;
}

export interface Database {
  chains: ChainsTable;
  blocks: BlocksTable;
  events: EventsTable;
  lots: LotsTable;
  lot_transitions: LotTransitionsTable;
  stage_stays: StageStaysTable;
  stay_durations: StayDurationsTable;
  lineage: LineageTable;
  material_balances: MaterialBalancesTable;
  documents: DocumentsTable;
  document_subjects: DocumentSubjectsTable;
  event_documents: EventDocumentsTable;
  organisations: OrganisationsTable;
  facilities: FacilitiesTable;
  capture_jobs: CaptureJobsTable;
  captured_events: CapturedEventsTable;
  capture_sends: CaptureSendsTable;
  findings: FindingsTable;
  deferred_indexes: DeferredIndexesTable;
  seal_reports: SealReportsTable;
  seal_segments: SealSegmentsTable;
  seal_segment_lots: SealSegmentLotsTable;
}

/** Every table with its primary key: the order a logical dump lists rows in. */
export const TABLE_KEYS: { readonly [T in keyof Database]: ReadonlyArray<keyof Database[T] & string> } = {
  chains: ["number"],
  blocks: ["number"],
  events: ["id"],
  lots: ["id"],
  lot_transitions: ["event_id", "position"],
  stage_stays: ["lot", "entered_event"],
  stay_durations: ["state", "facility", "bucket"],
  lineage: ["event_id", "parent", "child"],
  material_balances: ["enterprise", "material", "day"],
  documents: ["hash"],
  document_subjects: ["hash", "lot"],
  event_documents: ["event_id", "hash"],
  organisations: ["id"],
  facilities: ["id"],
  capture_jobs: ["id"],
  captured_events: ["job", "position"],
  capture_sends: ["job", "part", "attempt"],
  findings: ["id"],
  deferred_indexes: ["name"],
  seal_reports: ["org", "event_id"],
  seal_segments: ["root"],
  seal_segment_lots: ["lot", "root"],
};
