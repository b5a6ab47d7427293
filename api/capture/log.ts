/**
 * The capture log in the store: jobs, what became of each of their events, and every transaction
 * signed for them before it was sent. It is what makes capture exactly-once: an event id is accepted
 * at most once (a unique index says so too), and after a crash the signed transactions tell whether a
 * part of a job reached the ledger.
 */
import type { Kysely } from "kysely";
import { SEAL_ALERTS, type Actor, type CustodyAction, type Hash, type Id } from "../../domain/index.js";
import type { SealMessage } from "../../domain/seal-track.js";
import type { Database } from "../../indexer/store/index.js";
import { decodeAction, encodeJson } from "../../chaincode/src/codec.js";
import type { SignedTransaction } from "../../sdk/ledger.js";
import { decodeReport, encodeReport } from "./seal-reports.js";

export const ERROR_BEHAVIOURS = ["rollback", "proceed"] as const;
export type ErrorBehaviour = (typeof ERROR_BEHAVIOURS)[number];

export type EventStatus = "pending" | "accepted" | "duplicate" | "refused" | "not_applied";
export type JobState = "running" | "success" | "failed";

export interface Job {
  id: string;
  actor: Actor;
  errorBehaviour: ErrorBehaviour;
  state: JobState;
  createdAt: Date;
  finishedAt: Date | null;
  eventCount: number;
}

/** A seal's device report as capture keeps it: the message, its hash, the lots the seal closed when it was taken. */
export interface SealReport {
  message: SealMessage;
  hash: Hash;
  lots: Id[];
}

/** An event as the job took it: its id, and its action (or the device report it carries), or why it has none. */
export type NewEvent =
  | { eventId: string; action: CustodyAction }
  | { eventId: string; report: SealReport }
  | { eventId: string; refused: { code: string; reason: string } };

/** A custody event as intake maps it: its action, or why it has none. */
export type MappedEvent = Exclude<NewEvent, { report: SealReport }>;

/**
 * An event to apply: a custody action, or a report, kept when the part it is in is applied. `content`:
 * the action or report as the log keeps it, what an event sent again under its id must equal.
 */
export type PendingEvent = { position: number; eventId: string; part: number | null; content: string } & (
  | { action: CustodyAction; report?: never }
  | { report: SealReport; action?: never }
);

export interface EventResult {
  position: number;
  eventId: string;
  status: EventStatus;
  part: number | null;
  code: string | null;
  reason: string | null;
  tx: string | null;
}

/** The store is the indexer's own connection on SQLite: one writer, so capture writes queue behind its transactions. */
export class CaptureLog {
  constructor(private readonly db: Kysely<Database>) {}

