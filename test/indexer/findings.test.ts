/**
 * Findings on both engines: the scenario's planted cases each give their finding, with their figures,
 * and nothing else does; the findings are the same however the batches are cut, after a replay, after
 * a rollback to any block and the blocks again, and as computed afresh from the stored events.
 */
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChainEvent } from "../../indexer/events.js";
import { rebuildFindings } from "../../indexer/findings/apply.js";
import { findingOf, severityLabel } from "../../indexer/findings/finding.js";
import { DEFAULT_FINDING_SETTINGS, readFindingSettings, FindingSettingsError } from "../../indexer/findings/settings.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch, commitRollback } from "../../indexer/store/commit.js";
import type { Store } from "../../indexer/store/engine.js";
import { migrations } from "../../indexer/store/migrations.js";
import { openStore } from "../../indexer/store/open.js";
import { TABLE_KEYS } from "../../indexer/store/schema.js";
import { applyEvents } from "../../indexer/store/write/apply.js";
import { findingsScenario, SCENARIO_SETTINGS, scenarioOnChain as onChain, type FindingsScenario } from "./findings-scenario.js";
import { batchOf, headerOf } from "./ledger-events.js";
import { startPostgres, type PostgresServer } from "../../scripts/harness/postgres-server.js";

async function empty(store: Store): Promise<void> {
  for (const table of Object.keys(TABLE_KEYS) as Array<keyof typeof TABLE_KEYS>) await store.db.deleteFrom(table).execute();
}

async function ingest(store: Store, chain: readonly ChainEvent[], from: bigint, to: bigint, cuts: readonly bigint[]) {
  let checkpoint = await openCheckpoint(store.db, "findings chain");
  let start = from;
  for (const end of [...cuts.filter((cut) => cut >= from && cut < to), to]) {
    if (end < start) continue;
    ({ checkpoint } = await commitBatch(store, checkpoint, batchOf(chain, start, end)));
    start = end + 1n;
  }
  return checkpoint;
}

const findingsIn = async (store: Store) => (await store.db.selectFrom("findings").selectAll().orderBy("id").execute()).map(findingOf);

let postgres: PostgresServer;
let scenario: FindingsScenario;
let chain: ChainEvent[];
beforeAll(async () => {
  postgres = await startPostgres();
  scenario = await findingsScenario();
  chain = onChain(scenario);
}, 60_000);
afterAll(() => postgres?.stop());

