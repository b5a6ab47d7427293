/** Lots: state, documents, history and lineage; the root fields `lot` and `lots`. */
import { DIRECTIONS } from "../../domain/index.js";
import { apiError } from "../errors.js";
import { traceLineage } from "../lineage.js";
import { documentHashesOfLot } from "../read/documents.js";
import type { EventRecord } from "../read/events.js";
import { countLotEvents, countLots, findLots, lotEventIds, type LotRecord } from "../read/lots.js";
import { builder } from "./builder.js";
import { LineageRef } from "./lineage.js";
import { connection, counted, eventKey, textKey, countedConnection } from "./pagination.js";
import { DocumentRef, EventRef, LotRef } from "./refs.js";
import { TripRef } from "./trip.js";
import { lotTrips } from "../read/trips.js";
import { LotStateEnum, PeriodInput, periodOf } from "./scalars.js";

const MAX_LINEAGE_DEPTH = 50;

const LineageDirectionEnum = builder.enumType("LineageDirection", {
  values: { UP: { description: "Parents, up to the lots that crossed the border" }, DOWN: { description: "Children and products" }, BOTH: {} },
});

LotRef.implement({
  description: "A quantity of goods and its current state.",
  authScopes: (lot, context) => context.viewer?.canSeeLot(lot) ?? false,
  fields: (t) => ({
    id: t.exposeString("id"),
    material: t.exposeString("material"),
    hsCode: t.exposeString("hsCode"),
    unit: t.exposeString("unit", { description: "UN/CEFACT unit code (KGM, PCE, …)." }),
    quantity: t.field({ type: "Quantity", resolve: (lot) => lot.quantity }),
    owner: t.exposeString("owner"),
    custodian: t.exposeString("custodian"),
    location: t.string({ nullable: true, description: "The facility where the goods are; null before arrival.", resolve: (lot) => lot.location || null }),
    state: t.field({ type: LotStateEnum, resolve: (lot) => lot.state }),
    priorState: t.field({
      type: LotStateEnum,
      nullable: true,
      description: "The state a HELD lot returns to.",
      resolve: (lot) => (lot.priorState === "NONE" ? null : lot.priorState),
    }),
    direction: t.field({ type: builder.enumType("Direction", { values: DIRECTIONS }), resolve: (lot) => lot.direction }),
    preferenceClaimed: t.exposeBoolean("preferenceClaimed"),
    permitRequired: t.exposeBoolean("permitRequired"),
    stageSince: t.field({ type: "DateTime", description: "Since when the lot is in its state at its location.", resolve: (lot) => lot.stageSince }),
    seal: t.string({ nullable: true, description: "Under customs seal in transit: the seal's id; null otherwise.", resolve: (lot) => lot.seal || null }),
    destination: t.string({
      nullable: true,
      description: "Under customs seal in transit: the facility the lot must arrive at; null otherwise.",
      resolve: (lot) => lot.destination || null,
    }),
    deadline: t.field({
      type: "DateTime",
      nullable: true,
      description: "Under customs seal in transit: when the lot must have arrived (an unseal after it holds the lot OVERDUE); null otherwise.",
      resolve: (lot) => (lot.destination === "" ? null : lot.deadline),
    }),
    trips: t.field({
      type: [TripRef],
      description: "Its trips under customs seal, oldest first: seal, alerts, the seal check, time against the deadline, the e-seal's track.",
      resolve: (lot, _args, { db }) => lotTrips(db, lot.id),
    }),
    declaration: t.field({
      type: DocumentRef,
      nullable: true,
      resolve: async (lot, _args, { loaders }) => (lot.declaration === null ? null : ((await loaders.document.load(lot.declaration)) ?? null)),
    }),
    documents: t.field({
      type: [DocumentRef],
      description: "Documents naming the lot and documents its events relied on, each with its verdict.",
      resolve: async (lot, _args, { db, loaders }) => loaders.documents(await documentHashesOfLot(db, lot.id)),
    }),
    arrival: t.field({
      type: EventRef,
      nullable: true,
      description: "The event that brought the lot across the border (none for split parts and products).",
      resolve: async (lot, _args, { loaders }) => {
        const id = await loaders.arrival.load(lot.id);
        return id === undefined ? null : ((await loaders.event.load(id)) ?? null);
      },
    }),
    history: t.connection(
      {
        type: EventRef,
        description: "Every custody event of the lot, in ledger order.",
        resolve: async (lot, args, { db, loaders }) => {
          const page = await connection(
            args,
            eventKey((event: EventRecord) => event.id),
            async (page) => loaders.events(await lotEventIds(db, lot.id, page)),
          );
          return counted(page, () => countLotEvents(db, lot.id));
        },
      },
      countedConnection("LotHistoryConnection", "The lot's events, on every page."),
      { name: "LotHistoryEdge" },
    ),
    lineage: t.field({
      type: LineageRef,
      args: {
        direction: t.arg({ type: LineageDirectionEnum, defaultValue: "BOTH", required: true }),
        depth: t.arg.int({ defaultValue: 10, required: true, description: `Generations to follow (at most ${MAX_LINEAGE_DEPTH}).` }),
      },
      resolve: (lot, { direction, depth }, { db, loaders, viewer }) => {
        if (depth < 1 || depth > MAX_LINEAGE_DEPTH) throw apiError("BAD_USER_INPUT", `depth must be 1 to ${MAX_LINEAGE_DEPTH}`);
        return traceLineage(db, loaders, viewer!, lot, direction, depth);
      },
    }),
  }),
});

const LotFilter = builder.inputType("LotFilter", {
  fields: (t) => ({
    owner: t.string(),
    custodian: t.string(),
    state: t.field({ type: LotStateEnum }),
    facility: t.string({ description: "Where the lot is now." }),
    hsCode: t.string(),
    material: t.string(),
    period: t.field({ type: PeriodInput, description: "Lots with at least one event in the period." }),
  }),
});

builder.queryFields((t) => ({
  lot: t.field({
    type: LotRef,
    nullable: true,
    description: "A lot by id. Outside customs, a lot the caller may not see and a lot that does not exist both answer FORBIDDEN.",
    authScopes: { authenticated: true },
    args: { id: t.arg.string({ required: true }) },
    resolve: async (_root, { id }, { loaders, viewer }) => {
      const lot = await loaders.lot.load(id);
      if (lot === undefined && !viewer!.isAuditor) throw apiError("FORBIDDEN", `${viewer!.org} (${viewer!.role}) may not see this`);
      return lot ?? null;
    },
  }),
  lots: t.connection(
    {
      type: LotRef,
      description: "Lots by filter, in id order: all for customs, owned ones for an enterprise, those in its custody for a warehouse.",
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: LotFilter }) },
      resolve: async (_root, args, { db, viewer }) => {
        const filter = { ...args.filter, period: args.filter?.period ? periodOf(args.filter.period) : null };
        const page = await connection(
          args,
          textKey((lot: LotRecord) => lot.id),
          (page) => findLots(db, viewer!, filter, page),
        );
        return counted(page, () => countLots(db, viewer!, filter));
      },
    },
    countedConnection("LotConnection", "Lots matching the filter, on every page."),
    { name: "LotEdge" },
  ),
}));
