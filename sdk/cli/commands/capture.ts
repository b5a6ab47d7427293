/**
 * `tracegate capture FILE.jsonld [--proceed]`: sends an EPCISDocument to the node as a capture job and
 * follows it to its end: a progress bar, then one line per refused event and the counts.
 */
import { setTimeout as delay } from "node:timers/promises";
import { report, type NodeCommand, type NodeCommandContext } from "../command.js";
import { EXIT, NodeUnavailableError, UsageError } from "../exit-codes.js";
import { readInput } from "../inputs.js";
import { progressBar } from "../progress.js";
import { quoted } from "../../../domain/json-shapes.js";

export const CAPTURE_OPTIONS = { proceed: { type: "boolean" } } as const;

/** A job's status as GET /epcis/capture/{id} gives it (the fields the CLI reads). */
interface JobStatus {
  captureID: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: "rollback" | "proceed";
  counts: Partial<Record<"accepted" | "duplicate" | "refused" | "not_applied" | "pending", number>>;
  events: Array<{ position: number; eventID: string; status: string; code?: string; reason?: string; transaction?: string }>;
}

/** Between polls of a job's status: quick for small jobs, at most twice a second for long ones. */
const FIRST_POLL_MS = 20;
const LONGEST_POLL_MS = 500;

export const capture: NodeCommand = async (context) => {
  const [file, ...extra] = context.positionals;
  if (file === undefined || extra.length > 0) throw new UsageError("capture one document: tracegate capture FILE.jsonld [--proceed]");
  const { text, events } = await readCaptureDocument(context, file);
  const behaviour = context.options.proceed === true ? "proceed" : "rollback";
  const { node, signal } = context;
  let taken;
  try {
    taken = await node.request("POST", "/epcis/capture", {
      body: text,
      headers: { "content-type": "application/ld+json", "GS1-Capture-Error-Behaviour": behaviour },
      signal,
    });
  } catch (error) {
    if (!signal?.aborted) throw error;
    context.stderr.write(`tracegate: interrupted before the node answered: it may have taken the document; your jobs: ${node.url("/epcis/capture")}\n`);
    return EXIT.INTERRUPTED;
  }
  const statusUrl = node.url(taken.headers.get("location") ?? `/epcis/capture/${encodeURIComponent(String(taken.body.captureID))}`);
  context.stderr.write(`capture job ${String(taken.body.captureID)} taken (${events} events, ${behaviour}); its status: ${statusUrl}\n`);
  let status;
  try {
    status = await follow(context, statusUrl, events);
  } catch (error) {
    // The node has the job: losing sight of it must not lose where to look.
    if (error instanceof NodeUnavailableError) throw new NodeUnavailableError(`${error.message}; the node took the job before: its status is at ${statusUrl}`);
    throw error;
  }
  if (status === undefined) {
    context.stderr.write(
      `tracegate: interrupted; the job goes on on the node. Where it stands: curl -H "Authorization: Bearer $TRACEGATE_API_TOKEN" ${statusUrl}\n`,
    );
    return EXIT.INTERRUPTED;
  }
  report(context, status, () => describe(file, status));
  return status.success ? EXIT.OK : EXIT.REFUSED;
};

/** The document's text and its number of events, refused here (nothing sent) when it is not an EPCISDocument. */
async function readCaptureDocument(context: NodeCommandContext, file: string): Promise<{ text: string; events: number }> {
  // Without the byte order mark some editors write, which JSON (and so the node) does not take.
  const text = Buffer.from(await readInput(context, file))
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON (${(error as Error).message}): capture takes an EPCIS 2.0 EPCISDocument in JSON-LD; nothing was sent`);
  }
  const { type, epcisBody } = (typeof document === "object" && document !== null ? document : {}) as { type?: unknown; epcisBody?: { eventList?: unknown } };
  if (type !== "EPCISDocument")
    throw new UsageError(
      `${file} is not an EPCISDocument (its "type" is ${type === undefined ? "missing" : quoted(type)}): capture takes {"type": "EPCISDocument", "epcisBody": {"eventList": [...]}}; nothing was sent`,
    );
  const events = epcisBody?.eventList;
  if (!Array.isArray(events) || events.length === 0)
    throw new UsageError(`${file} has no events in epcisBody.eventList: there is nothing to capture; nothing was sent`);
  return { text, events: events.length };
}

/** Polls the job until it ends, drawing its progress; undefined when the user interrupts. */
async function follow(context: NodeCommandContext, statusUrl: string, total: number): Promise<JobStatus | undefined> {
  const { node, signal } = context;
  const progress = progressBar(context.stderr, "capturing", total);
  try {
    for (let wait = FIRST_POLL_MS; ; wait = Math.min(wait * 2, LONGEST_POLL_MS)) {
      const status = (await node.request("GET", statusUrl, { signal })).body as unknown as JobStatus;
      progress.reached(total - (status.counts.pending ?? 0));
      if (!status.running) return status;
      await delay(wait, undefined, { signal });
    }
  } catch (error) {
    if (signal?.aborted) return undefined;
    throw error;
  } finally {
    progress.done();
  }
}

function describe(file: string, status: JobStatus): string {
  const count = (name: keyof JobStatus["counts"]) => status.counts[name] ?? 0;
  const refused = status.events.filter((event) => event.status === "refused");
  const lines = refused.map((event) => `refused event ${event.position} (${oneLine(event.eventID)}): ${oneLine(event.code)}: ${oneLine(event.reason)}`);
  lines.push(
    `${file}: ${count("accepted")} accepted, ${count("duplicate")} duplicate, ${count("refused")} refused, ${count("not_applied")} not applied (capture job ${status.captureID}, ${status.captureErrorBehaviour})`,
  );
  if (status.success) lines.push(count("duplicate") > 0 ? "done: the duplicates were applied before and were not applied again" : "done");
  else if (status.captureErrorBehaviour === "rollback" && count("accepted") > 0) {
    // A job of several parts is decided whole first; a lot changed by someone else meanwhile can still stop a later part.
    lines.push(`stopped: a later part was refused after ${count("accepted")} events of earlier parts had been applied; the rest were not`);
  } else if (status.captureErrorBehaviour === "rollback")
    lines.push("rolled back: nothing of this document was applied; correct the refused events and capture it again (or use --proceed to apply the others)");
  else lines.push("proceed: the events not refused were applied; the refused ones were not");
  return `${lines.join("\n")}\n`;
}

/**
 * Text from the node, written as it is on one report line: control, format and line-separator
 * characters (and the backslash) escaped as in JSON, so an eventID a document chose cannot start a line of its own.
 */
export function oneLine(text: unknown): string {
  return String(text).replace(/[\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => (c === "\\" ? "\\\\" : `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`));
}
