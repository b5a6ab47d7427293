/**
 * The EPCIS 2.0 capture bindings: POST /epcis/capture takes an EPCISDocument as a job (202, Location of
 * its status), GET /epcis/capture[/{captureID}] tells where jobs stand, POST /epcis/events captures one
 * event synchronously (201, Location of the event). The token's organisation and role act.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { TraceGateError, withoutCode, type Actor } from "../../domain/index.js";
import { epcisDirectory } from "../../sdk/epcis/index.js";
import { LedgerUnavailableError } from "../../sdk/ledger.js";
import type { Kysely } from "kysely";
import type { Database } from "../../indexer/store/index.js";
import { isSealReport } from "../../sdk/transit/seal-report.js";
import { documentEvents, intakeEvent } from "../capture/intake.js";
import { intakeEvents } from "../capture/seal-reports.js";
import type { CaptureJobs, JobStatus } from "../capture/jobs.js";
import { ERROR_BEHAVIOURS, type ErrorBehaviour, type NewEvent } from "../capture/log.js";
import { CannotActError } from "../capture/writer.js";
import { EPCIS_PATH, EpcisProblem, readJsonBody, sendJson } from "./http.js";
import type { EpcisCaller, EpcisRoutes } from "./routes.js";

const CAPTURE_PATH = `${EPCIS_PATH}/capture`;
const EVENTS_PATH = `${EPCIS_PATH}/events`;
/** One event's JSON: far more than any custody event needs. */
const MAX_EVENT_BYTES = 256 * 1024;
const JOBS_LISTED = 100;
/** How long a device report's request waits for its job (as a single event's does). */
const ACT_TIMEOUT_MS = 60_000;
const DIRECTORY = epcisDirectory();

export async function serveEpcisCapture(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  caller: EpcisCaller,
  routes: EpcisRoutes,
): Promise<boolean> {
  const path = url.pathname;
  const method = request.method ?? "GET";
  if (path === CAPTURE_PATH || path.startsWith(`${CAPTURE_PATH}/`)) {
    const capture = writable(routes);
    if (method === "OPTIONS" && path === CAPTURE_PATH) {
      response.writeHead(204, { allow: "GET, POST, OPTIONS", ...limitHeaders(capture) }).end();
    } else if (method === "POST" && path === CAPTURE_PATH) {
      await captureDocument(request, response, caller, capture, routes.db);
    } else if (method === "GET" && path === CAPTURE_PATH) {
      const jobs = await capture.jobsOf({ org: caller.viewer.org, role: caller.viewer.role }, JOBS_LISTED);
      sendJson(
        response,
        200,
        jobs.map((job) => ({ captureID: job.id, createdAt: job.createdAt.toISOString(), running: job.state === "running", success: job.state === "success" })),
        limitHeaders(capture),
      );
    } else if (method === "GET") {
      const id = decodedJobId(path.slice(CAPTURE_PATH.length + 1));
      const status = id === undefined ? undefined : await capture.status(id);
      // Another member's job does not exist, as far as this caller can tell: its refusals were worded
      // for what its sender may see (capture/refusals.ts), another role of the same organisation may see less.
      if (status === undefined || status.job.actor.org !== caller.viewer.org || status.job.actor.role !== caller.viewer.role)
        throw new EpcisProblem("NoSuchResourceException", "no capture job of yours has this id");
      sendJson(response, 200, statusBody(status), limitHeaders(capture));
    } else {
      throw new EpcisProblem("ValidationException", `${method} ${path} is not supported: POST ${CAPTURE_PATH} takes a document, GET reads jobs`, {
        status: 405,
        headers: { allow: "GET, POST, OPTIONS" },
      });
    }
    return true;
  }
  if (path === EVENTS_PATH && method === "POST") {
    await captureOne(request, response, caller, writable(routes), routes.db);
    return true;
  }
  return false;
}

