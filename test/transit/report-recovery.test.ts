/**
 * A capture job holding a seal report and the alert it calls for, interrupted after the alert's
 * transaction reached the ledger and before the node recorded it: the job resumes, learns from the
 * ledger that the part was applied, and keeps the report and the alert once.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CaptureJobs } from "../../api/capture/jobs.js";
import type { NewEvent } from "../../api/capture/log.js";
import type { Actor, CustodyAction } from "../../domain/index.js";
import { messageHash, type SealMessage } from "../../domain/seal-track.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { anchorAction, ANPHAT, ANPHAT_SIGNER, CUSTOMS, declareAction } from "../ledger/demo-actions.js";
import { startEvmDemoLedger, type EvmDemoLedger } from "../ledger/evm-demo-ledger.js";
import { stoppingAfter } from "./stopping-ledger.js";

const SEAL = "ES-RECOVER-1";
const LOT = "AP-RECOVER-1";
let demo: EvmDemoLedger;
let directory: string;
let store: Store;

beforeAll(async () => {
  demo = await startEvmDemoLedger();
  directory = await mkdtemp(join(tmpdir(), "tracegate-report-recovery-"));
  store = await openStore(join(directory, "index.sqlite"));
  const { ledger } = demo;
  await ledger.submit(ANPHAT_SIGNER, anchorAction(`decl-${LOT}`, "DECLARATION", [LOT]));
  await ledger.submit(ANPHAT, declareAction(LOT, `decl-${LOT}`));
  const { time } = await ledger.submit(CUSTOMS, { type: "arrive", lot: LOT, facility: "VNSGN-CATLAI" });
  const transit = anchorAction(`transit-${LOT}`, "TRANSIT");
  await ledger.submit({ org: "VNCUSTOMS", role: "SIGNER" }, transit);
  await ledger.submit(CUSTOMS, {
    type: "seal",
    lot: LOT,
    facility: "VNSGN-BONDED-1",
    seal: SEAL,
    deadline: time + 86_400n,
    transit: (transit as { hash: `0x${string}` }).hash,
  });
}, 60_000);
afterAll(async () => {
  await store?.close();
  await demo?.stop();
  await rm(directory, { recursive: true, force: true });
});

it("keeps the report and applies its alert once when the node stopped after the alert's transaction", async () => {
  const message: SealMessage = { seal: SEAL, time: 1_800_000_000n, latitude: 10_800_000n, longitude: 106_700_000n, sealClosed: false, alerts: ["OPENED"] };
  const hash = messageHash(message);
  const alert: CustodyAction = { type: "alert", lot: LOT, seal: SEAL, alert: "OPENED", detail: `message ${hash}` };
  const events: NewEvent[] = [
    { eventId: "urn:uuid:report-1", report: { message, hash, lots: [LOT] } },
    { eventId: `urn:uuid:report-1#alert:OPENED:${LOT}`, action: alert },
  ];
  const signers: Actor[] = [CUSTOMS];
  let failed!: () => void;
  const stopped = new Promise<void>((resolve) => (failed = resolve));
  const first = await CaptureJobs.open({
    db: store.db,
    ledger: stoppingAfter(demo.ledger, "submitBatch"),
    signers,
    retryMs: 3_600_000,
    logError: () => failed(),
  });
  const job = await first.submit(CUSTOMS, events, "rollback");
  await stopped;
  await first.close();
  expect(await store.db.selectFrom("seal_reports").selectAll().execute()).toEqual([]);

  const second = await CaptureJobs.open({ db: store.db, ledger: demo.ledger, signers });
  await second.settled(job.id, 60_000);
  const { job: ended, events: results } = (await second.status(job.id))!;
  await second.close();
  expect(ended.state).toBe("success");
  expect(results.map((result) => [result.status, result.tx === null])).toEqual([
    ["accepted", true],
    ["accepted", false],
  ]);
  expect(await store.db.selectFrom("seal_reports").select(["event_id", "hash"]).execute()).toEqual([{ event_id: "urn:uuid:report-1", hash }]);
  let alerts = 0;
  for await (const entry of demo.ledger.events()) if (entry.event.type === "custody" && entry.event.action === "alert") alerts += 1;
  expect(alerts).toBe(1);
});
