/**
 * Electronic seals' device reports through EPCIS capture on the product's embedded default, over HTTP:
 * kept once per eventID, an alert applied to the lots the seal closes with the evidence in its detail,
 * anchored in track segments by the product's anchorer and read back verified.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDocumentKeys, type DocumentKeyRing } from "../../api/document-keys.js";
import { Viewer } from "../../api/auth/viewer.js";
import { lotTrack, type LotTrack } from "../../api/transit/track-reads.js";
import { documentHash, type OrgKind, type Role } from "../../domain/index.js";
import { messageHash, segmentFile, TRACK_FORMAT, type SealMessage } from "../../domain/seal-track.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { waitForIndexer } from "../../product/wait-for-indexer.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import { geoUri, sealReportEvent } from "../../sdk/transit/seal-report.js";
import { epcis, startCaptureProduct, type CaptureProduct } from "./capture-product.js";

let node: CaptureProduct;
let store: Store;
let documents: EmbeddedDocumentStore;
let keys: DocumentKeyRing;
let customs: string;
let enterprise: string;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(counter += 1)}`;
const officer = { org: "VNCUSTOMS", role: "OFFICER" } as const;

beforeAll(async () => {
  node = await startCaptureProduct();
  customs = await node.token("VNCUSTOMS", "OFFICER");
  enterprise = await node.token("AN-PHAT", "OPERATOR");
  store = await openStore(join(node.home, "index.sqlite"));
  documents = await EmbeddedDocumentStore.open(node.product.documentsDir!);
  keys = await loadDocumentKeys(node.product.keysDir, "all");
}, 120_000);
afterAll(async () => {
  await documents?.close();
  await store?.close();
  await node?.stop(true);
});

async function post(path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${node.product.apiUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/ld+json", authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

/** Posts a document and waits for its job to end, returning its status. */
async function capture(token: string, events: unknown[], behaviour = "rollback") {
  const accepted = await post("/epcis/capture", token, epcis.document(events), { "GS1-Capture-Error-Behaviour": behaviour });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  await node.product.capture!.settled(accepted.body.captureID, 60_000);
  const response = await fetch(`${node.product.apiUrl}${accepted.headers.get("location")}`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as Record<string, any>;
}

const statuses = (job: Record<string, any>) => job.events.map((event: { status: string; code?: string }) => [event.status, event.code ?? null]);

/** A lot declared, arrived at Cat Lai, its transit declaration anchored; sealed on the ledger unless `sealed` is false. */
async function lotUnderSeal(seal: string, sealed = true): Promise<{ lot: string; deadline: bigint; transit: `0x${string}` }> {
  const lot = unique("TRK");
  await node.ledger.submit(
    { org: "AN-PHAT", role: "OPERATOR" },
    {
      type: "declare",
      lot,
      goods: { material: "COTTON-YARN", hsCode: "520512", unit: "KGM", quantity: 5n },
      direction: "IMPORT",
      preferenceClaimed: false,
      permitRequired: false,
      declaration: await node.declaration(lot),
    },
  );
  const { time } = await node.ledger.submit(officer, { type: "arrive", lot, facility: "VNSGN-CATLAI" });
  const transit = documentHash(`transit declaration ${lot}`);
  await node.ledger.submit(
    { org: "VNCUSTOMS", role: "SIGNER" },
    { type: "anchor", hash: transit, id: `TR-${lot}`, kind: "TRANSIT", cid: "bafy-tr", subjects: [] },
  );
  const deadline = time + 86_400n;
  if (sealed) {
    const { block } = await node.ledger.submit(officer, { type: "seal", lot, facility: "VNSGN-BONDED-1", seal, deadline, transit });
    await waitForIndexer(node.product.metricsUrl, block);
  }
  return { lot, deadline, transit };
}

/** Readings along the road from Cat Lai, a minute apart. */
function readings(seal: string, from: number, count: number, alerts: (i: number) => SealMessage["alerts"] = () => []): SealMessage[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      seal,
      time: 1_800_000_000n + BigInt(i) * 60n,
      latitude: 10_762_000n + BigInt(i) * 1_500n,
      longitude: 106_760_000n + BigInt(i) * 900n,
      sealClosed: !alerts(i).includes("OPENED"),
      alerts: alerts(i),
    };
  });
}

