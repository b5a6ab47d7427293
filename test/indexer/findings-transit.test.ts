/**
 * Transit findings on both engines: each planted trip gives its findings (overdue, broken seal, alerts),
 * with figures and evidence, and its near misses none; an unfinished trip becomes overdue only once
 * ledger time passes its deadline; the findings are the same after a rollback to any block across the
 * trips and the blocks again, as computed afresh, and as the catch-up mode's deferred rebuild leaves them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChainEvent } from "../../indexer/events.js";
import { rebuildFindings } from "../../indexer/findings/apply.js";
import { findingOf, severityLabel, type Finding } from "../../indexer/findings/finding.js";
import { leaveCatchUp } from "../../indexer/store/catch-up.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch, commitRollback } from "../../indexer/store/commit.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { TABLE_KEYS } from "../../indexer/store/schema.js";
import { startPostgres, type PostgresServer } from "../../scripts/harness/postgres-server.js";
import { scenarioOnChain } from "./findings-scenario.js";
import { batchOf, headerOf } from "./ledger-events.js";
import { TRANSIT_DECLARATION, TRANSIT_SETTINGS, transitScenario } from "./transit-scenario.js";

async function empty(store: Store): Promise<void> {
  for (const table of Object.keys(TABLE_KEYS) as Array<keyof typeof TABLE_KEYS>) await store.db.deleteFrom(table).execute();
}

async function ingest(store: Store, chain: readonly ChainEvent[], from: bigint, to: bigint, cuts: readonly bigint[] = []) {
  let checkpoint = await openCheckpoint(store.db, "transit chain");
  let start = from;
  for (const end of [...cuts.filter((cut) => cut >= from && cut < to), to]) {
    if (end < start) continue;
    ({ checkpoint } = await commitBatch(store, checkpoint, batchOf(chain, start, end)));
    start = end + 1n;
  }
  return checkpoint;
}

const TRANSIT_KINDS = new Set(["TRANSIT_OVERDUE", "SEAL_BROKEN", "SEAL_ALERT"]);
const findingsIn = async (store: Store) => (await store.db.selectFrom("findings").selectAll().orderBy("id").execute()).map(findingOf);
const transitIn = async (store: Store) => (await findingsIn(store)).filter(({ kind }) => TRANSIT_KINDS.has(kind));
const find = (findings: Finding[], kind: string, lot: string) => findings.filter((finding) => finding.kind === kind && finding.lot === lot);

let postgres: PostgresServer;
let chain: ChainEvent[];
let head: bigint;
beforeAll(async () => {
  postgres = await startPostgres();
  const scenario = await transitScenario();
  chain = scenarioOnChain(scenario);
  head = chain.at(-1)!.block;
}, 60_000);
afterAll(() => postgres?.stop());

describe.each([
  { engine: "SQLite", url: () => ":memory:" },
  { engine: "PostgreSQL", url: () => postgres.url },
])("transit findings on $engine", ({ url }) => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(url(), { findings: TRANSIT_SETTINGS });
  });
  afterAll(() => store?.close());

  it("finds each planted trip's findings once, with figures and evidence, and none for the near misses", async () => {
    await empty(store);
    await ingest(store, chain, 0n, head);
    const findings = await transitIn(store);
    expect(findings.map(({ kind, lot, severity }) => `${kind} ${lot} ${severity} ${severityLabel(severity)}`).sort()).toEqual(
      [
        "SEAL_ALERT T-BROKEN 80 HIGH",
        "SEAL_ALERT T-ONTIME 20 LOW",
        "SEAL_ALERT T-VERYLATE 50 MEDIUM",
        "SEAL_BROKEN T-BROKEN 90 CRITICAL",
        "TRANSIT_OVERDUE T-DESTROYED 50 MEDIUM",
        "TRANSIT_OVERDUE T-HELD 60 MEDIUM",
        "TRANSIT_OVERDUE T-LATE 55 MEDIUM",
        "TRANSIT_OVERDUE T-MISSING 85 HIGH",
        "TRANSIT_OVERDUE T-TWICE 55 MEDIUM",
        "TRANSIT_OVERDUE T-VERYLATE 75 HIGH",
      ].sort(),
    );
    for (const finding of findings) {
      expect(finding.scope).toBe(`transit ${finding.lot}`);
      expect(finding.enterprise).toBe("GARMENT");
      expect(finding.document).toBe(TRANSIT_DECLARATION);
      expect(finding.evidence.documents).toEqual([TRANSIT_DECLARATION]);
      expect(finding.evidence.figures.seal).toBe(`SEAL-${finding.lot}${finding.lot === "T-TWICE" ? "-2" : ""}`);
      expect(finding.explanation.length, finding.id).toBeGreaterThan(60);
    }

    const [broken] = find(findings, "SEAL_BROKEN", "T-BROKEN");
    expect(broken!.explanation).toMatch(
      /with the seal broken \("wire cut"\); on the way the seal reported ROUTE_DEVIATION \(left QL1A at Dong Dang\) on .*, OPENED on /,
    );
    expect(broken!.evidence.events).toHaveLength(4); // seal, two alerts, unseal
    expect(broken!.evidence.figures).toMatchObject({ alerts: "2", remark: "wire cut", secondsInTransit: String(6 * 3600), allowedSeconds: String(8 * 3600) });
    expect(broken!.facility).toBe("BONDED-WH");

    const [alerts] = find(findings, "SEAL_ALERT", "T-BROKEN");
    expect(alerts!.evidence.figures).toMatchObject({ alerts: "2", worst: "OPENED", opened: "1", routeDeviation: "1" });
    expect(alerts!.evidence.events).toHaveLength(3); // seal, two alerts
    expect(alerts!.explanation).toContain("the load must be checked against what was sealed");

    const [late] = find(findings, "TRANSIT_OVERDUE", "T-VERYLATE");
    expect(late!.evidence.figures).toMatchObject({ secondsLate: String(30 * 3600), secondsInTransit: String(34 * 3600), allowedSeconds: String(4 * 3600) });
    expect(late!.explanation).toMatch(/arrived 30\.0 hours late, on .* after 34\.0 hours in transit: customs held it at arrival\.$/);
    const sealedAt = BigInt(late!.evidence.figures.sealedAt!);
    expect(BigInt(late!.evidence.figures.arrivedAt!) - sealedAt).toBe(34n * 3600n);
    expect(BigInt(late!.evidence.figures.deadline!) - sealedAt).toBe(4n * 3600n);

    const [missing] = find(findings, "TRANSIT_OVERDUE", "T-MISSING");
    expect(missing!.time).toBe(BigInt(missing!.evidence.figures.deadline!));
    expect(missing!.explanation).toContain("no unseal is recorded");
    expect(find(findings, "TRANSIT_OVERDUE", "T-HELD")[0]!.explanation).toContain("customs has held it on the way since");
    expect(find(findings, "TRANSIT_OVERDUE", "T-DESTROYED")[0]!.explanation).toMatch(/destroyed it 7\.0 hours after the deadline \("contraband found"\)/);
    // The second trip's: its own seal event, not the first's.
    const [twice] = find(findings, "TRANSIT_OVERDUE", "T-TWICE");
    expect(twice!.facility).toBe("ICD-GARMENT");
    expect(twice!.evidence.figures.secondsLate).toBe(String(3 * 3600));
    // A hold on the way is a hold as any other.
    expect(find(await findingsIn(store), "HOLD", "T-HELD")).toHaveLength(1);
  });

  it("an unfinished trip becomes overdue with the first event after its deadline, not at it", async () => {
    await empty(store);
    const sealOf = chain.findIndex(({ event }) => event.type === "custody" && event.action === "seal" && event.transitions[0]!.lot.id === "T-MISSING");
    const deadline = (chain[sealOf]!.event as { transitions: Array<{ lot: { deadline: bigint } }> }).transitions[0]!.lot.deadline;
    const after = chain.find(({ event }) => event.time > deadline)!.block;
    const overdue = async () => find(await transitIn(store), "TRANSIT_OVERDUE", "T-MISSING").length > 0;
    await ingest(store, chain, 0n, after - 1n);
    expect(chain.find(({ block }) => block === after - 1n)!.event.time).toBeLessThanOrEqual(deadline);
    expect(await overdue()).toBe(false);
    await ingest(store, chain, after, after);
    expect(await overdue()).toBe(true);
    const [finding] = find(await transitIn(store), "TRANSIT_OVERDUE", "T-MISSING");
    expect(finding!.event).toBe(chain.find(({ block }) => block === after)!.block * 2n ** 20n);
  });

  it("keeps the same findings after a rollback to any block across the trips, afresh, and after catching up", async () => {
    await empty(store);
    await ingest(store, chain, 0n, head);
    const whole = await findingsIn(store);
    expect(whole.filter(({ kind }) => TRANSIT_KINDS.has(kind))).toHaveLength(10);
    await rebuildFindings(store.db, TRANSIT_SETTINGS);
    expect(await findingsIn(store)).toEqual(whole);
    // A lot per slice: the rebuild's slices (which bound its memory) change nothing.
    await rebuildFindings(store.db, TRANSIT_SETTINGS, { lotsPerSlice: 1 });
    expect(await findingsIn(store)).toEqual(whole);
    await store.db.deleteFrom("findings").execute();
    const row = await store.db.selectFrom("chains").select("number").executeTakeFirstOrThrow();
    await store.db.transaction().execute((trx) => leaveCatchUp(trx, row.number, TRANSIT_SETTINGS));
    expect(await findingsIn(store)).toEqual(whole);

    // Forks inside the trips: after a seal, an alert, a hold, an unseal.
    const first = chain.findIndex(({ event }) => event.type === "custody" && event.action === "seal");
    const start = chain[first]!.block;
    const step = (head - start) / 11n;
    for (let fork = start; fork < head; fork += step) {
      await empty(store);
      await ingest(store, chain, 0n, fork, [fork - 3n]);
      const upToFork = await findingsIn(store);
      let checkpoint = await ingest(store, chain, fork + 1n, head, [fork + 2n, fork + step]);
      expect(await findingsIn(store), `cut at ${fork}`).toEqual(whole);
      ({ checkpoint } = await commitRollback(store, checkpoint, headerOf(fork)));
      expect(await findingsIn(store), `rolled back to ${fork}`).toEqual(upToFork);
      await ingest(store, chain, fork + 1n, head);
      expect(await findingsIn(store)).toEqual(whole);
    }
  }, 120_000);
});