describe.each([
  { engine: "SQLite", url: () => ":memory:" },
  { engine: "PostgreSQL", url: () => postgres.url },
])("findings on $engine", ({ url }) => {
  const open = (settings = SCENARIO_SETTINGS) => openStore(url(), { findings: settings });
  let store: Store;
  let head: bigint;
  beforeAll(async () => {
    store = await open();
    head = BigInt(chain.length - 1) - BigInt(scenario.organisations.length + scenario.facilities.length) + 1n;
  });
  afterAll(() => store?.close());

  it("finds each planted case once, with its figures, and nothing else", async () => {
    await empty(store);
    await ingest(store, chain, 0n, head, []);
    const findings = await findingsIn(store);
    const seen = findings.map(({ kind, subject, severity }) => `${kind} ${subject} ${severityLabel(severity)}`).sort();
    const co = findings.find(({ kind }) => kind === "DOCUMENT_WITHDRAWN_AFTER_CLEARANCE")!;
    expect(seen).toEqual(
      [
        "CONSUMPTION_OVER_NORM GARMENT CRITICAL",
        `DOCUMENT_WITHDRAWN_AFTER_CLEARANCE ${co?.subject} CRITICAL`,
        "HOLD HELD-DESTROY HIGH",
        "HOLD HELD-OPEN HIGH",
        "HOLD HELD-UNHOLD LOW",
        "LONG_STAY HN-LONG MEDIUM",
        "QUANTITY_VANISHED HN-2 CRITICAL",
        "RELEASED_NOT_RECEIVED LATE MEDIUM",
        "RELEASED_NOT_RECEIVED NEVER HIGH",
        `REPEATED_AMENDMENTS ${findings.find(({ kind }) => kind === "REPEATED_AMENDMENTS")?.subject} MEDIUM`,
        "SLOW_FACILITY GATE-LAOCAI CRITICAL",
      ].sort(),
    );
    const over = findings.find(({ kind }) => kind === "CONSUMPTION_OVER_NORM")!;
    expect(over.lot).toBe("SHIRT-1");
    expect(over.evidence.figures).toMatchObject({ consumed: "20", allowed: "13", excess: "7" });
    expect(over.explanation).toContain("consumed 20 of FABRIC making SHIRT-1");
    expect(co.lot).toBe("CO-LOT");
    expect(co.explanation).toMatch(
      /^CO-LOT \(GARMENT\) was cleared on \d{4}-\d\d-\d\d relying on CO 0x\w{8}…, which VCCI revoked on \d{4}-\d\d-\d\d, \d+\.\d days later \("origin criteria not met"\)/,
    );
    expect(findings.find(({ kind }) => kind === "SLOW_FACILITY")!.evidence.figures).toMatchObject({
      medianSeconds: String(120 * 3600),
      usualMedianSeconds: String(4 * 3600),
      stays: "4",
    });
    expect(findings.find(({ kind }) => kind === "LONG_STAY")!.evidence.figures).toMatchObject({
      seconds: String(48 * 3600),
      medianSeconds: String(3 * 3600),
      stays: "24",
    });
    expect(findings.find(({ kind }) => kind === "QUANTITY_VANISHED")!.evidence.figures).toMatchObject({
      before: "1000",
      after: "0",
      moved: "900",
      vanished: "100",
    });
    expect(findings.find(({ kind }) => kind === "REPEATED_AMENDMENTS")!.evidence.figures).toEqual({ versions: "3" });
    for (const finding of findings) {
      expect(finding.explanation.length, finding.id).toBeGreaterThan(40);
      expect(finding.evidence.events.length, finding.id).toBeGreaterThan(0);
      for (const figure of Object.values(finding.evidence.figures)) expect(typeof figure).toBe("string");
    }
  });

  it("a release becomes overdue only once ledger time has passed the deadline", async () => {
    await empty(store);
    const never = scenario.events.findIndex((event) => event.type === "custody" && event.action === "release" && event.transitions[0]!.lot.id === "NEVER");
    const released = scenario.events[never]!.time;
    const dueAt = scenario.events.findIndex((event) => event.time >= released + BigInt(SCENARIO_SETTINGS.receiveWithinSeconds));
    const overdue = async () => (await findingsIn(store)).some(({ kind, lot }) => kind === "RELEASED_NOT_RECEIVED" && lot === "NEVER");
    await ingest(store, chain, 0n, BigInt(dueAt), []);
    expect(await overdue()).toBe(false);
    await ingest(store, chain, BigInt(dueAt) + 1n, BigInt(dueAt) + 1n, []);
    expect(await overdue()).toBe(true);
  });

  it("keeps the same findings however batches are cut or replayed, after a rollback to any block, and as computed afresh", async () => {
    await empty(store);
    await ingest(store, chain, 0n, head, []);
    const whole = await findingsIn(store);
    await rebuildFindings(store.db, SCENARIO_SETTINGS);
    expect(await findingsIn(store)).toEqual(whole);
    // A lot per slice: the rebuild's slices (which bound its memory) change nothing.
    await rebuildFindings(store.db, SCENARIO_SETTINGS, { lotsPerSlice: 1 });
    expect(await findingsIn(store)).toEqual(whole);

    const step = head / 9n;
    for (let fork = 1n; fork < head; fork += step) {
      const cuts = [fork / 3n, fork, fork + step / 2n, fork + 2n * step];
      await empty(store);
      await ingest(store, chain, 0n, fork, cuts);
      const upToFork = await findingsIn(store);
      let checkpoint = await ingest(store, chain, fork + 1n, head, cuts);
      expect(await findingsIn(store), `cut at ${cuts}`).toEqual(whole);
      await store.db.transaction().execute((trx) => applyEvents(trx, checkpoint.chain, batchOf(chain, fork, head).events, SCENARIO_SETTINGS));
      expect(await findingsIn(store)).toEqual(whole);
      ({ checkpoint } = await commitRollback(store, checkpoint, headerOf(fork)));
      expect(await findingsIn(store), `rolled back to ${fork}`).toEqual(upToFork);
      await ingest(store, chain, fork + 1n, head, []);
      expect(await findingsIn(store)).toEqual(whole);
    }
  }, 120_000);

  it("a batch rewrites only the findings it changes: the others keep their stored rows", async () => {
    // A row's physical place (SQLite rowid, PostgreSQL ctid) changes when it is deleted and inserted again, or updated.
    const place = store.engine === "sqlite" ? sql`rowid` : sql`ctid::text`;
    const stored = async () => {
      const rows = await sql<Record<string, unknown> & { place: unknown; id: string }>`select ${place} as place, * from findings`.execute(store.db);
      return new Map(
        rows.rows.map(({ place, ...row }) => [
          row.id,
          { place: String(place), row: JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)) },
        ]),
      );
    };
    await empty(store);
    let checkpoint = await ingest(store, chain, 0n, 0n, []);
    let kept = 0;
    for (let block = 1n; block <= head; block++) {
      const before = await stored();
      ({ checkpoint } = await commitBatch(store, checkpoint, batchOf(chain, block, block)));
      for (const [id, now] of await stored()) {
        const then = before.get(id);
        if (then === undefined || then.row !== now.row) continue;
        expect(now.place, `${id} unchanged by block ${block}`).toBe(then.place);
        kept++;
      }
    }
    expect(kept).toBeGreaterThan(100);
  }, 120_000);

  it("migrations 0007-0008 give a store indexed before findings those a fresh index keeps, by the default thresholds", async () => {
    // SQLite's :memory: is a database per connection; PostgreSQL's is the same one: emptied first.
    const before = await open(DEFAULT_FINDING_SETTINGS);
    try {
      await empty(before);
      await ingest(before, chain, 0n, head, []);
      const fresh = await findingsIn(before);
      expect(fresh.map(({ kind }) => kind)).toContain("HOLD");
      // The store as the version before 0007 left it: no findings, no index on lots by state, no stay counts.
      await before.db.schema.dropTable("findings").execute();
      await before.db.schema.dropTable("stay_durations").execute();
      await before.db.schema.dropIndex("lots_state").execute();
      const steps = migrations(before.engine);
      for (const name of ["0007_findings", "0008_stay_durations"]) await steps[name]!.up(before.db as unknown as Kysely<unknown>);
      expect(await findingsIn(before)).toEqual(fresh);
    } finally {
      await before.close();
    }
  });
});

