/**
 * The track anchorer over a real EVM demo ledger, a fresh store and an embedded document store: a node
 * that stops between anchoring a segment and recording it does not anchor it again when it restarts.
 */
import { sealReportRow } from "../../api/capture/log.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openTrackAnchorer } from "../../api/transit/open-anchorer.js";
import { TrackAnchorer, type TrackAnchorerOptions } from "../../api/transit/track-anchorer.js";
import type { Actor, Lot } from "../../domain/index.js";
import { messageHash, type SealMessage } from "../../domain/seal-track.js";
import type { Store } from "../../indexer/store/engine.js";
import { lotColumns } from "../../indexer/store/lot-columns.js";
import { openStore } from "../../indexer/store/open.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import { generateOrganisationKeyPair } from "../../sdk/documents/keys.js";
import type { Ledger } from "../../sdk/ledger.js";
import { verifySegmentFile } from "../../sdk/transit/track-verifier.js";
import { startEvmDemoLedger, type EvmDemoLedger } from "../ledger/evm-demo-ledger.js";
import { stoppingAfter } from "./stopping-ledger.js";

const SIGNER: Actor = { org: "VNCUSTOMS", role: "SIGNER" };
const customsKeys = generateOrganisationKeyPair();
let demo: EvmDemoLedger;
let directory: string;
let store: Store;
let documents: EmbeddedDocumentStore;

beforeAll(async () => {
  demo = await startEvmDemoLedger();
  directory = await mkdtemp(join(tmpdir(), "tracegate-track-anchorer-"));
  store = await openStore(join(directory, "index.sqlite"));
  documents = await EmbeddedDocumentStore.open(join(directory, "documents"));
}, 60_000);
afterAll(async () => {
  await documents?.close();
  await store?.close();
  await demo?.stop();
  await rm(directory, { recursive: true, force: true });
});

/** The ledger, counting what is sent through it. */
function counting(ledger: Ledger, sent: { count: number }): Ledger {
  return new Proxy(ledger, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (name === "submit" || name === "submitBatch") sent.count += 1;
        return value.apply(target, args);
      };
    },
  });
}

/** Reports as capture keeps them. */
async function keep(messages: readonly SealMessage[], lot: string): Promise<void> {
  await store.db
    .insertInto("seal_reports")
    .values(
      messages.map((message) => sealReportRow("VNCUSTOMS", `urn:uuid:${message.seal}-${message.time}`, { message, hash: messageHash(message), lots: [lot] })),
    )
    .execute();
}

function anchorer(ledger: Ledger, log: string[], policy = { segmentReports: 120, segmentSeconds: 3_600n }): TrackAnchorer {
  const options: TrackAnchorerOptions = {
    db: store.db,
    ledger,
    signer: SIGNER,
    documents,
    publicKey: async (org) => (org === "VNCUSTOMS" ? customsKeys.publicKey : undefined),
    policy,
    log: (line) => log.push(line),
    intervalMs: 3_600_000,
  };
  return new TrackAnchorer(options);
}

it("a restart between anchoring a segment and recording it records the anchored batch and sends nothing again", async () => {
  const seal = "ES-CRASH-1";
  const messages: SealMessage[] = [0, 1, 2].map((i) => ({
    seal,
    time: 1_800_000_000n + BigInt(i) * 60n,
    latitude: 21_846_000n - BigInt(i) * 1_000n,
    longitude: 106_761_000n,
    sealClosed: i < 2,
    alerts: i === 2 ? ["OPENED"] : [],
  }));
  await keep(messages, "AP-CRASH-1");

  const log: string[] = [];
  const first = anchorer(stoppingAfter(demo.ledger, "submit"), log);
  await expect(first.anchorDue()).rejects.toThrow(/stopped/);
  await first.close();
  const [open] = await store.db.selectFrom("seal_segments").selectAll().where("seal", "=", seal).execute();
  expect(open).toMatchObject({ state: "open", tx_hash: null, count: 3n, seal });
  const anchored = await demo.ledger.batch(open!.root as `0x${string}`);
  expect(anchored).toMatchObject({ kind: "SEAL_TRACK", issuer: "VNCUSTOMS", count: 3 });

  const sent = { count: 0 };
  const height = await demo.height();
  const second = anchorer(counting(demo.ledger, sent), log);
  await second.anchorDue();
  await second.close();
  expect(sent.count).toBe(0);
  expect(await demo.height()).toBe(height);
  const [recorded] = await store.db.selectFrom("seal_segments").selectAll().where("seal", "=", seal).execute();
  expect(recorded).toMatchObject({ root: open!.root, state: "anchored" });
  expect(log.join("\n")).toMatch(/anchored already \(before a restart\): recorded, not sent again/);
  // The file stored on recovery is the segment anchored: VALID against the ledger.
  const file = await new EncryptedDocumentStore(documents).getDocument(recorded!.cid!, "VNCUSTOMS", customsKeys.privateKey);
  expect((await verifySegmentFile(demo.ledger, file)).verdict.verdict).toBe("VALID");
});

