/** `eventAdded`: events as they reach the store, over server-sent events, each only if the caller may see it. */
import type { EventFilter } from "../read/event-log.js";
import type { EventRecord } from "../read/events.js";
import { builder } from "./builder.js";
import { EventFilterInput, eventFilterOf } from "./event.js";
import { EventRef } from "./refs.js";

function matches(record: EventRecord, filter: EventFilter): boolean {
  const custody = record.event.type === "custody" ? record.event : undefined;
  if (filter.kinds && filter.kinds.length > 0 && !filter.kinds.includes(record.kind)) return false;
  if (filter.actor && record.actor !== filter.actor) return false;
  if (filter.facility && custody?.facility !== filter.facility) return false;
  if (filter.lot && !custody?.transitions.some(({ lot }) => lot.id === filter.lot)) return false;
  if (filter.period && (record.time < filter.period.from || record.time >= filter.period.to)) return false;
  if (typeof filter.flagged === "boolean" && (custody?.flagged ?? false) !== filter.flagged) return false;
  return true;
}

builder.subscriptionType({
  fields: (t) => ({
    eventAdded: t.field({
      type: EventRef,
      description: "Each new event matching the filter that the caller may see, as the indexer stores it.",
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: EventFilterInput }) },
      subscribe: async function* (_root, args, context) {
        const filter = eventFilterOf(args.filter);
        for await (const record of context.feed.subscribe()) {
          // Custody changes over time: decide on the lots as they are now.
          context.loaders.clearAll();
          if (matches(record, filter) && (await context.visibility!.canSeeEvent(record))) yield record;
        }
      },
      resolve: (record) => record,
    }),
  }),
});
