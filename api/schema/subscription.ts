/**
 * `eventAdded`: events as they reach the store, over server-sent events, each only if the caller may
 * see it and cut down as any event is (Visibility.shownEvents). The stream ends when the caller's token
 * expires: a last message says so (UNAUTHENTICATED), then the stream completes.
 */
import { loadFacilities } from "../auth/request-caller.js";
import type { ApiContext } from "../context.js";
import { apiError } from "../errors.js";
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

/** What the stream yields last when the token has expired. */
const EXPIRED = Symbol("token expired");

/** The feed's events the caller may see, until the feed ends or the token expires. */
async function* visibleEvents(
  source: AsyncIterableIterator<EventRecord>,
  filter: EventFilter,
  context: ApiContext,
): AsyncGenerator<EventRecord | typeof EXPIRED> {
  const visibility = context.visibility!;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(() => resolve(EXPIRED), Math.max(0, visibility.viewer.expires * 1000 - Date.now()));
  });
  try {
    for (;;) {
      const next = await Promise.race([source.next(), expired]);
      if (next === EXPIRED) {
        yield EXPIRED;
        return;
      }
      if (next.done === true) return;
      // Custody and the facilities registered change over time: decide on them as they are now.
      context.loaders.clearAll();
      await loadFacilities(context.db, visibility.viewer);
      const [record] = await visibility.shownEvents([next.value]);
      if (matches(record!, filter) && (await visibility.canSeeEvent(record!))) yield record!;
    }
  } finally {
    clearTimeout(timer);
    await source.return?.();
  }
}

builder.subscriptionType({
  fields: (t) => ({
    eventAdded: t.field({
      type: EventRef,
      description:
        "Each new event matching the filter that the caller may see, as the indexer stores it. Ends when the token expires (UNAUTHENTICATED): subscribe again with a new token.",
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: EventFilterInput }) },
      // Listening starts before the response does: an event stored once the stream is open is delivered.
      subscribe: async (_root, args, context) => {
        const source = await context.feed.subscribe();
        const events = visibleEvents(source, eventFilterOf(args.filter), context);
        // A generator returned before its first read never runs its finally: return the feed here too.
        const finish = events.return.bind(events);
        events.return = async (value) => {
          await source.return?.();
          return finish(value);
        };
        return events;
      },
      resolve: (record) => {
        if (record === EXPIRED) throw apiError("UNAUTHENTICATED", "the token expired: subscribe again with a new token");
        return record;
      },
    }),
  }),
});
