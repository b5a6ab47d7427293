/**
 * When a seal's kept device reports become an anchored track segment (anchorSegment, as customs' SIGNER):
 * at once when a report carries an alert (its evidence must not wait), when the seal closes no lot any
 * more (unsealed), when the seal has `segmentReports` pending reports, or when its oldest pending report
 * is `segmentSeconds` older than the ledger's latest time. Until then they stay pending; a failure
 * (ledger or store unreachable) leaves them so, and the next pass tries again.
 *
 * Crash safety: a segment's reports are bound to its root before anything is sent, and it is recorded as
 * anchored only once the ledger has the batch. The root is the same however often the segment is
 * rebuilt, so a segment found open at the next pass is first looked up on the ledger: one anchored before
 * a crash is recorded, not anchored twice.
 */
import type { Kysely } from "kysely";
import { MAX_PARTS, type Actor, type Hash, type Id } from "../../domain/index.js";
import { MAX_SEGMENT_MESSAGES, segmentBatch, TRACK_FORMAT, type TrackSegment } from "../../domain/seal-track.js";
import type { Database } from "../../indexer/store/index.js";
import { DocumentAnchoring } from "../../sdk/anchoring/anchoring.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import type { Recipient } from "../../sdk/documents/envelope.js";
import type { DocumentStore } from "../../sdk/documents/store.js";
import type { Ledger } from "../../sdk/ledger.js";
import { anchorSegment, storeSegment } from "../../sdk/transit/track-anchoring.js";
import { batchByRoot } from "../read/documents.js";
import { insertSegment } from "./segment-rows.js";
import { messageOf } from "./track-reads.js";

/** When pending reports are anchored without an alert or an unsealing (TRACEGATE_TRACK_SEGMENT_REPORTS, _SECONDS). */
export interface TrackPolicy {
  segmentReports: number;
  segmentSeconds: bigint;
}

export const DEFAULT_TRACK_POLICY: TrackPolicy = { segmentReports: 120, segmentSeconds: 3_600n };

export interface TrackAnchorerOptions {
  db: Kysely<Database>;
  /** A ledger holding the key of `signer`. */
  ledger: Ledger;
  /** Customs' SIGNER: the issuer of seal tracks. */
  signer: Actor;
  documents: DocumentStore;
  /** An organisation's public document key (customs' own is required; an owner without one is left out of the recipients). */
  publicKey(org: Id): Promise<Recipient["publicKey"] | undefined>;
  policy: TrackPolicy;
  log: (line: string) => void;
  /** Between passes when nothing cues one (default 5 s). */
  intervalMs?: number;
}

