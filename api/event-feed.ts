/**
 * New events as they reach the store, for subscriptions. One poller per API process reads events
 * after the newest it has seen (the store is filled by the indexer, maybe in another process) and
 * hands them to every subscriber; it runs only while someone listens.
 */
import type { Kysely } from "kysely";
import { Repeater, SlidingBuffer } from "graphql-yoga";
import type { Database } from "../indexer/store/index.js";
import { eventRecords, type EventRecord } from "./read/events.js";

/** Events read per poll; a subscriber more than this many events behind loses the oldest. */
const BATCH = 1_000;

export class EventFeed {
  private readonly listeners = new Set<(records: readonly EventRecord[]) => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  /** The newest event handed out; undefined while nobody listens. */
  private last: bigint | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly pollMs: number,
  ) {}

  /** How many subscriptions listen now: each gets every event stored from now on. */
  get subscribers(): number {
    return this.listeners.size;
  }

  /**
   * Every event stored once this resolves, in ledger order, until the iterator is returned. It listens
   * from the moment it resolves (not from the first read), so a stream that is open misses nothing.
   */
  async subscribe(): Promise<AsyncIterableIterator<EventRecord>> {
    const early: EventRecord[] = [];
    let deliver = (record: EventRecord) => void (early.push(record) > BATCH && early.shift());
    const listener = (records: readonly EventRecord[]) => {
      for (const record of records) deliver(record);
    };
    const leave = () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.pause();
    };
    if (this.listeners.size === 0) await this.start();
    this.listeners.add(listener);
    const events = new Repeater<EventRecord>(async (push, stop) => {
      for (const record of early.splice(0)) void push(record);
      deliver = (record) => void push(record);
      await stop;
      leave();
    }, new SlidingBuffer(BATCH));
    // Returned before it was ever read, a Repeater never runs its executor: stop listening here too.
    const finish = events.return.bind(events);
    events.return = (value) => {
      leave();
      return finish(value);
    };
    return events;
  }

  close(): void {
    this.listeners.clear();
    this.pause();
  }

  private async start(): Promise<void> {
    const newest = await this.db.selectFrom("events").select("id").orderBy("id", "desc").limit(1).executeTakeFirst();
    this.last ??= newest?.id ?? -1n;
    if (this.timer === undefined && !this.polling) this.schedule();
  }

  private pause(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.last = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.poll(), this.pollMs);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    this.polling = true;
    try {
      if (this.last === undefined) return;
      const ids = await this.db.selectFrom("events").select("id").where("id", ">", this.last).orderBy("id").limit(BATCH).execute();
      if (ids.length > 0 && this.last !== undefined) {
        const records = await eventRecords(
          this.db,
          ids.map((row) => row.id),
        );
        this.last = ids.at(-1)!.id;
        for (const listener of this.listeners) listener(records);
      }
    } catch {
      // The store is briefly unavailable (a restart, a lock): the next poll tries again from the same place.
    } finally {
      this.polling = false;
      if (this.listeners.size > 0 && this.timer === undefined) this.schedule();
    }
  }
}
