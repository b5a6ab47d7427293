/** Ledger events as the audit trail shows them, the `auditTrail` root field and the live `eventAdded` subscription. */
import type { CustodyEvent, Hash } from "../../domain/index.js";
import { toJsonValue } from "../../domain/json-shapes.js";
import { countEvents, findEventIds, type EventFilter } from "../read/event-log.js";
import type { EventRecord } from "../read/events.js";
import { builder } from "./builder.js";
import { connection, counted, eventKey, countedConnection } from "./pagination.js";
import { DocumentRef, EventRef, LotRef } from "./refs.js";
import { LotStateEnum, PeriodInput, periodOf } from "./scalars.js";

const custody = (record: EventRecord): CustodyEvent | undefined => (record.event.type === "custody" ? record.event : undefined);

type Transition = CustodyEvent["transitions"][number];

const LotTransitionRef = builder.objectRef<Transition>("LotTransition").implement({
  description: "A lot as the event left it.",
  fields: (t) => ({
    lotId: t.string({ resolve: ({ lot }) => lot.id }),
    from: t.field({ type: LotStateEnum, resolve: ({ from }) => from }),
    to: t.field({ type: LotStateEnum, resolve: ({ lot }) => lot.state }),
    quantity: t.field({ type: "Quantity", resolve: ({ lot }) => lot.quantity }),
    owner: t.string({ resolve: ({ lot }) => lot.owner }),
    custodian: t.string({ resolve: ({ lot }) => lot.custodian }),
    location: t.string({ nullable: true, resolve: ({ lot }) => lot.location || null }),
    lot: t.field({
      type: LotRef,
      nullable: true,
      description: "The lot now (null, with FORBIDDEN, where the caller may not see it).",
      resolve: async ({ lot }, _args, { loaders }) => (await loaders.lot.load(lot.id)) ?? null,
    }),
  }),
});

const NormDeviationRef = builder.objectRef<CustodyEvent["deviations"][number]>("NormDeviation").implement({
  fields: (t) => ({
    material: t.exposeString("material"),
    expected: t.field({ type: "Quantity", description: "What the norm allows for the output, waste included.", resolve: (row) => row.expected }),
    consumed: t.field({ type: "Quantity", resolve: (row) => row.consumed }),
  }),
});

const QuantityPartRef = builder.objectRef<CustodyEvent["consumed"][number]>("QuantityPart").implement({
  fields: (t) => ({
    lotId: t.string({ resolve: (part) => part.lot }),
    quantity: t.field({ type: "Quantity", resolve: (part) => part.quantity }),
  }),
});

/** The document an anchoring or revocation event is about. */
function documentOf(record: EventRecord): Hash | null {
  if (record.event.type === "documentAnchored") return record.event.document.hash;
  if (record.event.type === "documentRevoked") return record.event.hash;
  return null;
}

EventRef.implement({
  description: "One event on the ledger: a custody action, a document anchored or revoked, a norm, a registration.",
  // Only records cut down for this caller (Visibility.shownEvents, through the loaders or the feed) resolve.
  authScopes: (record, { visibility }) => visibility?.wasShown(record) === true && (visibility.viewer.isAuditor || visibility.canSeeEvent(record)),
  fields: (t) => ({
    id: t.string({ description: "The event's place on the chain (its cursor in every list).", resolve: (record) => record.id.toString() }),
    kind: t.exposeString("kind", { description: "The custody action (declare, arrive, …) or the event type (documentAnchored, …)." }),
    time: t.field({ type: "DateTime", resolve: (record) => record.time }),
    block: t.string({ resolve: (record) => record.block.toString() }),
    tx: t.exposeString("tx", { description: "The ledger transaction." }),
    actor: t.exposeString("actor", { nullable: true, description: "The organisation that acted, issued or registered." }),
    facility: t.string({ nullable: true, resolve: (record) => custody(record)?.facility || null }),
    reason: t.string({
      nullable: true,
      resolve: (record) => custody(record)?.reason || (record.event.type === "documentRevoked" ? record.event.reason : null),
    }),
    flagged: t.boolean({ description: "A transform that consumed more than its norm allows.", resolve: (record) => custody(record)?.flagged ?? false }),
    deviations: t.field({ type: [NormDeviationRef], resolve: (record) => custody(record)?.deviations ?? [] }),
    consumed: t.field({
      type: [QuantityPartRef],
      description: "Transform inputs: how much of each lot was consumed.",
      resolve: (record) => custody(record)?.consumed ?? [],
    }),
    transitions: t.field({ type: [LotTransitionRef], resolve: (record) => custody(record)?.transitions ?? [] }),
    documents: t.field({
      type: [DocumentRef],
      nullable: { list: false, items: true },
      description: "Documents the custody action relied on (declaration, CO, permit, norm).",
      resolve: async (record, _args, { loaders }) =>
        (await loaders.document.loadMany(custody(record)?.documents ?? [])).map((document) => (document instanceof Error ? null : (document ?? null))),
    }),
    document: t.field({
      type: DocumentRef,
      nullable: true,
      description: "The document an anchoring or revocation is about.",
      resolve: async (record, _args, { loaders }) => {
        const hash = documentOf(record);
        return hash === null ? null : ((await loaders.document.load(hash)) ?? null);
      },
    }),
    payload: t.field({ type: "JSON", description: "The whole event as the ledger emitted it.", resolve: (record) => toJsonValue(record.event) }),
  }),
});

export const EventFilterInput = builder.inputType("EventFilter", {
  fields: (t) => ({
    kinds: t.stringList({ description: "Custody actions or event types." }),
    actor: t.string(),
    lot: t.string(),
    facility: t.string(),
    period: t.field({ type: PeriodInput }),
    flagged: t.boolean({ description: "true: only the transforms the ledger flagged for deviating from their norm; false: every other event." }),
  }),
});

export function eventFilterOf(input: EventFilter | null | undefined): EventFilter {
  return { ...input, period: input?.period ? periodOf(input.period) : null };
}

builder.queryFields((t) => ({
  auditTrail: t.connection(
    {
      type: EventRef,
      description:
        "The event log by filter, in ledger order: all of it for customs; for anyone else what its organisation did and the events of lots it may see.",
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: EventFilterInput }) },
      resolve: async (_root, args, { db, viewer, loaders }) => {
        const filter = eventFilterOf(args.filter);
        const page = await connection(
          args,
          eventKey((record: EventRecord) => record.id),
          async (page) => loaders.events(await findEventIds(db, viewer!, filter, page)),
        );
        return counted(page, () => countEvents(db, viewer!, filter));
      },
    },
    countedConnection("AuditTrailConnection", "Events matching the filter that the caller may see, on every page."),
    { name: "AuditTrailEdge" },
  ),
}));