export class TrackAnchorer {
  private queued: Promise<Hash[]> | undefined;
  private last: Promise<unknown> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: TrackAnchorerOptions) {
    this.timer = setInterval(() => this.nudge(), options.intervalMs ?? 5_000);
    this.nudge();
  }

  /** Asks for a pass soon (reports were kept). */
  nudge(): void {
    this.anchorDue().catch((error) => this.options.log(`seal tracks: ${error instanceof Error ? error.message : String(error)}; the reports stay pending`));
  }

  /** A pass that starts after this call: the roots it anchored (or recorded). Passes never overlap. */
  anchorDue(): Promise<Hash[]> {
    if (this.queued !== undefined) return this.queued;
    const pass = this.last.then(() => {
      this.queued = undefined;
      return this.closed ? [] : this.pass();
    });
    this.queued = pass;
    this.last = pass.catch(() => undefined);
    return pass;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.last;
  }

  private async pass(): Promise<Hash[]> {
    const { db } = this.options;
    const done: Hash[] = [];
    for (const open of await db.selectFrom("seal_segments").select("root").where("state", "=", "open").orderBy("first_time").execute()) {
      done.push(await this.finish(open.root as Hash));
    }
    const now = await latestLedgerTime(db);
    const seals = await db
      .selectFrom("seal_reports")
      .select((eb) => ["seal", eb.fn.countAll<bigint>().as("reports"), eb.fn.min("time").as("oldest"), eb.fn.max("alerts").as("alerts")])
      .where("segment", "is", null)
      .groupBy("seal")
      .orderBy("seal")
      .execute();
    for (const seal of seals) {
      const due =
        seal.alerts !== "" ||
        Number(seal.reports) >= this.options.policy.segmentReports ||
        (now !== undefined && now - BigInt(seal.oldest) >= this.options.policy.segmentSeconds) ||
        !(await closesLots(db, seal.seal));
      if (!due) continue;
      while (!this.closed) {
        const root = await this.openSegment(seal.seal);
        if (root === undefined) break;
        done.push(await this.finish(root));
      }
    }
    return done;
  }

  /** Binds the seal's oldest pending reports to a new segment's root; undefined when none is pending. */
  private async openSegment(seal: Id): Promise<Hash | undefined> {
    const { db } = this.options;
    const rows = await db
      .selectFrom("seal_reports")
      .selectAll()
      .where("segment", "is", null)
      .where("seal", "=", seal)
      .orderBy("time")
      .orderBy("hash")
      .limit(MAX_SEGMENT_MESSAGES)
      .execute();
    if (rows.length === 0) return undefined;
    const { segment, lots } = segmentOf(seal, rows);
    const { root } = segmentBatch(segment);
    await db.transaction().execute(async (trx) => {
      await insertSegment(trx, { root, seal, lots, messages: segment.messages, cid: null, state: "open", tx: null });
      for (const row of rows) {
        await trx.updateTable("seal_reports").set({ segment: root }).where("org", "=", row.org).where("event_id", "=", row.event_id).execute();
      }
    });
    return root;
  }

  /** Anchors an open segment, unless the ledger has it already (anchored before a crash); then records it. */
  private async finish(root: Hash): Promise<Hash> {
    const { db, ledger, signer } = this.options;
    const row = (await db.selectFrom("seal_segments").selectAll().where("root", "=", root).executeTakeFirst())!;
    if (row.state === "anchored") return root;
    const reports = await db.selectFrom("seal_reports").selectAll().where("segment", "=", root).orderBy("time").orderBy("hash").execute();
    const { segment, lots } = segmentOf(row.seal, reports);
    const recipients = await this.recipients(lots);
    const anchoring = new DocumentAnchoring(ledger, signer, { store: new EncryptedDocumentStore(this.options.documents), issuerKey: recipients.issuer });
    let cid = row.cid;
    let tx: string | null;
    if ((await ledger.batch(root)) === undefined) {
      const anchored = await anchorSegment(anchoring, segment, recipients.others);
      cid = anchored.cid;
      tx = anchored.submitted.tx;
      this.options.log(`seal tracks: seal ${row.seal}: ${anchored.count} reports anchored under ${root} (tx ${tx})`);
    } else {
      cid ??= await storeSegment(anchoring, segment, recipients.others);
      tx = (await batchByRoot(db, root))?.anchoredIn.tx ?? null;
      this.options.log(`seal tracks: seal ${row.seal}: segment ${root} was anchored already (before a restart): recorded, not sent again`);
    }
    await db.updateTable("seal_segments").set({ state: "anchored", cid, tx_hash: tx }).where("root", "=", root).execute();
    return root;
  }

  /** Customs (the issuer) and the owners of the segment's lots whose public keys this node has. */
  private async recipients(lots: readonly Id[]): Promise<{ issuer: Recipient; others: Recipient[] }> {
    const customsKey = await this.options.publicKey(this.options.signer.org);
    if (customsKey === undefined) throw new Error(`no public document key of ${this.options.signer.org}: seal tracks cannot be stored`);
    const owners = await this.options.db
      .selectFrom("lots")
      .select("owner")
      .distinct()
      .where("id", "in", [...lots])
      .execute();
    const others: Recipient[] = [];
    for (const { owner } of owners) {
      const publicKey = await this.options.publicKey(owner);
      if (publicKey !== undefined) others.push({ orgId: owner, publicKey });
      else this.options.log(`seal tracks: no public document key of ${owner}: its lots' track is stored for customs only`);
    }
    return { issuer: { orgId: this.options.signer.org, publicKey: customsKey }, others };
  }
}

/**
 * The segment of these reports (in time order): each distinct message once, and the lots the seal closed
 * while they were taken. The file names at most MAX_PARTS of them (a segment's limit); the index keeps
 * them all, so every lot's trip finds the segment.
 */
function segmentOf(seal: Id, rows: ReadonlyArray<Database["seal_reports"]>): { segment: TrackSegment; lots: Id[] } {
  const seen = new Set<string>();
  const messages = rows.filter((row) => !seen.has(row.hash) && seen.add(row.hash)).map(messageOf);
  const lots = [...new Set(rows.flatMap((row) => JSON.parse(row.lots) as Id[]))].sort();
  return { segment: { format: TRACK_FORMAT, seal, lots: lots.slice(0, MAX_PARTS), messages }, lots };
}

/** Whether the seal still closes a lot, as the index has it: one that does not was unsealed (or its lots destroyed). */
async function closesLots(db: Kysely<Database>, seal: Id): Promise<boolean> {
  const row = await db.selectFrom("lots").select("id").where("seal", "=", seal).where("state", "in", ["IN_TRANSIT", "HELD"]).executeTakeFirst();
  return row !== undefined;
}

/** The time of the latest event the index holds: the ledger's clock as far as it knows. */
async function latestLedgerTime(db: Kysely<Database>): Promise<bigint | undefined> {
  return (await db.selectFrom("events").select("time").orderBy("id", "desc").limit(1).executeTakeFirst())?.time;
}
