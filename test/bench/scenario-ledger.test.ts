/**
 * The scenario ledger (scripts/workloads/scenario-ledger.ts), the source the scale benchmark ingests:
 * the real indexer takes a seeds year from it into a real SQLite store with every step and registration
 * as an event at its slot's block, up to the ledger's head, and every lot in the state its last step
 * left it; its headers chain one slot apart up to the year's last slot; it refuses a read out of order
 * without moving on; the same seed and size give the same store however the blocks are batched; and
 * it reports the time spent generating, under an id that names the scenario.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Lot } from "../../domain/index.js";
import { Indexer, type BatchReport } from "../../indexer/indexer.js";
import type { BlockHeader, SourceEvent } from "../../indexer/sources/source.js";
import { dumpHash } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { generateScenario, SLOT_SECONDS } from "../../seeds/scenario.js";
import { ScenarioLedger } from "../../scripts/workloads/scenario-ledger.js";
import { failFast } from "../indexer/fail-fast.js";

const SEED = 11;
const EVENTS = 3_000;
const REGISTRATION_KINDS = ["organisationRegistered", "facilityRegistered", "memberRegistered"];

let directory: string;
const stores: Store[] = [];
let databases = 0;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "tracegate-scenario-ledger-"));
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await rm(directory, { recursive: true, force: true });
});

/** A fresh SQLite store, closed after the file. */
async function freshStore(): Promise<Store> {
  const store = await openStore(join(directory, `store-${++databases}.sqlite`));
  stores.push(store);
  return store;
}

/** Ingests the scenario of `seed` and `events` to the ledger's head, as the scale benchmark does; the ledger and the batches committed. */
async function ingest(store: Store, seed: number, events: number, batchBlocks: number): Promise<{ ledger: ScenarioLedger; batches: BatchReport[] }> {
  const ledger = new ScenarioLedger(generateScenario({ seed, events }));
  const batches: BatchReport[] = [];
  const indexer = await Indexer.open(store, ledger, { finality: 0, batchBlocks, pollMs: 0 }, { ...failFast, committed: (report) => batches.push(report) });
  await indexer.run({ untilHead: true });
  return { ledger, batches };
}

/** Every event of blocks 0 to `to`, read in ranges ending at each of `ends` (ascending, the last `to`). */
async function readInRanges(ledger: ScenarioLedger, ends: readonly bigint[]): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  let from = 0n;
  for (const end of ends) {
    events.push(...(await ledger.events(from, end)));
    from = end + 1n;
  }
  return events;
}

