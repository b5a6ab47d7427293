/**
 * Capture jobs: events taken from EPCIS documents, GraphQL mutations and the pages, applied to the
 * ledger as the caller's organisation and role, in the order they were taken, each event id at most once.
 *
 * A job goes out in parts of at most MAX_BATCH_ACTIONS actions and MAX_PART_LOT_WRITES lot writes,
 * each one atomic batch transaction. In `rollback` mode a job larger than one part is first decided
 * whole by the domain on the current state, at the times its parts may reach the ledger, so a refusal
 * anywhere applies nothing; a part refused later (another writer changed a lot meanwhile) ends the job,
 * and its status says which parts were applied. In `proceed` mode a refused event is left out and the
 * rest of its part sent again. A part the ledger reverts without a reason it names (on the EVM: out of
 * gas) is a refusal too, never tried again: it would fail the same way every time, and every job
 * after it would wait.
 *
 * A refusal about a lot the caller may not see is reported without that lot's state (refusals.ts).
 * A seal's device report (seal-reports.ts) travels in a part like an event, with no action of its own:
 * it is kept when its part is applied.
 *
 * Every transaction is recorded in the capture log before it is sent; a job found running at start (the
 * node stopped in the middle of it) first asks the ledger what became of those transactions.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import {
  BatchRefusedError,
  decideSequence,
  rememberingView,
  MAX_BATCH_ACTIONS,
  TraceGateError,
  type Actor,
  type CustodyAction,
  type ErrorCode,
  type LedgerView,
  withoutCode,
} from "../../domain/index.js";
import type { Database } from "../../indexer/store/index.js";
import { actorKey, LedgerUnavailableError, type Ledger, type SubmittedBatch } from "../../sdk/ledger.js";
import { lotsRead } from "../../sdk/state-keys.js";
import { EvmRevertError } from "../../sdk/evm/errors.js";
import { lotsNamed, refusalShownTo } from "./refusals.js";
import { CaptureLog, type ErrorBehaviour, type EventResult, type Job, type NewEvent, type PendingEvent } from "./log.js";
import { CannotActError, type ActOutcome, type CustodyWriter } from "./writer.js";

export interface CaptureLimits {
  /** Events in one capture job (advertised as GS1-EPCIS-Capture-Limit). */
  maxEvents: number;
  /** Bytes of one capture document (advertised as GS1-EPCIS-Capture-File-Size-Limit). */
  maxBytes: number;
}

const ID_IN_USE =
  "this eventID names another event, accepted before or earlier in this job: a retry must send the same event; a new event needs an id of its own";

/** A rollback job's parts sent before the first is final: enough to keep the ledger busy while the next is encoded. */
const PARTS_IN_FLIGHT = 4;
/**
 * Lots one part may write. A batch's cost grows with the lots it writes (on the EVM ~35,000 gas each:
 * a split into 32 parts takes 1.1 M), and a transaction holds 16 M: a part of 100 such splits would
 * never fit. 256 is 8 of them, or 100 actions on one lot each.
 */
export const MAX_PART_LOT_WRITES = 256;
/**
 * How far past the wall clock a rollback job of several parts is decided too: the ledger's clock may
 * run ahead of this node's (blocks made in the same second take the next), and its parts reach the
 * ledger over a while. A deadline too close to decide is refused whole, not in a later part.
 */
export const ROLLBACK_TIME_WINDOW_SECONDS = 600n;

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = { maxEvents: 10_000, maxBytes: 16 * 1024 * 1024 };

export interface CaptureJobsOptions {
  /** The store, through the indexer's own connection on SQLite (one writer per file). */
  db: Kysely<Database>;
  /** The ledger, connected with the keys of the members this node acts for. */
  ledger: Pick<Ledger, "submitBatch" | "recoverBatch"> & LedgerView;
  /** The organisations and roles the ledger holds keys for. */
  signers: readonly Actor[];
  limits?: Partial<CaptureLimits>;
  /** Wait before trying an unreachable ledger again (default 2 s). */
  retryMs?: number;
  /** Longest wait of a synchronous capture (one event, a mutation) before it answers "still queued" (default 60 s). */
  actTimeoutMs?: number;
  logError?: (error: unknown) => void;
  /** Called once device reports are kept (the track anchorer's cue). */
  onReportsKept?: () => void;
}

export interface JobStatus {
  job: Job;
  events: EventResult[];
}

/** What a finished one-event job leaves for the caller waiting on it. */
type SingleOutcome = { batch: SubmittedBatch } | { refused: TraceGateError };

export class CaptureJobs implements CustodyWriter {
  readonly limits: CaptureLimits;
  private readonly log: CaptureLog;
  private readonly signers: Set<string>;
  private queue: Promise<void> = Promise.resolve();
  private readonly finished = new Map<string, Array<() => void>>();
  private readonly singles = new Map<string, SingleOutcome>();
  private closed = false;
  private wakeRetry: (() => void) | undefined;

