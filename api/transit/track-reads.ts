/**
 * A lot's trip under seal as the API (GraphQL's trip fields, the route drawing, the audit) reads it: the
 * track segments anchored for it and, for a caller entitled to the evidence (customs, the lot's owner),
 * each segment's positions and alerts read from the stored file and verified against the ledger
 * (verifySegmentFile), so a stored file that was altered or lost shows INVALID, never silently. Reports
 * not yet anchored are listed apart as pending: they are kept, but nothing proves them yet.
 *
 * The stored file is decrypted with the caller's own organisation's key, only when this node holds it
 * (TRACEGATE_DECRYPT_FOR), as GET /documents/<hash>/content does.
 */
import type { Kysely } from "kysely";
import { SEAL_ALERTS, type Hash, type Id, type LedgerTime, type SealAlert } from "../../domain/index.js";
import { segmentBatch, type SealMessage } from "../../domain/seal-track.js";
import type { Database } from "../../indexer/store/index.js";
import type { Verdict } from "../../sdk/anchoring/verdict.js";
import type { VerifyingLedger } from "../../sdk/anchoring/verifier.js";
import { open } from "../../sdk/documents/envelope.js";
import { DocumentError } from "../../sdk/documents/errors.js";
import type { DocumentStore } from "../../sdk/documents/store.js";
import type { Transaction } from "../../sdk/ledger.js";
import { unreadableSegment, verifySegmentFile } from "../../sdk/transit/track-verifier.js";
import type { Viewer } from "../auth/viewer.js";
import type { DocumentKeyRing } from "../document-keys.js";
import { batchByRoot, batchMemberRevocation } from "../read/documents.js";

/** A trip segment as the index records it: one SEAL_TRACK batch of the seal's reports. */
export interface TrackSegmentSummary {
  root: Hash;
  seal: Id;
  /** The lots the segment names (those the seal closed while it reported). */
  lots: Id[];
  /** Where the encrypted segment file is stored; null until it is. */
  cid: string | null;
  count: number;
  /** The device times of its first and last message, seconds since the epoch. */
  firstTime: LedgerTime;
  lastTime: LedgerTime;
  /** The transaction that anchored its root, as the index has it; null while not (yet) indexed as anchored. */
  anchoredIn: Transaction | null;
}

/** What an entitled caller reads of a segment: the verdict on its stored file and, when the file reads as a segment, its messages. */
export type SegmentEvidence =
  | { verdict: Verdict; messages: SealMessage[] }
  /** The file could not be decrypted here: this node holds no document key of the caller's organisation. */
  | { unavailable: string };

export interface LotTrack {
  lot: Id;
  /** The lot's segments, oldest first; each with its evidence when the caller is entitled to it. */
  segments: Array<TrackSegmentSummary & { evidence?: SegmentEvidence }>;
  /** Reports of the lot's current seal kept but not anchored yet, oldest first (entitled callers only; empty otherwise). */
  pending: SealMessage[];
  /** Whether the caller sees positions and alerts (customs, the lot's owner). */
  entitled: boolean;
}

export interface TrackSources {
  db: Kysely<Database>;
  /** Undefined when the API serves no document store: segments then come without evidence. */
  documents: DocumentStore | undefined;
  keys: DocumentKeyRing;
  /** What segments are verified against; the index's record of the ledger when not given. */
  ledger?: VerifyingLedger;
}

