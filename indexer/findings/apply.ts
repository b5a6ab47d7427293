/**
 * Findings kept with the events, in the same transaction. A finding is either one event's alone (scope
 * null: deleted when a rollback removes its event) or recomputed with its scope (a lot's holds, its
 * release, its trips under seal, a facility-stage's stays, a stage's facilities, a supersede chain) whenever events touch
 * that scope, including the events a rollback removes. So the findings are always a function of the
 * events the store holds, whatever the batches were.
 */
import type { Kysely } from "kysely";
import type { CustodyEvent } from "../../domain/index.js";
import type { IndexedEvent } from "../events.js";
import { eventsById } from "../store/read/events.js";
import { groupsWithStays, type StayGroup } from "../store/read/stay-durations.js";
import type { Database } from "../store/schema.js";
import type { QuantityBefore } from "../store/write/lots.js";
import { ofType, type Positioned } from "../store/write/positioned.js";
import { amendmentFindings, amendmentScope, chainsAmendedIn } from "./amendments.js";
import { overNormFindings, storedQuantitiesBefore, vanishedQuantityFindings, withdrawnDocumentFindings } from "./event-findings.js";
import { putFindings, replaceScopes } from "./finding.js";
import { holdFindings, holdScope, lotsWithHoldsIn } from "./holds.js";
import { lotsReleasedIn, overdueReleasedLots, releasedFindings, releasedScope } from "./released.js";
import { DEFAULT_FINDING_SETTINGS, type FindingSettings } from "./settings.js";
import { groupsEndedFor, longStayFindings, slowFacilityFindings, slowScope, stayScope } from "./stays.js";
import { lotsInTransitIn, overdueTransitLots, transitFindings, transitScope } from "./transit.js";

/** What a set of events touches, besides their own findings. */
interface Touched {
  holds: string[];
  released: string[];
  transit: string[];
  stays: StayGroup[];
  chains: string[];
}

const lotsOf = (events: ReadonlyArray<Positioned<CustodyEvent>>) => [...new Set(events.flatMap(({ event }) => event.transitions.map(({ lot }) => lot.id)))];

async function touchedBy(db: Kysely<Database>, events: readonly Positioned<IndexedEvent>[]): Promise<Touched> {
  const custody = ofType(events, "custody");
  const firstId = events[0]?.id ?? 0n;
  return {
    holds: lotsWithHoldsIn(custody),
    released: lotsReleasedIn(custody),
    // And the trips ledger time may have taken past their deadline (read here, not in recompute: the
    // rebuild of migration 0007 runs before the transit columns exist, and takes every trip anyway).
    transit: [...lotsInTransitIn(custody), ...(await overdueTransitLots(db))],
    stays: custody.length === 0 ? [] : await groupsEndedFor(db, lotsOf(custody), firstId),
    chains: await chainsAmendedIn(db, events),
  };
}

/** Recomputes every scope `touched` names, at ledger time `now` (the latest event's). */
async function recompute(db: Kysely<Database>, touched: Touched, settings: FindingSettings): Promise<void> {
  const now = (
    await db
      .selectFrom("events")
      .select((eb) => eb.fn.max("time").as("now"))
      .executeTakeFirst()
  )?.now;
  const overdue = now === undefined || now === null ? [] : await overdueReleasedLots(db, BigInt(now), settings);
  const released = [...new Set([...touched.released, ...overdue])];
  const transit = [...new Set(touched.transit)];
  const states = [...new Set(touched.stays.map(({ state }) => state))];
  await replaceScopes(db, touched.holds.map(holdScope), await holdFindings(db, touched.holds));
  await replaceScopes(db, released.map(releasedScope), await releasedFindings(db, released, settings));
  await replaceScopes(db, transit.map(transitScope), await transitFindings(db, transit, settings));
  await replaceScopes(
    db,
    touched.stays.map(({ state, facility }) => stayScope(state, facility)),
    await longStayFindings(db, touched.stays, settings),
  );
  await replaceScopes(db, states.map(slowScope), await slowFacilityFindings(db, states, settings));
  await replaceScopes(db, touched.chains.map(amendmentScope), await amendmentFindings(db, touched.chains, settings));
}

