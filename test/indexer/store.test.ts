/**
 * The store on both engines — embedded SQLite and a real PostgreSQL server — with random action
 * sequences (the differential generator's small world): lot history and material balances answered
 * from maintained tables equal the domain's own fold over the same events; batches apply once however
 * they are cut or replayed; a rollback to any block leaves the store a fresh index of that block
 * would be. And a long workload gives the same logical dump on both engines.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, materialFigures as foldFigures, TraceGateError, type CustodyEvent, type LedgerEvent } from "../../domain/index.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch, commitRollback } from "../../indexer/store/commit.js";
import { dumpStore } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { lotHistory, materialFigures } from "../../indexer/store/read/queries.js";
import { TABLE_KEYS } from "../../indexer/store/schema.js";
import { applyEvents } from "../../indexer/store/write/apply.js";
import { SECONDS_PER_DAY } from "../../indexer/store/write/balances.js";
import { DomainLedger } from "../conformance/domain-ledger.js";
import { scriptArb, ScriptContext, type Choice } from "../differential/generator.js";
import { setUpWorld, START_TIME } from "../differential/setup.js";
import { MATERIALS } from "../differential/world.js";
import { batchOf, headerOf, onChain } from "./ledger-events.js";
import { startPostgres, type PostgresServer } from "../../scripts/harness/postgres-server.js";
import { TradeFlows } from "../../scripts/workloads/trade-flows.js";

/** The events of a random script on the domain ledger, hours to days apart so they fall in several day buckets. */
async function eventsOf(script: readonly Choice[]): Promise<LedgerEvent[]> {
  const domain = new DomainLedger();
  await setUpWorld(domain);
  const context = new ScriptContext(domain);
  let time = START_TIME;
  for (const choice of script) {
    const { actor, action } = context.concretize(choice);
    time += BigInt((choice.picks[0]! * 97) % (2 * 86_400));
    try {
      await domain.submit(actor, action, time);
    } catch (error) {
      if (!(error instanceof TraceGateError)) throw error;
    }
  }
  return domain.events;
}

async function empty(store: Store): Promise<void> {
  for (const table of Object.keys(TABLE_KEYS) as Array<keyof typeof TABLE_KEYS>) await store.db.deleteFrom(table).execute();
}

/** Writes blocks `from`..`to` of `events` in batches cut at `cuts`; returns the checkpoint. */
async function ingest(store: Store, events: ReturnType<typeof onChain>, from: bigint, to: bigint, cuts: readonly bigint[]) {
  let checkpoint = await openCheckpoint(store.db, "test chain");
  const ends = [...cuts.filter((cut) => cut >= from && cut < to), to];
  let start = from;
  for (const end of ends) {
    if (end < start) continue;
    ({ checkpoint } = await commitBatch(store, checkpoint, batchOf(events, start, end)));
    start = end + 1n;
  }
  return checkpoint;
}

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres?.stop());