/** The lot's track as `viewer` may read it; undefined when the lot does not exist or the viewer may not see it. */
export async function lotTrack(sources: TrackSources, viewer: Viewer, lot: Id): Promise<LotTrack | undefined> {
  const { db } = sources;
  const row = await db.selectFrom("lots").select(["owner", "custodian", "seal", "destination"]).where("id", "=", lot).executeTakeFirst();
  if (row === undefined || !viewer.canSeeLot(row)) return undefined;
  const entitled = viewer.isAuditor || viewer.org === row.owner;
  const rows = await db
    .selectFrom("seal_segment_lots")
    .innerJoin("seal_segments", "seal_segments.root", "seal_segment_lots.root")
    .selectAll("seal_segments")
    .where("seal_segment_lots.lot", "=", lot)
    .orderBy("seal_segments.first_time")
    .orderBy("seal_segments.root")
    .execute();
  const ledger = sources.ledger ?? indexLedger(db);
  const segments = await Promise.all(
    rows.map(async (segment) => {
      const summary: TrackSegmentSummary = {
        root: segment.root as Hash,
        seal: segment.seal,
        lots: JSON.parse(segment.lots) as Id[],
        cid: segment.cid,
        count: Number(segment.count),
        firstTime: segment.first_time,
        lastTime: segment.last_time,
        anchoredIn: (await batchByRoot(db, segment.root as Hash))?.anchoredIn ?? null,
      };
      if (!entitled || sources.documents === undefined) return summary;
      return { ...summary, evidence: await evidence(sources.documents, sources.keys, ledger, viewer.org, summary) };
    }),
  );
  return { lot, segments, pending: entitled && row.seal !== "" ? await pendingReports(db, row.seal, lot) : [], entitled };
}

/** The stored file decrypted, verified, and checked to be the segment recorded under this root (not another anchored one). */
async function evidence(
  documents: DocumentStore,
  keys: DocumentKeyRing,
  ledger: VerifyingLedger,
  org: Id,
  segment: TrackSegmentSummary,
): Promise<SegmentEvidence> {
  const key = keys.privateKey(org);
  if (key === undefined) return { unavailable: `this node holds no document key of ${org}: read the segment file ${segment.cid ?? ""} with your own key` };
  if (segment.cid === null) return { verdict: unreadableSegment("the segment file was never stored"), messages: [] };
  let file: Uint8Array;
  try {
    file = open(await documents.get(segment.cid), org, key);
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    return { verdict: unreadableSegment(`the stored segment file ${segment.cid} cannot be read: ${error.message}`), messages: [] };
  }
  const { verdict, segment: read } = await verifySegmentFile(ledger, file);
  if (read === undefined) return { verdict, messages: [] };
  const root = segmentBatch(read).root;
  if (root !== segment.root) {
    return {
      verdict: unreadableSegment(`the stored file builds root ${root}, not ${segment.root}: it is not the segment anchored for this trip`),
      messages: read.messages,
    };
  }
  return { verdict, messages: read.messages };
}

async function pendingReports(db: Kysely<Database>, seal: Id, lot: Id): Promise<SealMessage[]> {
  const rows = await db.selectFrom("seal_reports").selectAll().where("segment", "is", null).where("seal", "=", seal).orderBy("time").orderBy("hash").execute();
  return rows.filter((row) => (JSON.parse(row.lots) as Id[]).includes(lot)).map(messageOf);
}

/** A kept report's message, as the index holds it. */
export function messageOf(row: Database["seal_reports"]): SealMessage {
  return {
    seal: row.seal,
    time: row.time,
    latitude: row.latitude,
    longitude: row.longitude,
    sealClosed: row.seal_closed === 1n,
    alerts: row.alerts === "" ? [] : (row.alerts.split(",") as SealAlert[]).filter((alert) => SEAL_ALERTS.includes(alert)),
  };
}

/** The ledger as the index records it: what the API verifies documents against. */
export function indexLedger(db: Kysely<Database>): VerifyingLedger {
  return {
    document: async () => undefined,
    batch: (root) => batchByRoot(db, root),
    batchMemberRevocation: (root, leaf) => batchMemberRevocation(db, root, leaf),
    organisation: async (id) => {
      const org = await db.selectFrom("organisations").select(["id", "kind"]).where("id", "=", id).executeTakeFirst();
      return org === undefined ? undefined : ({ id: org.id, kind: org.kind } as Awaited<ReturnType<VerifyingLedger["organisation"]>>);
    },
  };
}