  async createJob(job: { id: string; actor: Actor; errorBehaviour: ErrorBehaviour; createdAt: Date }, events: readonly NewEvent[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("capture_jobs")
        .values({
          id: job.id,
          org: job.actor.org,
          role: job.actor.role,
          error_behaviour: job.errorBehaviour,
          state: "running",
          created_at: BigInt(job.createdAt.getTime()),
          finished_at: null,
          event_count: BigInt(events.length),
        })
        .execute();
      const rows = events.map((event, position) => ({
        job: job.id,
        position: BigInt(position),
        org: job.actor.org,
        event_id: event.eventId,
        action: "action" in event ? encodeJson(event.action) : null,
        report: "report" in event ? encodeReport(event.report) : null,
        status: "refused" in event ? "refused" : "pending",
        part: null,
        code: "refused" in event ? event.refused.code : null,
        reason: "refused" in event ? event.refused.reason : null,
        tx_hash: null,
        ordinal: null,
      }));
      // Bounded statements: SQLite allows some 32,000 parameters in one.
      for (let start = 0; start < rows.length; start += 500)
        await trx
          .insertInto("captured_events")
          .values(rows.slice(start, start + 500))
          .execute();
    });
  }

  async job(id: string): Promise<Job | undefined> {
    const row = await this.db.selectFrom("capture_jobs").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : jobOf(row);
  }

  /** The jobs of one organisation, newest first. */
  async jobsOf(actor: Actor, limit: number): Promise<Job[]> {
    const rows = await this.db
      .selectFrom("capture_jobs")
      .selectAll()
      .where("org", "=", actor.org)
      .where("role", "=", actor.role)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(jobOf);
  }

  async runningJobs(): Promise<Job[]> {
    const rows = await this.db.selectFrom("capture_jobs").selectAll().where("state", "=", "running").orderBy("created_at").orderBy("id").execute();
    return rows.map(jobOf);
  }

  async pendingEvents(job: string): Promise<PendingEvent[]> {
    const rows = await this.db
      .selectFrom("captured_events")
      .select(["position", "event_id", "action", "report", "part"])
      .where("job", "=", job)
      .where("status", "=", "pending")
      .orderBy("position")
      .execute();
    return rows.map((row) => {
      const place = {
        position: Number(row.position),
        eventId: row.event_id,
        part: row.part === null ? null : Number(row.part),
        content: (row.report ?? row.action)!,
      };
      return row.report === null ? { ...place, action: decodeAction(row.action!) as CustodyAction } : { ...place, report: decodeReport(row.report) };
    });
  }

  async results(job: string): Promise<EventResult[]> {
    const rows = await this.db
      .selectFrom("captured_events")
      .select(["position", "event_id", "status", "part", "code", "reason", "tx_hash"])
      .where("job", "=", job)
      .orderBy("position")
      .execute();
    return rows.map((row) => ({
      position: Number(row.position),
      eventId: row.event_id,
      status: row.status as EventStatus,
      part: row.part === null ? null : Number(row.part),
      code: row.code,
      reason: row.reason,
      tx: row.tx_hash,
    }));
  }

  /** Which of these event ids the organisation had accepted already, in any job: each with its content (PendingEvent.content). */
  async acceptedIds(org: string, eventIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < eventIds.length; start += 500) {
      const chunk = eventIds.slice(start, start + 500);
      const rows = await this.db
        .selectFrom("captured_events")
        .select(["event_id", "action", "report"])
        .where("org", "=", org)
        .where("status", "=", "accepted")
        .where("event_id", "in", chunk)
        .execute();
      for (const row of rows) found.set(row.event_id, (row.report ?? row.action)!);
    }
    return found;
  }

  async nextPart(job: string): Promise<number> {
    const row = await this.db
      .selectFrom("captured_events")
      .select((eb) => eb.fn.max("part").as("last"))
      .where("job", "=", job)
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
  }

  /** Puts events in a part (before its transaction is signed), or out of one (null: it never reached the ledger). */
  async assignPart(job: string, positions: readonly number[], part: number | null): Promise<void> {
    await this.update(job, positions, { part: part === null ? null : BigInt(part) });
  }

  async recordSend(job: string, part: number, transaction: SignedTransaction): Promise<void> {
    const row = await this.db
      .selectFrom("capture_sends")
      .select((eb) => eb.fn.countAll<number>().as("sent"))
      .where("job", "=", job)
      .where("part", "=", BigInt(part))
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto("capture_sends")
      .values({ job, part: BigInt(part), attempt: BigInt(Number(row.sent)), tx_id: transaction.id, raw: transaction.raw })
      .execute();
  }

  async sendsOf(job: string, part: number): Promise<SignedTransaction[]> {
    const rows = await this.db
      .selectFrom("capture_sends")
      .select(["tx_id", "raw"])
      .where("job", "=", job)
      .where("part", "=", BigInt(part))
      .orderBy("attempt")
      .execute();
    return rows.map((row) => ({ id: row.tx_id, raw: row.raw ?? "" }));
  }

  /**
   * The part's events were applied: its custody events, in order, recorded by transaction `tx` (the
   * k-th is its k-th custody event; none: no transaction), its reports kept, in the same transaction.
   */
  async markAccepted(job: string, org: string, events: readonly PendingEvent[], tx: string | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      let ordinal = 0n;
      for (const event of events) {
        const custody = event.report === undefined;
        await trx
          .updateTable("captured_events")
          .set({ status: "accepted", tx_hash: custody ? tx : null, ordinal: custody ? ordinal++ : null })
          .where("job", "=", job)
          .where("position", "=", BigInt(event.position))
          .execute();
        if (event.report !== undefined)
          await trx
            .insertInto("seal_reports")
            .values(sealReportRow(org, event.eventId, event.report))
            .execute();
      }
    });
  }

  async markStatus(
    job: string,
    positions: readonly number[],
    status: Exclude<EventStatus, "accepted">,
    refusal?: { code: string; reason: string },
  ): Promise<void> {
    await this.update(job, positions, { status, ...(refusal === undefined ? {} : { code: refusal.code, reason: refusal.reason }) });
  }

  /** Every event still pending is not applied; the job ends. */
  async finish(job: string, state: Exclude<JobState, "running">, finishedAt: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable("captured_events").set({ status: "not_applied" }).where("job", "=", job).where("status", "=", "pending").execute();
      await trx
        .updateTable("capture_jobs")
        .set({ state, finished_at: BigInt(finishedAt.getTime()) })
        .where("id", "=", job)
        .execute();
    });
  }

  private async update(job: string, positions: readonly number[], values: Partial<Database["captured_events"]>): Promise<void> {
    for (let start = 0; start < positions.length; start += 500) {
      const chunk = positions.slice(start, start + 500).map(BigInt);
      await this.db.updateTable("captured_events").set(values).where("job", "=", job).where("position", "in", chunk).execute();
    }
  }
}

/** A device report's row, as capture keeps it (its alerts in SEAL_ALERTS order). */
export function sealReportRow(org: string, eventId: string, { message, hash, lots }: SealReport): Database["seal_reports"] {
  return {
    org,
    event_id: eventId,
    seal: message.seal,
    time: message.time,
    latitude: message.latitude,
    longitude: message.longitude,
    seal_closed: message.sealClosed ? 1n : 0n,
    alerts: SEAL_ALERTS.filter((alert) => message.alerts.includes(alert)).join(","),
    hash,
    lots: JSON.stringify(lots),
    segment: null,
  };
}

function jobOf(row: Database["capture_jobs"]): Job {
  return {
    id: row.id,
    actor: { org: row.org, role: row.role as Actor["role"] },
    errorBehaviour: row.error_behaviour as ErrorBehaviour,
    state: row.state as JobState,
    createdAt: new Date(Number(row.created_at)),
    finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)),
    eventCount: Number(row.event_count),
  };
}
