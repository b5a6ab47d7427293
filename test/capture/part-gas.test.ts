/**
 * Capture jobs of several transactions against the ledger itself: parts are cut by the lots they write,
 * so a job of large splits goes out in transactions that fit (api/capture/jobs.ts MAX_PART_LOT_WRITES);
 * a part that still runs out of gas is a refusal that ends its job, not a failure tried again for good
 * while every job after it waits; a rollback job is decided whole over the time its parts may take, so
 * a rule on time cannot refuse a later part after earlier ones were applied. On the demo network
 * (Hardhat's EVM), its members' own keys.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { MAX_PART_LOT_WRITES, CaptureJobs, ROLLBACK_TIME_WINDOW_SECONDS } from "../../api/capture/jobs.js";
import type { NewEvent } from "../../api/capture/log.js";
import { documentHash, MAX_PARTS, type CustodyAction } from "../../domain/index.js";
import { startDemoNetwork, type DemoNetwork } from "../../product/chain/demo-network.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { ANPHAT, ANPHAT_SIGNER, anchorAction, CUSTOMS, declareAction } from "../ledger/demo-actions.js";

let network: DemoNetwork;
let store: Store;
const ledgers: EvmLedger[] = [];

beforeAll(async () => {
  network = await startDemoNetwork();
  store = await openStore(":memory:");
  await store.db
    .insertInto("organisations")
    .values([
      { id: "AN-PHAT", kind: "ENTERPRISE", event_id: 1n },
      { id: "VNCUSTOMS", kind: "CUSTOMS", event_id: 2n },
    ])
    .execute();
}, 120_000);
afterAll(async () => {
  for (const ledger of ledgers) await ledger.close();
  await store?.close();
  await network?.chain.stop();
});

/** A capture service over the demo chain, its transactions signed with `gasLimit`. */
async function captureWith(gasLimit?: bigint) {
  const { provider, addresses } = network.chain;
  const ledger = await EvmLedger.connect({ endpoint: provider, addresses, signers: network.signers, pollIntervalMs: 2, gasLimit });
  ledgers.push(ledger);
  const errors: unknown[] = [];
  const jobs = await CaptureJobs.open({ db: store.db, ledger, signers: [ANPHAT, CUSTOMS], retryMs: 10, logError: (error) => errors.push(error) });
  return { ledger, jobs, errors };
}

/** A declared lot of MAX_PARTS² metres. */
async function declared(ledger: EvmLedger, lot: string): Promise<void> {
  await ledger.submit(ANPHAT_SIGNER, anchorAction(`decl-${lot}`, "DECLARATION", [lot]));
  const declare = declareAction(lot, `decl-${lot}`) as Extract<CustodyAction, { type: "declare" }>;
  await ledger.submit(ANPHAT, { ...declare, goods: { ...declare.goods, quantity: BigInt(MAX_PARTS ** 2) } });
}

/** `lot` into MAX_PARTS lots of `each`. */
const split = (lot: string, each: bigint): CustodyAction => ({
  type: "split",
  lot,
  parts: Array.from({ length: MAX_PARTS }, (_, i) => ({ lot: `${lot}-${i}`, quantity: each })),
});

const events = (actions: CustodyAction[], lot: string): NewEvent[] => actions.map((action, i) => ({ eventId: `urn:uuid:${lot}-${i}`, action }));

it("sends a job of large splits in parts that each fit a transaction, and applies all of it", async () => {
  const { ledger, jobs, errors } = await captureWith();
  await declared(ledger, "GAS-A");
  // The lot into 32, then 19 of those into 32 each: 20 actions writing 660 lots, 22 M gas in one transaction.
  const actions = [split("GAS-A", BigInt(MAX_PARTS)), ...Array.from({ length: 19 }, (_, i) => split(`GAS-A-${i}`, 1n))];
  const job = await jobs.submit(ANPHAT, events(actions, "GAS-A"), "rollback");
  await jobs.settled(job.id, 60_000);
  const status = (await jobs.status(job.id))!;
  expect(status.job.state, JSON.stringify({ status, errors: errors.map(String) })).toBe("success");
  expect(status.events.every((event) => event.status === "accepted")).toBe(true);
  const perPart = Math.floor(MAX_PART_LOT_WRITES / (MAX_PARTS + 1));
  expect(new Set(status.events.map((event) => event.tx)).size).toBe(Math.ceil(actions.length / perPart));
  expect((await ledger.lot("GAS-A-18-31"))?.quantity).toBe(1n);
  await jobs.close();
});