/** The findings kinds that are one custody event's alone: computed from the event and what its lots held before. */
const CUSTODY_EVENT_KINDS = ["CONSUMPTION_OVER_NORM", "QUANTITY_VANISHED"] as const;

function custodyEventFindings(custody: ReadonlyArray<Positioned<CustodyEvent>>, settings: FindingSettings, quantityBefore: QuantityBefore) {
  return [...overNormFindings(custody, settings), ...vanishedQuantityFindings(custody, quantityBefore)];
}

/**
 * The custody events' own findings of a batch written catching up (`quantityBefore` from applyLots):
 * they need no index the mode drops, and kept here they are not read back when it ends.
 */
export async function applyCustodyEventFindings(
  db: Kysely<Database>,
  custody: ReadonlyArray<Positioned<CustodyEvent>>,
  settings: FindingSettings,
  quantityBefore: QuantityBefore,
): Promise<void> {
  await putFindings(db, custodyEventFindings(custody, settings, quantityBefore));
}

/**
 * The findings of `fresh`, the events just applied (in chain order), after every other table took them;
 * `quantityBefore`: what the inputs of their splits and transforms held just before (from applyLots).
 */
export async function applyFindings(
  db: Kysely<Database>,
  fresh: readonly Positioned<IndexedEvent>[],
  settings: FindingSettings,
  quantityBefore: QuantityBefore,
): Promise<void> {
  if (fresh.length === 0) return;
  await putFindings(db, [...custodyEventFindings(ofType(fresh, "custody"), settings, quantityBefore), ...(await withdrawnDocumentFindings(db, fresh))]);
  await recompute(db, await touchedBy(db, fresh), settings);
}

/**
 * Rolling back, in two steps around the other tables' rollback: first note what the removed events
 * touched (while their stays and documents are still there), then, once they are gone, delete their
 * own findings and recompute what they touched.
 */
export async function planFindingsRollback(db: Kysely<Database>, removed: readonly Positioned<IndexedEvent>[]): Promise<Touched> {
  return touchedBy(db, removed);
}

/** Deletes the events' own findings (scope null) of every event from id `firstId` on. */
export async function deleteEventFindingsFrom(db: Kysely<Database>, firstId: bigint): Promise<void> {
  await db.deleteFrom("findings").where("scope", "is", null).where("event_id", ">=", firstId).execute();
}

export async function rollbackFindings(db: Kysely<Database>, firstId: bigint, touched: Touched, settings: FindingSettings): Promise<void> {
  await deleteEventFindingsFrom(db, firstId);
  // A scoped finding may rest on a removed event its scope's own events do not show (the event that
  // took ledger time past a deadline): its scope is recomputed too.
  const resting = await db.selectFrom("findings").select("scope").distinct().where("event_id", ">=", firstId).where("scope", "is not", null).execute();
  await recompute(
    db,
    merge(
      touched,
      resting.map(({ scope }) => scope!),
    ),
    settings,
  );
}

/** `touched` with the scopes named by their stored keys (finding.scope) added. */
function merge(touched: Touched, scopes: readonly string[]): Touched {
  const more: Touched = {
    holds: [...touched.holds],
    released: [...touched.released],
    transit: [...touched.transit],
    stays: [...touched.stays],
    chains: [...touched.chains],
  };
  for (const scope of scopes) {
    const [kind, rest] = [scope.slice(0, scope.indexOf(" ")), scope.slice(scope.indexOf(" ") + 1)];
    if (kind === "hold") more.holds.push(rest);
    else if (kind === "released") more.released.push(rest);
    else if (kind === "transit") more.transit.push(rest);
    else if (kind === "amend") more.chains.push(rest);
    else if (kind === "stay") more.stays.push({ state: rest.slice(0, rest.indexOf(" ")), facility: rest.slice(rest.indexOf(" ") + 1) });
    // A stage's slow facilities rest on its latest stay: the plan already holds the stay's facility-stage.
    else if (kind !== "slow") throw new Error(`unknown finding scope ${JSON.stringify(scope)}`);
  }
  const stays = new Map(more.stays.map((group) => [stayScope(group.state, group.facility), group]));
  return {
    holds: [...new Set(more.holds)],
    released: [...new Set(more.released)],
    transit: [...new Set(more.transit)],
    stays: [...stays.values()],
    chains: [...new Set(more.chains)],
  };
}