it("a seal still closing its lot waits for its Nth report, or for its oldest to be T old in ledger time", async () => {
  const seal = "ES-POLICY-1";
  const lot: Lot = {
    id: "AP-POLICY-1",
    material: "COTTON-YARN",
    hsCode: "520512",
    unit: "KGM",
    quantity: 5n,
    owner: "AN-PHAT",
    custodian: "VNCUSTOMS",
    location: "VNSGN-CATLAI",
    state: "IN_TRANSIT",
    priorState: "NONE",
    direction: "IMPORT",
    preferenceClaimed: false,
    permitRequired: false,
    declaration: null,
    seal,
    destination: "VNSGN-BONDED-1",
    deadline: 1_900_000_000n,
  };
  await store.db
    .insertInto("lots")
    .values({ id: lot.id, ...lotColumns(lot), last_event: 1n, stage_since: 1n, stage_event: 1n })
    .execute();
  const at = (i: number): SealMessage => ({
    seal,
    time: 1_850_000_000n + BigInt(i) * 60n,
    latitude: 10_000_000n + BigInt(i),
    longitude: 106_000_000n,
    sealClosed: true,
    alerts: [],
  });
  const ledgerTime = async (time: bigint) => {
    await store.db.deleteFrom("events").execute();
    await store.db
      .insertInto("events")
      .values({
        id: 1n,
        chain: 0n,
        block_number: 1n,
        tx_hash: `0x${"1".repeat(64)}`,
        event_index: 0n,
        time,
        kind: "hold",
        lot: null,
        actor: null,
        facility: null,
        flagged: 0n,
        payload: "{}",
        epcis_hash: null,
        epcis_key: null,
        tx_key: 1n,
      })
      .execute();
  };
  const segments = async () =>
    (await store.db.selectFrom("seal_segments").select(["count", "state"]).where("seal", "=", seal).orderBy("first_time").execute()).map((row) => [
      row.count,
      row.state,
    ]);
  const log: string[] = [];
  const policy = anchorer(demo.ledger, log, { segmentReports: 3, segmentSeconds: 600n });
  try {
    await ledgerTime(at(1).time + 100n);
    await keep([at(0), at(1)], lot.id);
    await policy.anchorDue();
    expect(await segments()).toEqual([]);
    await keep([at(2)], lot.id);
    await policy.anchorDue();
    expect(await segments()).toEqual([[3n, "anchored"]]);

    await keep([at(3)], lot.id);
    await ledgerTime(at(3).time + 599n);
    await policy.anchorDue();
    expect(await segments()).toEqual([[3n, "anchored"]]);
    await ledgerTime(at(3).time + 600n);
    await policy.anchorDue();
    expect(await segments()).toEqual([
      [3n, "anchored"],
      [1n, "anchored"],
    ]);
  } finally {
    await policy.close();
  }
});

it("a node without customs' SIGNER key, or without customs' public document key, says so at start and anchors nothing", async () => {
  const log: string[] = [];
  const setup = {
    db: store.db,
    ledger: demo.ledger,
    documents,
    keysDir: directory,
    policy: { segmentReports: 1, segmentSeconds: 1n },
    log: (line: string) => log.push(line),
  };
  await store.db
    .insertInto("organisations")
    .values({ id: "VNCUSTOMS", kind: "CUSTOMS", event_id: 1n })
    .onConflict((oc) => oc.doNothing())
    .execute();
  expect(await openTrackAnchorer({ ...setup, signers: [{ org: "VNCUSTOMS", role: "OFFICER" }] })).toBeUndefined();
  expect(await openTrackAnchorer({ ...setup, signers: [SIGNER] })).toBeUndefined();
  expect(log).toEqual([
    expect.stringMatching(/holds no customs SIGNER key: device reports are kept pending, not anchored/),
    expect.stringMatching(/no public document key of VNCUSTOMS in .*: device reports are kept pending, not anchored/),
  ]);
});
