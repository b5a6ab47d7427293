import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../domain/index.js";
import { segmentFile, TRACK_FORMAT, type SealMessage, type TrackSegment } from "../../domain/seal-track.js";
import { DocumentAnchoring } from "../../sdk/anchoring/anchoring.js";
import type { Verdict } from "../../sdk/anchoring/verdict.js";
import { DocumentVerifier } from "../../sdk/anchoring/verifier.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import { generateOrganisationKeyPair } from "../../sdk/documents/keys.js";
import { anchorSegment } from "../../sdk/transit/track-anchoring.js";
import { verifySegmentFile } from "../../sdk/transit/track-verifier.js";
import { VCCI } from "../ledger/demo-actions.js";
import { startEvmDemoLedger, type EvmDemoLedger } from "../ledger/evm-demo-ledger.js";

const CUSTOMS_SIGNER: Actor = { org: "VNCUSTOMS", role: "SIGNER" };
const outcomes = (verdict: Verdict) => Object.fromEntries(verdict.checks.map((check) => [check.name, check.outcome]));

/** A trip from the Huu Nghi border gate towards Hanoi: a reading every five minutes, a long stop in the middle. */
function trip(seal: string, readings = 12): TrackSegment {
  const messages: SealMessage[] = Array.from({ length: readings }, (_, i) => ({
    seal,
    time: 1_800_000_000n + BigInt(i) * 300n,
    latitude: 21_846_000n - BigInt(i) * 40_000n,
    longitude: 106_761_000n - BigInt(i) * 25_000n,
    sealClosed: true,
    alerts: i === 6 ? ["LONG_STOP"] : [],
  }));
  return { format: TRACK_FORMAT, seal, lots: ["AP-FAB-1"], messages };
}

describe("an electronic seal's track, anchored in segments and verified", () => {
  let demo: EvmDemoLedger;
  let directory: string;
  let blocks: EmbeddedDocumentStore;
  let anchoring: DocumentAnchoring;
  const customs = generateOrganisationKeyPair();
  const owner = generateOrganisationKeyPair();

  beforeAll(async () => {
    demo = await startEvmDemoLedger();
    directory = await mkdtemp(join(tmpdir(), "tracegate-seal-track-"));
    blocks = await EmbeddedDocumentStore.open(directory);
    anchoring = new DocumentAnchoring(demo.ledger, CUSTOMS_SIGNER, {
      store: new EncryptedDocumentStore(blocks),
      issuerKey: { orgId: "VNCUSTOMS", publicKey: customs.publicKey },
    });
  });
  afterAll(async () => {
    await blocks.close();
    await rm(directory, { recursive: true, force: true });
    await demo.stop();
  });

  it("a segment anchored by customs verifies VALID from its stored file, and each message by its proof file", async () => {
    const segment = trip("VNSEAL-1");
    const anchored = await anchorSegment(anchoring, segment, [{ orgId: "AN-PHAT", publicKey: owner.publicKey }]);
    expect(anchored.count).toBe(12);
    const stored = await new EncryptedDocumentStore(blocks).getDocument(anchored.cid, "AN-PHAT", owner.privateKey);
    const { verdict } = await verifySegmentFile(demo.ledger, stored);
    expect(verdict.verdict).toBe("VALID");
    expect(outcomes(verdict)).toEqual({ INTEGRITY: "PASSED", STATUS: "PASSED", ISSUER: "PASSED" });
    expect(verdict.anchor).toMatchObject({ kind: "SEAL_TRACK", issuer: "VNCUSTOMS", batch: { root: anchored.root, count: 12 } });
    const alert = await new DocumentVerifier(demo.ledger).verifyProof(anchored.proofs[6]!);
    expect(alert.verdict).toBe("VALID");
    expect(anchored.proofs[6]!.document.cid).toBe(anchored.cid);
  });

  it("a position moved by one microdegree, a dropped reading or a hidden alert fails INTEGRITY", async () => {
    const segment = trip("VNSEAL-2");
    await anchorSegment(anchoring, segment, []);
    const moved = { ...segment, messages: segment.messages.map((m, i) => (i === 3 ? { ...m, latitude: m.latitude + 1n } : m)) };
    const dropped = { ...segment, messages: segment.messages.filter((_, i) => i !== 5) };
    const hidden = { ...segment, messages: segment.messages.map((m) => ({ ...m, alerts: [] })) };
    for (const altered of [moved, dropped, hidden]) {
      const { verdict } = await verifySegmentFile(demo.ledger, segmentFile(altered));
      expect(verdict.verdict).toBe("INVALID");
      expect(outcomes(verdict)).toEqual({ INTEGRITY: "FAILED", STATUS: "SKIPPED", ISSUER: "SKIPPED" });
      expect(verdict.checks[0]!.reason).toMatch(/altered/);
    }
  });

  it("a revoked reading makes the segment REVOKED; the others still verify alone", async () => {
    const segment = trip("VNSEAL-3", 4);
    const anchored = await anchorSegment(anchoring, segment, []);
    await anchoring.revokeMember(anchored.proofs[1]!, "device clock drifted: reading replaced");
    const { verdict } = await verifySegmentFile(demo.ledger, segmentFile(segment));
    expect(outcomes(verdict)).toEqual({ INTEGRITY: "PASSED", STATUS: "FAILED", ISSUER: "PASSED" });
    expect((await new DocumentVerifier(demo.ledger).verifyProof(anchored.proofs[2]!)).verdict).toBe("VALID");
  });

  it("a track anchored by an organisation that may not issue seal tracks is refused by the ledger", async () => {
    const vcci = new DocumentAnchoring(demo.ledger, VCCI, {
      store: new EncryptedDocumentStore(blocks),
      issuerKey: { orgId: "VCCI-HCM", publicKey: owner.publicKey },
    });
    await expect(anchorSegment(vcci, trip("VNSEAL-4", 2), [])).rejects.toMatchObject({ code: "ISSUER_NOT_ENTITLED" });
  });

  it("a file that is not a segment fails INTEGRITY, saying what is wrong with it", async () => {
    const bad = JSON.parse(segmentFile(trip("VNSEAL-5", 2)));
    bad.messages[1].latitude = 21.5;
    const { verdict } = await verifySegmentFile(demo.ledger, JSON.stringify(bad));
    expect(outcomes(verdict)).toEqual({ INTEGRITY: "FAILED", STATUS: "SKIPPED", ISSUER: "SKIPPED" });
    expect(verdict.checks[0]!.reason).toMatch(/messages\[1\]\.latitude/);
    const notText = await verifySegmentFile(demo.ledger, new Uint8Array([0xff, 0xfe, 0x00]));
    expect(notText.verdict.checks[0]!.reason).toMatch(/not a seal track/);
  });
});