describe("a scenario ingested by the indexer", () => {
  let store: Store;
  let ledger: ScenarioLedger;
  let batches: BatchReport[];
  /** The scenario's own steps, generated apart from the ledger. */
  let steps = 0;
  /** Every lot the steps wrote, as its last step left it. */
  const lots = new Map<string, Lot>();
  let registrations: { organisations: number; facilities: number; members: number };
  let year: { from: bigint; to: bigint };

  beforeAll(async () => {
    const scenario = generateScenario({ seed: SEED, events: EVENTS });
    registrations = { organisations: scenario.organisations.length, facilities: scenario.facilities.length, members: scenario.members.length };
    year = scenario.period;
    for await (const { event } of scenario.steps) {
      steps++;
      if (event.type === "custody") for (const { lot } of event.transitions) lots.set(lot.id, lot);
    }
    store = await freshStore();
    ({ ledger, batches } = await ingest(store, SEED, EVENTS, 2_000));
  });

  it("stores each step and each registration as one event, up to the ledger's head", async () => {
    expect(steps).toBeGreaterThan(EVENTS * 0.8);
    const { count } = await store.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<bigint>().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(steps + registrations.organisations + registrations.facilities + registrations.members);
    expect(batches.reduce((sum, { events }) => sum + events, 0)).toBe(Number(count));

    const byKind = await store.db
      .selectFrom("events")
      .select(["kind", (eb) => eb.fn.countAll<bigint>().as("count")])
      .where("kind", "in", REGISTRATION_KINDS)
      .groupBy("kind")
      .execute();
    expect(Object.fromEntries(byKind.map(({ kind, count }) => [kind, Number(count)]))).toEqual({
      organisationRegistered: registrations.organisations,
      facilityRegistered: registrations.facilities,
      memberRegistered: registrations.members,
    });

    const head = await ledger.head();
    const checkpoint = await store.db.selectFrom("chains").select(["id", "block_number", "block_hash"]).executeTakeFirstOrThrow();
    expect(checkpoint).toEqual({ id: ledger.id, block_number: head.number, block_hash: head.hash });
    // Several batches, the first ones far enough behind the head to be caught up, the last ones not.
    expect(batches.length).toBeGreaterThan(10);
    expect(batches[0]!.catchingUp).toBe(true);
    expect(batches.at(-1)!.catchingUp).toBe(false);
  });

  it("puts every event at the block of its ledger time: registrations in block 0, each step at its slot's", async () => {
    const rows = await store.db.selectFrom("events").select(["block_number", "time", "kind"]).orderBy("id").execute();
    const fresh = new ScenarioLedger(generateScenario({ seed: SEED, events: EVENTS }));
    const headers = new Map(((await fresh.headers(0n, (await fresh.head()).number)) as BlockHeader[]).map((header) => [header.number, header]));
    const misplaced = rows.filter(({ block_number, time }) => headers.get(block_number)?.time !== time);
    expect(misplaced).toEqual([]);
    expect(rows.filter(({ block_number }) => block_number === 0n).map(({ kind }) => kind)).toEqual(
      rows.filter(({ kind }) => REGISTRATION_KINDS.includes(kind)).map(({ kind }) => kind),
    );
    expect(rows.every(({ block_number, time }) => block_number === 0n || (time >= year.from && time < year.to))).toBe(true);
  });

  it("holds every lot the steps wrote, in the state its last step left it", async () => {
    const rows = await store.db.selectFrom("lots").select(["id", "state", "owner", "custodian", "location", "quantity"]).execute();
    expect(lots.size).toBeGreaterThan(100);
    expect(rows.map(({ id }) => id).sort()).toEqual([...lots.keys()].sort());
    const differing = rows.filter(({ id, state, owner, custodian, location, quantity }) => {
      const lot = lots.get(id)!;
      return state !== lot.state || owner !== lot.owner || custodian !== lot.custodian || location !== lot.location || quantity !== lot.quantity.toString();
    });
    expect(differing).toEqual([]);
  });

  it("gives the same store for the same seed and size, however the blocks are batched, and another for another seed", async () => {
    const again = await freshStore();
    const rebatched = await ingest(again, SEED, EVENTS, 7_919);
    expect(rebatched.batches.length).not.toBe(batches.length);
    const expected = await dumpHash(store);
    expect(await dumpHash(again)).toBe(expected);

    const other = await freshStore();
    await ingest(other, SEED + 1, EVENTS, 2_000);
    expect(await dumpHash(other)).not.toBe(expected);
  });
});