  private constructor(private readonly options: CaptureJobsOptions) {
    this.log = new CaptureLog(options.db);
    this.signers = new Set(options.signers.map(actorKey));
    this.limits = { ...DEFAULT_CAPTURE_LIMITS, ...options.limits };
  }

  /** Opens the capture service and resumes the jobs a stopped node left running, in the order they were taken. */
  static async open(options: CaptureJobsOptions): Promise<CaptureJobs> {
    const jobs = new CaptureJobs(options);
    for (const job of await jobs.log.runningJobs()) jobs.enqueue(job.id);
    return jobs;
  }

  canActAs(actor: Actor): boolean {
    return this.signers.has(actorKey(actor));
  }

  /**
   * Takes a job (events already mapped; those that did not map carry their refusal) and queues it.
   * In rollback mode a job with a refused event fails at once, applying nothing.
   */
  async submit(actor: Actor, events: readonly NewEvent[], errorBehaviour: ErrorBehaviour): Promise<Job> {
    if (!this.canActAs(actor)) throw new CannotActError(actor);
    if (this.closed) throw new LedgerUnavailableError("the node is stopping: send the job again once it is back");
    const job = { id: randomUUID(), actor, errorBehaviour, createdAt: new Date() };
    await this.log.createJob(job, events);
    if (errorBehaviour === "rollback" && events.some((event) => "refused" in event)) await this.log.finish(job.id, "failed", new Date());
    else this.enqueue(job.id);
    return (await this.log.job(job.id))!;
  }

  async act(actor: Actor, action: CustodyAction, eventId: string): Promise<ActOutcome> {
    const job = await this.submit(actor, [{ eventId, action }], "rollback");
    await this.settled(job.id, this.options.actTimeoutMs ?? 60_000);
    const single = this.singles.get(job.id);
    this.singles.delete(job.id);
    if (single !== undefined && "refused" in single) throw single.refused;
    if (single !== undefined) return { status: "accepted", eventId, event: single.batch.events[0]!, transaction: single.batch };
    const [result] = await this.log.results(job.id);
    if (result?.status === "duplicate") return { status: "duplicate", eventId };
    if (result?.status === "refused") throw new TraceGateError((result.code ?? "INVALID_ARGUMENT") as ErrorCode, result.reason ?? "refused");
    throw new LedgerUnavailableError(`event ${eventId} was accepted before this node restarted: read it with GET /epcis/events/${encodeURIComponent(eventId)}`);
  }

  async status(id: string): Promise<JobStatus | undefined> {
    const job = await this.log.job(id);
    return job === undefined ? undefined : { job, events: await this.log.results(id) };
  }

  /** The member's latest jobs: its organisation's, in its role. */
  jobsOf(actor: Actor, limit: number): Promise<Job[]> {
    return this.log.jobsOf(actor, limit);
  }