const report = (message: SealMessage, eventID?: string) => ({ ...(eventID === undefined ? {} : { eventID }), ...sealReportEvent(message, "+07:00") });

function viewer(org: string, kind: OrgKind, role: Role) {
  return new Viewer(org, kind, role, `${org}-member`, Number.MAX_SAFE_INTEGER);
}

async function trackOf(lot: string, as = viewer("VNCUSTOMS", "CUSTOMS", "OFFICER")): Promise<LotTrack> {
  return (await lotTrack({ db: store.db, documents, keys, ledger: node.ledger }, as, lot))!;
}

/** Waits until the index holds every block the chain has made. */
async function indexedToNow(): Promise<void> {
  const head = (await node.product.ledger.embedded!.provider.request({ method: "eth_blockNumber" })) as string;
  await waitForIndexer(node.product.metricsUrl, BigInt(head));
}

describe("a seal's device reports through capture", () => {
  it("a trip reported in two documents becomes two anchored segments, each verified VALID from its stored file", async () => {
    const seal = unique("ES");
    const { lot } = await lotUnderSeal(seal);
    const first = readings(seal, 0, 4, (i) => (i === 3 ? ["LONG_STOP"] : []));
    const job = await capture(
      customs,
      first.map((message) => report(message)),
    );
    // Four reports kept, and the long stop's alert applied to the lot after them.
    expect(statuses(job)).toEqual(Array(5).fill(["accepted", null]));
    expect(job.events[4].eventID).toBe(`${job.events[3].eventID}#alert:LONG_STOP:${lot}`);
    // The alert anchors what came before it at once (a pass after the capture finds nothing left to do).
    await node.product.tracks!.anchorDue();
    const [segment1] = (await trackOf(lot)).segments.map((segment) => segment.root);
    expect(segment1).toMatch(/^0x[0-9a-f]{64}$/);

    const second = readings(seal, 4, 2);
    expect(
      statuses(
        await capture(
          customs,
          second.map((message) => report(message)),
        ),
      ),
    ).toEqual(Array(2).fill(["accepted", null]));
    await node.product.tracks!.anchorDue();
    const pending = await trackOf(lot);
    expect(pending.segments).toHaveLength(1);
    expect(pending.pending).toEqual(second);

    // The unsealing anchors the rest.
    const { block } = await node.ledger.submit(officer, { type: "unseal", lot, facility: "VNSGN-BONDED-1", sealIntact: true, reason: "" });
    await waitForIndexer(node.product.metricsUrl, block);
    await node.product.tracks!.anchorDue();
    const [, segment2] = (await trackOf(lot)).segments.map((segment) => segment.root);
    expect(segment2).toBeDefined();

    for (const as of [viewer("VNCUSTOMS", "CUSTOMS", "OFFICER"), viewer("AN-PHAT", "ENTERPRISE", "OPERATOR")]) {
      const track = await trackOf(lot, as);
      expect(track.entitled).toBe(true);
      expect(track.pending).toEqual([]);
      expect(track.segments.map((s) => [s.root, s.count, s.firstTime, s.lastTime])).toEqual([
        [segment1, 4, first[0]!.time, first[3]!.time],
        [segment2, 2, second[0]!.time, second[1]!.time],
      ]);
      for (const [i, segment] of track.segments.entries()) {
        expect(segment.evidence).toMatchObject({ verdict: { verdict: "VALID" }, messages: i === 0 ? first : second });
      }
    }
    // The warehouse now holding the lot sees its segments, not the positions and alerts in them.
    const custodian = await lotTrack({ db: store.db, documents, keys }, viewer("SAIGON-TERMINAL", "WAREHOUSE", "OPERATOR"), lot);
    expect(custodian!.entitled).toBe(false);
    expect(custodian!.segments.map((segment) => [segment.root, "evidence" in segment])).toEqual([
      [segment1, false],
      [segment2, false],
    ]);
    // A C/O issuer sees nothing of the lot; the index knows the anchoring transaction.
    expect(await lotTrack({ db: store.db, documents, keys }, viewer("VCCI-HCM", "ISSUER", "SIGNER"), lot)).toBeUndefined();
    const anchored = await node.ledger.batch(segment2!);
    await waitForIndexer(node.product.metricsUrl, anchored!.anchoredIn.block);
    const indexed = await lotTrack({ db: store.db, documents, keys }, viewer("VNCUSTOMS", "CUSTOMS", "AUDITOR"), lot);
    expect(indexed!.segments[1]).toMatchObject({ anchoredIn: { tx: anchored!.anchoredIn.tx }, evidence: { verdict: { verdict: "VALID" } } });
  });

  it("a report that the seal was opened puts an alert on the ledger for each lot under it, naming the message; its segment is anchored", async () => {
    const seal = unique("ES");
    const { lot } = await lotUnderSeal(seal);
    const [opened] = readings(seal, 10, 1, () => ["OPENED"]);
    const eventID = unique("urn:uuid:opened");
    const answer = await post("/epcis/events", customs, report(opened!, eventID));
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const hash = messageHash(opened!);
    expect(answer.body).toMatchObject({
      eventID,
      status: "accepted",
      messageHash: hash,
      alerts: [{ eventID: `${eventID}#alert:OPENED:${lot}`, status: "accepted" }],
    });
    await indexedToNow();
    const [event] = await store.db
      .selectFrom("events")
      .select(["kind", "payload", "flagged"])
      .where("tx_hash", "=", answer.body.alerts[0].transaction)
      .execute();
    expect(event!.kind).toBe("alert");
    expect(event!.payload).toContain(`OPENED: at ${geoUri(opened!.latitude, opened!.longitude)}, message ${hash}`);
    await node.product.tracks!.anchorDue();
    const track = await trackOf(lot);
    expect(track.segments).toMatchObject([{ count: 1, evidence: { verdict: { verdict: "VALID" }, messages: [opened] } }]);
  });

  it("a lot held on the way keeps its seal's reports, without the alerts the rules refuse while held; GET /epcis/events does not return reports", async () => {
    const seal = unique("ES");
    const { lot } = await lotUnderSeal(seal);
    const { block } = await node.ledger.submit(officer, { type: "hold", lot, reason: "papers checked on the way" });
    await waitForIndexer(node.product.metricsUrl, block);
    const [opened] = readings(seal, 15, 1, () => ["OPENED"]);
    const eventID = unique("urn:uuid:held");
    const answer = await post("/epcis/events", customs, report(opened!, eventID));
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.alerts).toEqual([]);
    const read = await fetch(`${node.product.apiUrl}/epcis/events/${encodeURIComponent(eventID)}`, { headers: { authorization: `Bearer ${customs}` } });
    expect(read.status).toBe(404);
    await node.product.tracks!.anchorDue();
    expect((await trackOf(lot)).segments).toMatchObject([{ count: 1, evidence: { verdict: { verdict: "VALID" }, messages: [opened] } }]);
  });

  it("a resent report is a duplicate: kept once, its alert applied once", async () => {
    const seal = unique("ES");
    await lotUnderSeal(seal);
    const [low] = readings(seal, 20, 1, () => ["LOW_BATTERY"]);
    const eventID = unique("urn:uuid:low");
    expect(statuses(await capture(customs, [report(low!, eventID)]))).toEqual([
      ["accepted", null],
      ["accepted", null],
    ]);
    const again = await capture(customs, [report(low!, eventID)]);
    expect(again.success).toBe(true);
    expect(statuses(again)).toEqual([
      ["duplicate", null],
      ["duplicate", null],
    ]);
    expect((await post("/epcis/events", customs, report(low!, eventID))).body).toMatchObject({ eventID, status: "duplicate" });
    const kept = await store.db.selectFrom("seal_reports").select("event_id").where("seal", "=", seal).execute();
    expect(kept.map((row) => row.event_id)).toEqual([eventID]);
  });

  it("a report from anyone but a customs officer, or for a seal that closes no lot, is refused and nothing of a rollback job is kept", async () => {
    const seal = unique("ES");
    await lotUnderSeal(seal);
    const [message] = readings(seal, 30, 1);
    const byEnterprise = await capture(enterprise, [report(message!)], "proceed");
    expect(byEnterprise.events[0]).toMatchObject({ status: "refused", code: "NOT_AUTHORIZED" });
    expect(byEnterprise.events[0].reason).toMatch(/customs OFFICER/);
    const single = await post("/epcis/events", await node.token("VNCUSTOMS", "AUDITOR"), report(message!));
    expect([single.status, single.body.code]).toEqual([400, "NOT_AUTHORIZED"]);

    const [stray] = readings(unique("ES-NOLOT"), 31, 1, () => ["ROUTE_DEVIATION"]);
    const job = await capture(customs, [report(message!), report(stray!)]);
    expect(statuses(job)).toEqual([
      ["not_applied", null],
      ["refused", "SEAL_MISMATCH"],
    ]);
    expect(job.events[1].reason).toMatch(/closes no lot/);
    expect(await store.db.selectFrom("seal_reports").select("event_id").where("seal", "in", [seal, stray!.seal]).execute()).toEqual([]);
  });

  it("a document that seals a lot, reports a deviation and unseals it applies all three in order", async () => {
    const seal = unique("ES");
    const { lot, deadline, transit } = await lotUnderSeal(seal, false);
    const [deviation] = readings(seal, 40, 1, () => ["ROUTE_DEVIATION"]);
    const job = await capture(customs, [
      epcis.seal(lot, "VNSGN-BONDED-1", seal, ledgerTimeIso(deadline).replace(".000Z", "Z"), transit),
      report(deviation!),
      epcis.unseal(lot, "VNSGN-BONDED-1", true, ""),
    ]);
    expect(statuses(job)).toEqual(Array(4).fill(["accepted", null]));
    expect(job.events[2].eventID).toMatch(/#alert:ROUTE_DEVIATION:/);
    expect((await node.ledger.lot(lot))!.state).toBe("ARRIVED");
  });

  it("a stored segment with a position changed, or another segment's file in its place, shows INVALID", async () => {
    const seal = unique("ES");
    const { lot } = await lotUnderSeal(seal);
    const messages = readings(seal, 50, 3, (i) => (i === 52 ? ["LONG_STOP"] : []));
    await capture(
      customs,
      messages.map((message) => report(message)),
    );
    await node.product.tracks!.anchorDue();
    const [{ root, evidence }] = (await trackOf(lot)).segments as [LotTrack["segments"][number]];
    expect(evidence).toMatchObject({ verdict: { verdict: "VALID" } });

    const moved = messages.map((m, i) => (i === 1 ? { ...m, latitude: m.latitude + 1n } : m));
    const customsKey = await import("node:fs/promises").then((fs) => fs.readFile(join(node.product.keysDir, "VNCUSTOMS.public.pem"), "utf8"));
    const forged = await new EncryptedDocumentStore(documents).putDocument(
      new TextEncoder().encode(segmentFile({ format: TRACK_FORMAT, seal, lots: [lot], messages: moved })),
      [{ orgId: "VNCUSTOMS", publicKey: customsKey }],
    );
    await store.db.updateTable("seal_segments").set({ cid: forged.cid }).where("root", "=", root!).execute();
    const tampered = (await trackOf(lot)).segments[0]!.evidence as {
      verdict: { verdict: string; checks: Array<{ name: string; outcome: string; reason: string }> };
    };
    expect(tampered.verdict.verdict).toBe("INVALID");
    expect(tampered.verdict.checks[0]).toMatchObject({ name: "INTEGRITY", outcome: "FAILED" });

    // Another anchored segment's file (VALID on its own) in its place is not this segment.
    const other = await store.db.selectFrom("seal_segments").select("cid").where("root", "!=", root!).where("state", "=", "anchored").executeTakeFirstOrThrow();
    await store.db.updateTable("seal_segments").set({ cid: other.cid }).where("root", "=", root!).execute();
    const swapped = (await trackOf(lot)).segments[0]!.evidence as { verdict: { verdict: string; checks: Array<{ reason: string }> } };
    expect(swapped.verdict.verdict).toBe("INVALID");
    expect(swapped.verdict.checks[0]!.reason).toMatch(/not the segment anchored for this trip|cannot be read/);
  });
});