/** A job id from the path; undefined when it is not URL-encoded text (so no job's id). */
function decodedJobId(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

async function captureDocument(
  request: IncomingMessage,
  response: ServerResponse,
  caller: EpcisCaller,
  capture: CaptureJobs,
  db: Kysely<Database>,
): Promise<void> {
  const actor = actorOf(caller, capture);
  const errorBehaviour = errorBehaviourOf(request);
  const body = await readJsonBody(
    request,
    capture.limits.maxBytes,
    `the document is larger than ${capture.limits.maxBytes} bytes, the most one capture takes: split it into several documents`,
  );
  const events = await intakeEvents(db, documentEvents(body, capture.limits), { actor, kind: caller.viewer.kind }, DIRECTORY);
  const job = await capture.submit(actor, events, errorBehaviour);
  const location = `${CAPTURE_PATH}/${encodeURIComponent(job.id)}`;
  sendJson(response, 202, { captureID: job.id, location }, { location, ...limitHeaders(capture) });
}

async function captureOne(request: IncomingMessage, response: ServerResponse, caller: EpcisCaller, capture: CaptureJobs, db: Kysely<Database>): Promise<void> {
  const actor = actorOf(caller, capture);
  const body = await readJsonBody(request, MAX_EVENT_BYTES, `one event is at most ${MAX_EVENT_BYTES} bytes`);
  if (isSealReport(body)) return captureReport(response, capture, await intakeEvents(db, [body], { actor, kind: caller.viewer.kind }, DIRECTORY), actor);
  const event = intakeEvent(body, actor, DIRECTORY);
  if ("refused" in event)
    throw new EpcisProblem("ValidationException", event.refused.reason, { members: { eventID: event.eventId, code: event.refused.code } });
  try {
    const outcome = await capture.act(actor, event.action, event.eventId);
    const location = `${EVENTS_PATH}/${encodeURIComponent(event.eventId)}`;
    if (outcome.status === "duplicate") sendJson(response, 200, { eventID: event.eventId, status: "duplicate" }, { location });
    else
      sendJson(
        response,
        201,
        { eventID: event.eventId, status: "accepted", transaction: outcome.transaction.tx, block: outcome.transaction.block.toString() },
        { location },
      );
  } catch (error) {
    if (error instanceof TraceGateError)
      throw new EpcisProblem("ValidationException", withoutCode(error), { members: { eventID: event.eventId, code: error.code } });
    if (error instanceof LedgerUnavailableError)
      throw new EpcisProblem("ServiceUnavailableException", `${error.message}; send the event again with the same eventID`, {
        headers: { "retry-after": "5" },
      });
    throw error;
  }
}

/**
 * One device report as its own rollback job (the report and the alerts it calls for apply together, or
 * nothing does): 201 once kept, with the alerts' transaction; 200 for a report kept before.
 */
async function captureReport(response: ServerResponse, capture: CaptureJobs, events: NewEvent[], actor: Actor): Promise<void> {
  const report = events[0]!;
  if ("refused" in report)
    throw new EpcisProblem("ValidationException", report.refused.reason, { members: { eventID: report.eventId, code: report.refused.code } });
  const job = await capture.submit(actor, events, "rollback");
  try {
    await capture.settled(job.id, ACT_TIMEOUT_MS);
  } catch (error) {
    if (!(error instanceof LedgerUnavailableError)) throw error;
    throw new EpcisProblem("ServiceUnavailableException", `${error.message}; send the report again with the same eventID`, { headers: { "retry-after": "5" } });
  }
  const results = (await capture.status(job.id))!.events;
  const refused = results.find((result) => result.status === "refused");
  if (refused !== undefined)
    throw new EpcisProblem("ValidationException", refused.reason ?? "refused", { members: { eventID: refused.eventId, code: refused.code } });
  const location = `${EVENTS_PATH}/${encodeURIComponent(report.eventId)}`;
  if (results[0]!.status === "duplicate") return sendJson(response, 200, { eventID: report.eventId, status: "duplicate" }, { location });
  const alerts = results.slice(1).map((result) => ({ eventID: result.eventId, status: result.status, transaction: result.tx }));
  sendJson(
    response,
    201,
    { eventID: report.eventId, status: "accepted", messageHash: "report" in report ? report.report.hash : undefined, alerts },
    { location },
  );
}

/** The caller as who acts: refused when this node holds no key for them. */
function actorOf(caller: EpcisCaller, capture: CaptureJobs): Actor {
  const actor = { org: caller.viewer.org, role: caller.viewer.role };
  if (!capture.canActAs(actor)) throw new EpcisProblem("SecurityException", new CannotActError(actor).message);
  return actor;
}

function writable(routes: EpcisRoutes): CaptureJobs {
  if (routes.capture === null)
    throw new EpcisProblem("SecurityException", 'this API only reads: it was started without a ledger to write to (see the README, "Who signs")');
  return routes.capture;
}

function errorBehaviourOf(request: IncomingMessage): ErrorBehaviour {
  const header = request.headers["gs1-capture-error-behaviour"];
  if (header === undefined) return "rollback";
  const value = String(header).trim().toLowerCase();
  if (!(ERROR_BEHAVIOURS as readonly string[]).includes(value)) {
    throw new EpcisProblem(
      "ValidationException",
      `GS1-Capture-Error-Behaviour is "${header}"; it takes ${ERROR_BEHAVIOURS.join(" or ")} (rollback when absent)`,
    );
  }
  return value as ErrorBehaviour;
}

function limitHeaders(capture: CaptureJobs): Record<string, string> {
  return {
    "GS1-EPCIS-Capture-Limit": String(capture.limits.maxEvents),
    "GS1-EPCIS-Capture-File-Size-Limit": String(capture.limits.maxBytes),
    "GS1-Capture-Error-Behaviour": ERROR_BEHAVIOURS.join(", "),
  };
}

/** A job's status as the bindings give it (running, success, errors), with the outcome of every event and part. */
function statusBody({ job, events }: JobStatus): Record<string, unknown> {
  const parts = new Map<number, { part: number; transaction: string | null; events: number }>();
  for (const event of events) {
    if (event.part === null || event.status !== "accepted") continue;
    const part = parts.get(event.part) ?? { part: event.part, transaction: event.tx, events: 0 };
    part.events += 1;
    parts.set(event.part, part);
  }
  return {
    captureID: job.id,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    running: job.state === "running",
    success: job.state === "success",
    captureErrorBehaviour: job.errorBehaviour,
    actor: job.actor,
    counts: countBy(events.map((event) => event.status)),
    errors: events
      .filter((event) => event.status === "refused")
      .map((event) => ({
        type: "epcisException:ValidationException",
        eventID: event.eventId,
        position: event.position,
        code: event.code,
        detail: event.reason,
      })),
    appliedParts: [...parts.values()],
    events: events.map((event) => ({
      position: event.position,
      eventID: event.eventId,
      status: event.status,
      ...(event.code === null ? {} : { code: event.code, reason: event.reason }),
      ...(event.tx === null ? {} : { transaction: event.tx, part: event.part }),
    })),
  };
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