describe.each([
  { engine: "SQLite", runs: 120, open: () => openStore(":memory:") },
  { engine: "PostgreSQL", runs: 25, open: () => openStore(postgres.url) },
])("the store on $engine", ({ runs, open }) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.close());

  it("answers lot history and material balances as the domain's fold of the same events", async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(24), fc.nat(), async (script, pick) => {
        await empty(store);
        const events = await eventsOf(script);
        const chain = onChain(events);
        await ingest(store, chain, 0n, BigInt(chain.length - 1), []);

        const custody = events.filter((event): event is CustodyEvent => event.type === "custody");
        const lots = new Set(custody.flatMap((event) => event.transitions.map(({ lot }) => lot.id)));
        for (const lot of lots) {
          expect(await lotHistory(store.db, lot), lot).toEqual(custody.filter((event) => event.transitions.some((t) => t.lot.id === lot)));
        }
        const days = events.map(({ time }) => time - (time % SECONDS_PER_DAY));
        const first = days[0]!;
        const middle = days[pick % days.length]!;
        const last = days.at(-1)! + SECONDS_PER_DAY;
        for (const period of [
          { from: first, to: last },
          { from: middle, to: last },
          { from: middle, to: middle + SECONDS_PER_DAY },
          { from: first, to: middle },
        ]) {
          for (const enterprise of ["GARMENT", "ELECTRO"]) {
            for (const material of [...MATERIALS, "SHIRT", "BOARD"]) {
              expect(await materialFigures(store.db, enterprise, material, period)).toEqual(foldFigures(events, enterprise, material, period));
            }
          }
        }
      }),
      { numRuns: runs },
    );
  });

  it("keeps a transit's seal, destination and deadline in lots and history, and a rollback restores them", async () => {
    const domain = new DomainLedger();
    await setUpWorld(domain);
    const transit = documentHash("store test transit declaration");
    const officer = { org: "CUSTOMS", role: "OFFICER" } as const;
    await domain.submit(
      { org: "CUSTOMS", role: "SIGNER" },
      { type: "anchor", hash: transit, id: "TRANSIT-1", kind: "TRANSIT", cid: "bafy-t", subjects: [] },
      START_TIME,
    );
    await domain.submit(officer, { type: "arrive", lot: "LOT-A", facility: "GATE-HUUNGHI" }, START_TIME + 10n);
    const deadline = START_TIME + 86_400n;
    await domain.submit(officer, { type: "seal", lot: "LOT-A", facility: "BONDED-WH", seal: "ESEAL-1", deadline, transit }, START_TIME + 20n);
    await domain.submit(officer, { type: "alert", lot: "LOT-A", seal: "ESEAL-1", alert: "OPENED", detail: "lock forced" }, START_TIME + 30n);
    await domain.submit(officer, { type: "unseal", lot: "LOT-A", facility: "BONDED-WH", sealIntact: false, reason: "wire cut" }, START_TIME + 40n);
    const chain = onChain(domain.events);
    const head = BigInt(chain.length - 1);

    await empty(store);
    const checkpoint = await ingest(store, chain, 0n, head, []);
    const custody = domain.events.filter((event): event is CustodyEvent => event.type === "custody");
    expect(await lotHistory(store.db, "LOT-A")).toEqual(custody.filter((event) => event.transitions.some((t) => t.lot.id === "LOT-A")));
    const current = await store.db.selectFrom("lots").select(["state", "seal", "destination", "deadline"]).where("id", "=", "LOT-A").executeTakeFirstOrThrow();
    expect(current).toEqual({ state: "HELD", seal: "", destination: "", deadline: 0n });

    await commitRollback(store, checkpoint, headerOf(head - 1n));
    const sealed = await store.db.selectFrom("lots").select(["state", "seal", "destination", "deadline"]).where("id", "=", "LOT-A").executeTakeFirstOrThrow();
    expect(sealed).toEqual({ state: "IN_TRANSIT", seal: "ESEAL-1", destination: "BONDED-WH", deadline });
  });

  it("applies batches once however they are cut or replayed, and rolls back to any block as if the later ones never came", async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(24), fc.array(fc.nat(60), { maxLength: 6 }), fc.nat(), async (script, cutAt, pick) => {
        const chain = onChain(await eventsOf(script));
        const head = BigInt(chain.length - 1);
        const cuts = cutAt.map(BigInt).sort((a, b) => (a < b ? -1 : 1));
        const fork = BigInt(pick % chain.length);

        await empty(store);
        await ingest(store, chain, 0n, fork, cuts);
        const upToFork = await dumpStore(store);
        let checkpoint = await ingest(store, chain, fork + 1n, head, cuts);
        const whole = await dumpStore(store);

        // A replay (a second writer that read the same checkpoint) changes nothing.
        const replayFrom = BigInt(pick % (Number(head) + 1));
        const replay = batchOf(chain, replayFrom, head);
        await store.db.transaction().execute((trx) => applyEvents(trx, checkpoint.chain, replay.events));
        expect(await dumpStore(store)).toEqual(whole);

        ({ checkpoint } = await commitRollback(store, checkpoint, headerOf(fork)));
        expect(await dumpStore(store)).toEqual(upToFork);
        await ingest(store, chain, fork + 1n, head, []);
        expect(await dumpStore(store)).toEqual(whole);
      }),
      { numRuns: runs },
    );
  });
});

it("a long workload gives the same logical dump on SQLite and PostgreSQL", async () => {
  const flows = new TradeFlows(2);
  let time = START_TIME;
  const events = (await flows.setUp(time)).map(({ event }) => event);
  while (events.length < 3_000) events.push(...(await flows.step((time += 900n))).map(({ event }) => event));
  const chain = onChain(events);
  const cuts = Array.from({ length: 30 }, (_, i) => BigInt(i * 100));
  const dumps: string[] = [];
  for (const store of [await openStore(":memory:"), await openStore(postgres.url)]) {
    await empty(store);
    await ingest(store, chain, 0n, BigInt(chain.length - 1), cuts);
    dumps.push(await dumpStore(store));
    await store.close();
  }
  expect(dumps[1]).toEqual(dumps[0]);
});
