/**
 * Custody actions for the caller, through the API's CustodyWriter: the action goes out as the token's
 * organisation and role (never anything the input says), a refusal comes back as a typed GraphQL error,
 * and what was done is read back from the index as the caller may see it.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { nextStep, TraceGateError, validateAction, withoutCode, type Actor, type CustodyAction } from "../domain/index.js";
import { CONTENT_EVENT_ID, EVENT_ID } from "../sdk/epcis/identifiers.js";
import { LedgerUnavailableError, type Transaction } from "../sdk/ledger.js";
import { ARGUMENT_CODES, lotsNamed, mayHearWhy, notShown } from "./capture/refusals.js";
import { CannotActError } from "./capture/writer.js";
import type { ApiContext } from "./context.js";
import { apiError } from "./errors.js";
import type { EventRecord } from "./read/events.js";

/** What became of one action, as the mutation answers it. */
export interface ActResult {
  eventId: string;
  /** Applied before under the same event id: nothing was done now. */
  duplicate: boolean;
  transaction: Transaction | null;
  /** The event as the index holds it, cut down to what the caller may see; null until the index has it. */
  event: EventRecord | null;
}

/** How long an accepted action waits for the indexer (its own process, polling the ledger) to store its event. */
const INDEX_WAIT_MS = 5_000;
const INDEX_POLL_MS = 25;
/** A store event id is block × 2^20 + index in block. */
const BLOCK_SHIFT = 20n;

export async function actFor(context: ApiContext, action: CustodyAction, eventId: string | null | undefined): Promise<ActResult> {
  const viewer = context.viewer!;
  const actor: Actor = { org: viewer.org, role: viewer.role };
  const writer = context.writer;
  if (writer === null) throw apiError("FORBIDDEN", "this API only reads: it was started without ledger keys, so it cannot act for anyone");
  if (!writer.canActAs(actor)) throw cannotAct(actor);
  const id = eventId ?? `urn:uuid:${randomUUID()}`;
  // The caller's idempotency key, as capture takes an eventID; but this node makes the event (and its
  // time), so no content hash the caller could give is the event's own.
  if (!EVENT_ID.test(id)) throw apiError("BAD_USER_INPUT", "eventId must be 1 to 512 printable ASCII characters without spaces; leave it out to have one made");
  if (CONTENT_EVENT_ID.test(id))
    throw apiError("BAD_USER_INPUT", "an ni: eventId names an event's content, and this node makes the event: give a urn:uuid: or leave it out");
  try {
    validateAction(action);
  } catch (error) {
    if (error instanceof TraceGateError) throw typed("BAD_USER_INPUT", withoutCode(error), error);
    throw error;
  }
  let outcome;
  try {
    outcome = await writer.act(actor, action, id);
  } catch (error) {
    if (error instanceof CannotActError) throw cannotAct(actor);
    if (error instanceof LedgerUnavailableError) {
      throw apiError(
        "LEDGER_UNAVAILABLE",
        "the ledger cannot be reached, so the action may not have been recorded: send it again with the same eventId, which is applied at most once",
      );
    }
    if (error instanceof TraceGateError) throw await refusal(context, action, error);
    throw error;
  }
  if (outcome.status === "duplicate") return { eventId: outcome.eventId, duplicate: true, transaction: null, event: null };
  return { eventId: outcome.eventId, duplicate: false, transaction: outcome.transaction, event: await indexedEvent(context, outcome.transaction) };
}

function cannotAct(actor: Actor) {
  return apiError("FORBIDDEN", `this node holds no ledger key for ${actor.org} as ${actor.role}, so it cannot act for you`);
}

/**
 * The domain's refusal, to those who may hear it (capture/refusals.ts, the rule every path that acts
 * applies). Anyone else learns only that they may not, the same whether the lots exist or not.
 */
async function refusal(context: ApiContext, action: CustodyAction, error: TraceGateError) {
  if (ARGUMENT_CODES.has(error.code)) return typed("BAD_USER_INPUT", withoutCode(error), error);
  const viewer = context.viewer!;
  if (!(await mayHearWhy(context.db, viewer, action))) return apiError("FORBIDDEN", notShown(viewer, action));
  const { acted, created } = lotsNamed(action);
  return typed("REFUSED", `the ledger refused this ${action.type} of ${(acted.length > 0 ? acted : created).join(", ")}: ${withoutCode(error)}`, error);
}

/** The domain's code as `extensions.reason`, and what to do about it as `extensions.nextStep` (also the message's end). */
function typed(code: "BAD_USER_INPUT" | "REFUSED", message: string, error: TraceGateError) {
  return apiError(code, message, undefined, { reason: error.code, nextStep: nextStep(error.code) });
}

/**
 * The accepted action's event once the index holds it. The indexer runs on its own (another process,
 * PostgreSQL or SQLite) and tells no one when it stores a block, so the store is the signal: looked up
 * by the transaction's block, its key range, until INDEX_WAIT_MS.
 */
async function indexedEvent(context: ApiContext, transaction: Transaction): Promise<EventRecord | null> {
  const first = transaction.block << BLOCK_SHIFT;
  const end = (transaction.block + 1n) << BLOCK_SHIFT;
  const deadline = Date.now() + INDEX_WAIT_MS;
  for (;;) {
    const row = await context.db
      .selectFrom("events")
      .select("id")
      .where("id", ">=", first)
      .where("id", "<", end)
      .where("tx_hash", "=", transaction.tx)
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
    if (row !== undefined) return (await context.loaders.event.load(row.id)) ?? null;
    if (Date.now() >= deadline) return null;
    await delay(INDEX_POLL_MS);
  }
}
