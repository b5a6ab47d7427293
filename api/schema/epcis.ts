/** `epcisEvents`: custody events as EPCIS 2.0 JSON-LD, one page at a time, with the page as an EPCISDocument. */
import { CUSTODY_ACTIONS } from "../../domain/index.js";
import { epcisDocument, epcisEntries, type EpcisEntry } from "../epcis/events.js";
import { findEventIds } from "../read/event-log.js";
import { builder } from "./builder.js";
import { EventFilterInput, eventFilterOf } from "./event.js";
import { connection, eventKey } from "./pagination.js";

const EpcisEventRef = builder.objectRef<EpcisEntry>("EpcisEvent").implement({
  fields: (t) => ({
    eventId: t.string({ description: "The store's event id (the cursor).", resolve: ({ record }) => record.id.toString() }),
    json: t.field({
      type: "JSON",
      description: "The EPCIS 2.0 event (JSON-LD, without @context: see the connection's document).",
      resolve: ({ json }) => json,
    }),
  }),
});

builder.queryFields((t) => ({
  epcisEvents: t.connection(
    {
      type: EpcisEventRef,
      description: "Custody events as EPCIS 2.0 ObjectEvents and TransformationEvents, visible as in auditTrail.",
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: EventFilterInput }) },
      resolve: (_root, args, { db, viewer, loaders }) => {
        const filter = eventFilterOf(args.filter);
        const kinds = (filter.kinds?.length ? filter.kinds : CUSTODY_ACTIONS).filter((kind) => (CUSTODY_ACTIONS as readonly string[]).includes(kind));
        return connection(
          args,
          eventKey((entry: EpcisEntry) => entry.record.id),
          async (page) => {
            const records = kinds.length === 0 ? [] : await loaders.events(await findEventIds(db, viewer!, { ...filter, kinds }, page));
            return epcisEntries(db, loaders, records);
          },
        );
      },
    },
    {
      name: "EpcisConnection",
      fields: (t) => ({
        document: t.field({
          type: "JSON",
          description: "This page's events as one EPCISDocument, with the EPCIS context and TraceGate's own (tg: terms).",
          resolve: (page) => epcisDocument(page.edges.flatMap((edge) => (edge ? [edge.node.json] : []))),
        }),
      }),
    },
    { name: "EpcisEdge" },
  ),
}));
