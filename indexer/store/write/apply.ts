/**
 * Events into the store and back out. Both run inside the caller's transaction, with the checkpoint
 * that goes with them.
 *
 * Applying: the events table first (a replayed event is skipped there), then every maintained table
 * from the events that were new. Rolling back: the removed events are always a suffix of the chain
 * (every event from some id on), so each table is reverted from those events alone — rows they
 * inserted are deleted by event id, balance buckets have their movements subtracted, and lots and
 * document statuses are rebuilt from what remains. Catching up (../catch-up.ts), only the custody
 * events' own findings are written (by event; a rollback deletes them by event id): every other finding
 * is computed again when catching up ends.
 */
import type { Kysely } from "kysely";
import type { ChainEvent } from "../../events.js";
import { applyCustodyEventFindings, applyFindings, deleteEventFindingsFrom, planFindingsRollback, rollbackFindings } from "../../findings/apply.js";
import { DEFAULT_FINDING_SETTINGS, type FindingSettings } from "../../findings/settings.js";
import { eventsFrom } from "../read/events.js";
import type { Database } from "../schema.js";
import { moveBalances } from "./balances.js";
import { applyDocuments, revertDocuments } from "./documents.js";
import { insertEvents } from "./events.js";
import { applyLineage, revertLineage } from "./lineage.js";
import { applyLots, revertLots } from "./lots.js";
import { ofType } from "./positioned.js";
import { applyRegistry, revertRegistry } from "./registry.js";

/** Applies the events (in chain order) the store does not hold yet; returns how many were new. */
export async function applyEvents(
  db: Kysely<Database>,
  chain: bigint,
  events: readonly ChainEvent[],
  findings: FindingSettings = DEFAULT_FINDING_SETTINGS,
  catchingUp = false,
): Promise<number> {
  const fresh = await insertEvents(db, chain, events);
  await applyRegistry(db, fresh);
  await applyDocuments(db, fresh);
  const custody = ofType(fresh, "custody");
  const quantityBefore = await applyLots(db, custody);
  await applyLineage(db, custody);
  await moveBalances(db, custody, 1n);
  if (catchingUp) await applyCustodyEventFindings(db, custody, findings, quantityBefore);
  else await applyFindings(db, fresh, findings, quantityBefore);
  return fresh.length;
}

/** Removes every event from id `firstId` on, and all they changed; returns how many were removed. */
export async function rollbackEvents(
  db: Kysely<Database>,
  firstId: bigint,
  findings: FindingSettings = DEFAULT_FINDING_SETTINGS,
  catchingUp = false,
): Promise<number> {
  const removed = await eventsFrom(db, firstId);
  const custody = ofType(removed, "custody");
  const touched = catchingUp ? undefined : await planFindingsRollback(db, removed);
  await moveBalances(db, custody, -1n);
  await revertLots(db, custody, firstId);
  await revertLineage(db, firstId);
  await revertDocuments(db, removed, firstId);
  await revertRegistry(db, firstId);
  await db.deleteFrom("events").where("id", ">=", firstId).execute();
  if (touched === undefined) await deleteEventFindingsFrom(db, firstId);
  else await rollbackFindings(db, firstId, touched, findings);
  return removed.length;
}