it("refuses a part that runs out of gas, ends its job, and goes on with the next job", async () => {
  // Transactions of 1.5 M gas: one split into 32 fits, two do not.
  const { ledger, jobs, errors } = await captureWith(1_500_000n);
  await declared(ledger, "GAS-B");
  const job = await jobs.submit(ANPHAT, events([split("GAS-B", BigInt(MAX_PARTS)), split("GAS-B-0", 1n)], "GAS-B"), "rollback");
  await jobs.settled(job.id, 30_000);
  const status = (await jobs.status(job.id))!;
  expect(status.job.state).toBe("failed");
  const refused = status.events.find((event) => event.status === "refused");
  expect(refused).toMatchObject({ code: "INVALID_ARGUMENT", reason: expect.stringMatching(/more gas than a transaction holds/) });
  expect(errors).toEqual([]);
  expect(await ledger.lot("GAS-B-0")).toBeUndefined();
  // The queue moves on: the next job is applied.
  const next = await jobs.submit(ANPHAT, events([split("GAS-B", BigInt(MAX_PARTS))], "GAS-B-again"), "rollback");
  await jobs.settled(next.id, 30_000);
  expect((await jobs.status(next.id))!.job.state).toBe("success");
  await jobs.close();
});

it("refuses whole a rollback job of several parts whose seal deadline could pass before its last part", async () => {
  const { ledger, jobs } = await captureWith();
  await declared(ledger, "GAS-C");
  const { time } = await ledger.submit(CUSTOMS, { type: "arrive", lot: "GAS-C", facility: "VNSGN-CATLAI" });
  await ledger.submit({ org: "VNCUSTOMS", role: "SIGNER" }, anchorAction("transit-GAS-C", "TRANSIT"));
  const holds = Array.from({ length: 50 }, (): CustodyAction[] => [
    { type: "hold", lot: "GAS-C", reason: "inspection" },
    { type: "unhold", lot: "GAS-C" },
  ]).flat();
  const seal = (deadline: bigint): CustodyAction => ({
    type: "seal",
    lot: "GAS-C",
    facility: "VNSGN-BONDED-1",
    seal: "ES-GAS-C",
    deadline,
    transit: documentHash("transit-GAS-C"),
  });
  // Due within the window: the first part would be applied now and the seal refused later; all is refused now.
  const close = await jobs.submit(CUSTOMS, events([...holds, seal(time + ROLLBACK_TIME_WINDOW_SECONDS / 2n)], "GAS-C"), "rollback");
  await jobs.settled(close.id, 30_000);
  const refused = (await jobs.status(close.id))!;
  expect(refused.job.state).toBe("failed");
  expect(refused.events.filter((event) => event.status === "accepted")).toEqual([]);
  expect(refused.events.at(-1)).toMatchObject({ status: "refused", code: "INVALID_ARGUMENT" });
  expect((await ledger.lot("GAS-C"))?.state).toBe("ARRIVED");
  // A day away, the same job is applied whole, in two parts.
  const later = await jobs.submit(CUSTOMS, events([...holds, seal(time + 86_400n)], "GAS-C-later"), "rollback");
  await jobs.settled(later.id, 30_000);
  expect((await jobs.status(later.id))!.job.state).toBe("success");
  expect((await ledger.lot("GAS-C"))?.state).toBe("IN_TRANSIT");
  await jobs.close();
});