/** Events per slice when findings are computed for a whole stored history. */
const REBUILD_SLICE = 5_000;

/** Lots whose scopes a rebuild recomputes at once. */
export const LOTS_PER_SLICE = 5_000;

/**
 * Computes every finding from the stored events (migration 0007 fills a store indexed before findings).
 * `custodyEventFindingsKept`: the custody events' own findings are already stored (the batches written
 * catching up kept them, applyCustodyEventFindings): they stay, and only the rest is computed.
 */
export async function rebuildFindings(
  db: Kysely<Database>,
  settings: FindingSettings = DEFAULT_FINDING_SETTINGS,
  { lotsPerSlice = LOTS_PER_SLICE, custodyEventFindingsKept = false }: { lotsPerSlice?: number; custodyEventFindingsKept?: boolean } = {},
): Promise<void> {
  if (custodyEventFindingsKept) await db.deleteFrom("findings").where("kind", "not in", CUSTODY_EVENT_KINDS).execute();
  else await db.deleteFrom("findings").execute();
  // The events with findings of their own: transforms and splits (unless kept), revocations, and the
  // anchors that superseded a document (not every anchor: three in four events at national scale are anchors).
  const kinds = custodyEventFindingsKept ? ["documentRevoked"] : ["transform", "split", "documentRevoked"];
  const withFindings = [
    (after: bigint) => db.selectFrom("events").select("id").where("kind", "in", kinds).where("id", ">", after).orderBy("id").limit(REBUILD_SLICE),
    (after: bigint) =>
      db
        .selectFrom("documents")
        .select("anchored_event as id")
        .where("supersedes", "is not", null)
        .where("anchored_event", ">", after)
        .orderBy("anchored_event")
        .limit(REBUILD_SLICE),
  ];
  for (const slice of withFindings) {
    for (let after = -1n; ; ) {
      const ids = (await slice(after).execute()).map(({ id }) => id);
      if (ids.length === 0) break;
      after = ids.at(-1)!;
      const events = await eventsById(db, ids);
      const custody = ofType(events, "custody");
      await putFindings(db, [
        ...(await withdrawnDocumentFindings(db, events)),
        ...custodyEventFindings(custody, settings, await storedQuantitiesBefore(db, custody)),
      ]);
    }
  }
  // The scopes of lots a slice at a time: their histories and trips are read per slice, so the memory
  // a rebuild takes stays bounded whatever the size of the store.
  const none: Touched = { holds: [], released: [], transit: [], stays: [], chains: [] };
  for await (const holds of lotsEverIn(db, "HELD", lotsPerSlice)) await recompute(db, { ...none, holds }, settings);
  for await (const released of lotsEverIn(db, "RELEASED", lotsPerSlice)) await recompute(db, { ...none, released }, settings);
  // Sealed lots: a seal moves a lot into IN_TRANSIT, and only a seal (or an unhold back to it) does.
  for await (const transit of lotsEverIn(db, "IN_TRANSIT", lotsPerSlice)) await recompute(db, { ...none, transit }, settings);
  const firsts = await db.selectFrom("documents").select("hash").where("supersedes", "is", null).where("superseded_by", "is not", null).execute();
  await recompute(db, { ...none, stays: await groupsWithStays(db), chains: firsts.map(({ hash }) => hash) }, settings);
}

/** Every lot that was ever in `state`, a page at a time, in id order. */
async function* lotsEverIn(db: Kysely<Database>, state: string, page: number): AsyncGenerator<string[]> {
  for (let after = ""; ; ) {
    const rows = await db
      .selectFrom("lot_transitions")
      .select("lot")
      .distinct()
      .where("state", "=", state)
      .where("lot", ">", after)
      .orderBy("lot")
      .limit(page)
      .execute();
    if (rows.length === 0) return;
    yield rows.map(({ lot }) => lot);
    after = rows.at(-1)!.lot;
  }
}