describe("finding settings", () => {
  it("defaults, overridden by TRACEGATE_FINDINGS_* variables", () => {
    expect(readFindingSettings({})).toEqual(DEFAULT_FINDING_SETTINGS);
    expect(readFindingSettings({ TRACEGATE_FINDINGS_MIN_STAYS: "50", TRACEGATE_FINDINGS_RECEIVE_WITHIN_SECONDS: "3600" })).toEqual({
      ...DEFAULT_FINDING_SETTINGS,
      minStays: 50,
      receiveWithinSeconds: 3600,
    });
  });

  it("refuses every bad value at once, naming its variable", () => {
    let error: unknown;
    try {
      readFindingSettings({ TRACEGATE_FINDINGS_MIN_STAYS: "1", TRACEGATE_FINDINGS_LONG_STAY_FACTOR: "2.5", TRACEGATE_FINDINGS_OVER_NORM_PERCENT: "-1" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FindingSettingsError);
    expect((error as FindingSettingsError).problems).toEqual([
      'TRACEGATE_FINDINGS_OVER_NORM_PERCENT must be a whole number of at least 0, not "-1"',
      'TRACEGATE_FINDINGS_LONG_STAY_FACTOR must be a whole number of at least 1, not "2.5"',
      'TRACEGATE_FINDINGS_MIN_STAYS must be a whole number of at least 2, not "1"',
    ]);
  });
});