  /** Resolves when the job has ended, or after `timeoutMs`; throws LedgerUnavailableError then. */
  async settled(id: string, timeoutMs: number): Promise<void> {
    if ((await this.log.job(id))?.state !== "running") return;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      const waiting = this.finished.get(id) ?? [];
      waiting.push(resolve);
      this.finished.set(id, waiting);
    });
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new LedgerUnavailableError(
              `job ${id} has not finished within ${timeoutMs / 1000} s (the ledger may be unreachable); it stays queued: ask for its status later`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([done, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops taking jobs and waits for the part in flight; running jobs resume when the node starts again. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeRetry?.();
    await this.queue;
  }

  private enqueue(id: string): void {
    this.queue = this.queue.then(() => this.runUntilDone(id));
  }

  /** Runs the job, trying again while the ledger cannot be reached (the jobs after it wait: order matters). */
  private async runUntilDone(id: string): Promise<void> {
    while (!this.closed) {
      try {
        await this.run(id);
        for (const resolve of this.finished.get(id) ?? []) resolve();
        this.finished.delete(id);
        return;
      } catch (error) {
        this.options.logError?.(error);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.retryMs ?? 2_000);
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async run(id: string): Promise<void> {
    const job = (await this.log.job(id))!;
    if (job.state !== "running") return;
    await this.recoverParts(job);
    let pending = await this.withoutDuplicates(job, await this.log.pendingEvents(job.id));
    if (pending === undefined) return;
    if (job.errorBehaviour === "rollback" && partLength(pending, 0) < pending.length && !(await this.wouldApplyWhole(job, pending))) return;
    if (job.errorBehaviour === "rollback") {
      if (await this.sendPipelined(job, pending)) return this.log.finish(job.id, "failed", new Date());
      pending = await this.log.pendingEvents(job.id);
    }
    while (pending.length > 0 && !this.closed) {
      await this.send(job, pending.slice(0, partLength(pending, 0)), await this.log.nextPart(job.id));
      pending = await this.log.pendingEvents(job.id);
    }
    if (this.closed && pending.length > 0) return;
    const results = await this.log.results(job.id);
    await this.log.finish(job.id, results.some((result) => result.status === "refused") ? "failed" : "success", new Date());
  }

  /**
   * A rollback job's parts, several in flight at once (the ledger keeps the order of those that touch
   * the same lots; the others overlap: one is encoded while another executes). Stops sending at the
   * first refusal; returns whether there was one.
   */
  private async sendPipelined(job: Job, pending: readonly PendingEvent[]): Promise<boolean> {
    const first = await this.log.nextPart(job.id);
    const inFlight = new Set<Promise<unknown>>();
    let refused = false;
    for (let start = 0, number = first, length = 0; start < pending.length && !refused && !this.closed; start += length, number++) {
      length = partLength(pending, start);
      const sent: Promise<unknown> = this.send(job, pending.slice(start, start + length), number).then((event) => {
        refused ||= event !== undefined;
        inFlight.delete(sent);
      });
      inFlight.add(sent);
      if (inFlight.size >= PARTS_IN_FLIGHT) await Promise.race(inFlight);
    }
    // Every part settles (a failure is thrown after the others are done: each is logged, none half).
    const outcomes = await Promise.allSettled(inFlight);
    const failure = outcomes.find((outcome) => outcome.status === "rejected");
    if (failure !== undefined) throw failure.reason;
    return refused;
  }

  /**
   * Sends one part; returns the event the ledger refused (the others go back to pending), if any. Its
   * device reports are kept once its custody events are applied (at once when it has none).
   */
  private async send(job: Job, part: readonly PendingEvent[], number: number): Promise<PendingEvent | undefined> {
    const custody = part.filter((event) => event.action !== undefined);
    if (custody.length === 0) {
      await this.accepted(job, part, null);
      return undefined;
    }
    const positions = part.map((event) => event.position);
    await this.log.assignPart(job.id, positions, number);
    let batch: SubmittedBatch;
    try {
      batch = await this.options.ledger.submitBatch(job.actor, actionsOf(custody), {
        onSigned: (transaction) => this.log.recordSend(job.id, number, transaction),
      });
    } catch (thrown) {
      const error = unnamedRevertRefusal(thrown);
      if (!(error instanceof TraceGateError)) throw error;
      // A refusal without an index (the batch as a whole) is the first action's.
      const index = error instanceof BatchRefusedError ? error.index : 0;
      const refused = custody[index]!;
      const worded = await this.inDomainWords(job.actor, actionsOf(custody), index, refusalOf(error));
      const shown = await refusalShownTo(this.options.db, job.actor, refused.action!, worded);
      await this.log.markStatus(job.id, [refused.position], "refused", { code: shown.code, reason: withoutCode(shown) });
      await this.log.assignPart(
        job.id,
        positions.filter((position) => position !== refused.position),
        null,
      );
      if (job.eventCount === 1) this.singles.set(job.id, { refused: shown });
      return refused;
    }
    await this.accepted(job, part, batch.tx);
    if (job.eventCount === 1) this.singles.set(job.id, { batch });
    return undefined;
  }

  /**
   * The ledger's refusal of action `index` of a part in the domain's words, which name the rule and the
   * field (a contract's revert names an account, or no field), when the domain, deciding the part on the
   * current state, refuses that action for the same reason; otherwise the ledger's own.
   */
  private async inDomainWords(actor: Actor, actions: readonly CustodyAction[], index: number, refusal: TraceGateError): Promise<TraceGateError> {
    try {
      await decideSequence(rememberingView(this.options.ledger), actor, actions, BigInt(Math.floor(Date.now() / 1000)));
    } catch (error) {
      if (error instanceof BatchRefusedError && error.index === index && error.refusal.code === refusal.code) return error.refusal;
    }
    return refusal;
  }

  private async accepted(job: Job, part: readonly PendingEvent[], tx: string | null): Promise<void> {
    await this.log.markAccepted(job.id, job.actor.org, part, tx);
    if (part.some((event) => event.report !== undefined)) this.options.onReportsKept?.();
  }

  /** Parts signed before the node stopped (or the ledger failed): applied, or back to pending. */
  private async recoverParts(job: Job): Promise<void> {
    const parts = new Map<number, PendingEvent[]>();
    for (const event of await this.log.pendingEvents(job.id)) {
      if (event.part !== null) parts.set(event.part, [...(parts.get(event.part) ?? []), event]);
    }
    for (const [part, events] of parts) {
      const positions = events.map((event) => event.position);
      const sent = await this.log.sendsOf(job.id, part);
      const custody = events.filter((event) => event.action !== undefined).length;
      const applied = sent.length === 0 ? undefined : await this.options.ledger.recoverBatch(job.actor, sent, custody);
      if (applied === undefined) await this.log.assignPart(job.id, positions, null);
      else await this.accepted(job, events, applied.tx);
    }
  }

  /**
   * Marks the events whose id the organisation had accepted before (or that come earlier in this job)
   * as duplicates when they are the same event, and refuses them when they are not: an id names one
   * event, and a retry sends that event again. Returns the rest; undefined when that ended the job (a
   * rollback job with a conflict).
   */
  private async withoutDuplicates(job: Job, pending: readonly PendingEvent[]): Promise<PendingEvent[] | undefined> {
    const seen = await this.log.acceptedIds(
      job.actor.org,
      pending.map((event) => event.eventId),
    );
    const kept: PendingEvent[] = [];
    const duplicates: number[] = [];
    const conflicts: number[] = [];
    for (const event of pending) {
      const content = seen.get(event.eventId);
      if (content === undefined) {
        seen.set(event.eventId, event.content);
        kept.push(event);
      } else (content === event.content ? duplicates : conflicts).push(event.position);
    }
    if (duplicates.length > 0) await this.log.markStatus(job.id, duplicates, "duplicate");
    if (conflicts.length === 0) return kept;
    await this.log.markStatus(job.id, conflicts, "refused", { code: "INVALID_ARGUMENT", reason: ID_IN_USE });
    if (job.errorBehaviour === "proceed") return kept;
    await this.log.finish(job.id, "failed", new Date());
    return undefined;
  }

  /** A rollback job of several parts, decided whole on the current state: false (and the job failed) if any event would be refused. */
  private async wouldApplyWhole(job: Job, pending: readonly PendingEvent[]): Promise<boolean> {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const view = rememberingView(this.options.ledger);
    const custody = pending.filter((event) => event.action !== undefined);
    const actions = actionsOf(custody);
    try {
      // The lots the job starts from, read at once rather than one event after another.
      await Promise.all([...new Set(actions.flatMap(lotsRead))].map((id) => view.lot(id)));
      // At both ends of the time its parts may be decided at: a rule on time (a seal's deadline) holds at each.
      await decideSequence(view, job.actor, actions, now);
      await decideSequence(view, job.actor, actions, now + ROLLBACK_TIME_WINDOW_SECONDS);
      return true;
    } catch (error) {
      if (!(error instanceof BatchRefusedError)) throw error;
      const refused = custody[error.index]!;
      const shown = await refusalShownTo(this.options.db, job.actor, refused.action!, error.refusal);
      await this.log.markStatus(job.id, [refused.position], "refused", { code: shown.code, reason: withoutCode(shown) });
      await this.log.finish(job.id, "failed", new Date());
      return false;
    }
  }
}

/** How many of `pending`, from `start`, go in one part: at most MAX_BATCH_ACTIONS events and MAX_PART_LOT_WRITES lot writes (at least one event). */
function partLength(pending: readonly PendingEvent[], start: number): number {
  let writes = 0;
  let length = 0;
  for (const event of pending.slice(start, start + MAX_BATCH_ACTIONS)) {
    writes += lotWrites(event.action);
    if (length > 0 && writes > MAX_PART_LOT_WRITES) break;
    length += 1;
  }
  return length;
}

/** The lots an action writes: each lot it acts on and each it creates (a device report, none). */
function lotWrites(action: CustodyAction | undefined): number {
  if (action === undefined) return 0;
  const { acted, created } = lotsNamed(action);
  return acted.length + created.length;
}

/**
 * A revert the ledger gives no reason for (on the EVM: no revert data, as when the transaction ran out
 * of gas; within a batch, at the action where it stopped), as a refusal of that action; any other error
 * as it is. Sent again it would fail again.
 */
function unnamedRevertRefusal(error: unknown): unknown {
  if (!(error instanceof EvmRevertError) || error.errorName !== "unknown") return error;
  const refusal = new TraceGateError(
    "INVALID_ARGUMENT",
    "the ledger reverted this part of the job without naming a reason (on an EVM chain: it needed more gas than a transaction holds); nothing of the part was applied: send fewer events at a time",
  );
  const index = Number(error.details.batchIndex ?? 0);
  return error.details.batchIndex === undefined ? refusal : new BatchRefusedError(index, refusal);
}

function actionsOf(events: readonly PendingEvent[]): CustodyAction[] {
  return events.map((event) => event.action!);
}

/** A refused action's own error: a batch refusal names the batch position, which the status gives apart. */
function refusalOf(error: TraceGateError): TraceGateError {
  return error instanceof BatchRefusedError ? error.refusal : error;
}