describe("the scenario ledger's headers", () => {
  const scenario = generateScenario({ seed: SEED, events: 500 });
  const ledger = new ScenarioLedger(scenario);

  it("link each block to the one before it, one slot apart, block 1 at the year's start", async () => {
    const headers = (await ledger.headers(0n, 200n)) as BlockHeader[];
    expect(headers.map(({ number }) => number)).toEqual(Array.from({ length: 201 }, (_, index) => BigInt(index)));
    expect(headers[1]!.time).toBe(scenario.period.from);
    for (let index = 1; index < headers.length; index++) {
      const [parent, header] = [headers[index - 1]!, headers[index]!];
      expect(header.parentHash, `block ${header.number}`).toBe(parent.hash);
      expect(header.time - parent.time, `block ${header.number}`).toBe(SLOT_SECONDS);
    }
    expect(new Set(headers.map(({ hash }) => hash)).size).toBe(headers.length);
    expect(headers.map(({ hash }) => hash)).not.toContain(headers[0]!.parentHash);
    // The same block reads the same however the range around it is asked.
    expect(await ledger.headers(150n, 150n)).toEqual([headers[150]]);
  });

  it("end with the head at the year's last slot, linked to the block before it", async () => {
    const head = await ledger.head();
    expect(head.time).toBe(scenario.period.to - SLOT_SECONDS);
    const [before, last] = (await ledger.headers(head.number - 1n, head.number)) as BlockHeader[];
    expect(last).toEqual(head);
    expect(head.parentHash).toBe(before!.hash);
    expect(head.time - before!.time).toBe(SLOT_SECONDS);
    // Past the head the ledger has no blocks, as a node would answer.
    expect(await ledger.headers(head.number, head.number + 2n)).toEqual([head, undefined, undefined]);
  });
});

describe("reading the scenario ledger out of order", () => {
  const EVENTS_SMALL = 1_000;
  const ledgerOf = () => new ScenarioLedger(generateScenario({ seed: SEED, events: EVENTS_SMALL }));
  let reference: SourceEvent[];
  /** A block range [0, END] holding registrations and steps in several blocks. */
  const END = 2_000n;

  beforeAll(async () => {
    reference = await ledgerOf().events(0n, END);
  });

  it("refuses a range that does not start at the next block, and reads on as if it had not been asked", async () => {
    expect(reference.filter(({ block }) => block > 0n).length).toBeGreaterThan(20);
    const ledger = ledgerOf();
    await expect(ledger.events(5n, 9n)).rejects.toThrow(RangeError);
    await expect(ledger.events(0n, -1n)).rejects.toThrow(RangeError);
    expect(await readInRanges(ledger, [9n, END])).toEqual(reference);
  });

  it("refuses to read a range again, and to skip ahead, without moving on", async () => {
    const ledger = ledgerOf();
    const middle = reference.find(({ block }) => block > 0n)!.block;
    const first = await ledger.events(0n, middle);
    await expect(ledger.events(0n, middle)).rejects.toThrow(RangeError);
    await expect(ledger.events(middle, middle + 10n)).rejects.toThrow(RangeError);
    await expect(ledger.events(middle + 2n, END)).rejects.toThrow(RangeError);
    expect([...first, ...(await ledger.events(middle + 1n, END))]).toEqual(reference);
  });

  it("serves the same events however the blocks are split into ranges", async () => {
    const ends = [0n, 1n, 17n, 18n, 400n, 401n, 1_500n, END];
    expect(await readInRanges(ledgerOf(), ends)).toEqual(reference);
    const blocks = reference.map(({ block }) => block);
    expect(blocks).toEqual([...blocks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const positions = reference.map(({ block, index }) => `${block}:${index}`);
    expect(new Set(positions).size).toBe(positions.length);
  });
});

describe("the scenario ledger's bookkeeping", () => {
  it("counts the time spent generating once read, and names the seed and size in its id", async () => {
    const ledger = new ScenarioLedger(generateScenario({ seed: SEED, events: 700 }));
    expect(ledger.generatingMs).toBe(0);
    const started = performance.now();
    await ledger.events(0n, 5_000n);
    const elapsed = performance.now() - started;
    expect(ledger.generatingMs).toBeGreaterThan(0);
    expect(ledger.generatingMs).toBeLessThanOrEqual(elapsed);

    const idOf = (seed: number, events: number) => new ScenarioLedger(generateScenario({ seed, events })).id;
    expect(ledger.id).toContain(String(SEED));
    expect(ledger.id).toContain("700");
    expect(idOf(SEED, 700)).toBe(ledger.id);
    expect(idOf(SEED + 1, 700)).not.toBe(ledger.id);
    expect(idOf(SEED, 701)).not.toBe(ledger.id);
  });
});
