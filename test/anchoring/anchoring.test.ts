import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBatch, documentHash, EMPTY_DOCUMENT_HASH, type TraceGateError } from "../../domain/index.js";
import { DocumentAnchoring } from "../../sdk/anchoring/anchoring.js";
import { DocumentVerifier } from "../../sdk/anchoring/verifier.js";
import type { Verdict } from "../../sdk/anchoring/verdict.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import { generateOrganisationKeyPair } from "../../sdk/documents/keys.js";
import { VCCI } from "../ledger/demo-actions.js";
import { startEvmDemoLedger, type EvmDemoLedger } from "../ledger/evm-demo-ledger.js";

const outcomes = (verdict: Verdict) => Object.fromEntries(verdict.checks.map((check) => [check.name, check.outcome]));
const bytes = (text: string) => new TextEncoder().encode(text);

describe("anchoring and verifying documents", () => {
  let demo: EvmDemoLedger;
  let directory: string;
  let blocks: EmbeddedDocumentStore;
  let anchoring: DocumentAnchoring;
  let verifier: DocumentVerifier;
  const vcci = generateOrganisationKeyPair();
  const customs = generateOrganisationKeyPair();
  const details = (id: string, subjects: string[] = []) => ({ id, subjects, recipients: [{ orgId: "VNCUSTOMS", publicKey: customs.publicKey }] });

  beforeAll(async () => {
    demo = await startEvmDemoLedger();
    directory = await mkdtemp(join(tmpdir(), "tracegate-anchoring-"));
    blocks = await EmbeddedDocumentStore.open(directory);
    const store = new EncryptedDocumentStore(blocks);
    anchoring = new DocumentAnchoring(demo.ledger, VCCI, { store, issuerKey: { orgId: "VCCI-HCM", publicKey: vcci.publicKey } });
    verifier = new DocumentVerifier(demo.ledger);
  });
  afterAll(async () => {
    await blocks.close();
    await rm(directory, { recursive: true, force: true });
    await demo.stop();
  });

  it("verifies an anchored file VALID, with its lots, time and transaction; the store holds it encrypted for its recipients", async () => {
    const file = bytes("Certificate of origin, form D, no. 1: 1,000 m cotton fabric");
    const { stored, submitted } = await anchoring.anchor(file, "CO", details("CO-1", ["LOT-1", "LOT-2"]));
    const verdict = await verifier.verifyFile(file);
    expect(verdict.verdict).toBe("VALID");
    expect(outcomes(verdict)).toEqual({ INTEGRITY: "PASSED", STATUS: "PASSED", ISSUER: "PASSED" });
    expect(verdict.anchor).toMatchObject({ id: "CO-1", kind: "CO", issuer: "VCCI-HCM", subjects: ["LOT-1", "LOT-2"], cid: stored.cid, tx: submitted.tx });
    const store = new EncryptedDocumentStore(blocks);
    expect(await store.getDocument(stored.cid, "VNCUSTOMS", customs.privateKey, stored.hash)).toEqual(file);
    expect(await store.getDocument(stored.cid, "VCCI-HCM", vcci.privateKey, stored.hash)).toEqual(file);
  });

  it("fails INTEGRITY for the same file with any one byte changed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2048 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (content, at, delta) => {
        const hash = documentHash(content);
        if ((await demo.ledger.document(hash)) === undefined) {
          await demo.ledger.submit(VCCI, { type: "anchor", hash, id: "PROPERTY", kind: "CO", cid: "bafkqaaa", subjects: [] });
        }
        expect((await verifier.verifyFile(content)).verdict).toBe("VALID");
        const altered = content.slice();
        altered[at % altered.length] = (altered[at % altered.length]! + delta) % 256;
        // An earlier run may have anchored exactly the altered bytes (e.g. [0]); that file is genuinely anchored.
        fc.pre((await demo.ledger.document(documentHash(altered))) === undefined);
        const verdict = await verifier.verifyFile(altered);
        expect(verdict.verdict).toBe("INVALID");
        expect(outcomes(verdict)).toEqual({ INTEGRITY: "FAILED", STATUS: "SKIPPED", ISSUER: "SKIPPED" });
        expect(verdict.checks[0]!.reason).toMatch(/no document with this file's SHA-256 .* is anchored: the file was altered/);
      }),
      { numRuns: 40 },
    );
  });

  it("fails STATUS for an amended document, naming its successor and the current version", async () => {
    const versions = ["permit v1", "permit v2", "permit v3"].map(bytes);
    const first = await anchoring.anchor(versions[0]!, "PERMIT", details("PERMIT-9"));
    const second = await anchoring.amend(first.stored.hash, versions[1]!, details("PERMIT-9"));
    const third = await anchoring.amend(second.stored.hash, versions[2]!, details("PERMIT-9"));
    const verdict = await verifier.verifyFile(versions[0]!);
    expect(outcomes(verdict)).toEqual({ INTEGRITY: "PASSED", STATUS: "FAILED", ISSUER: "PASSED" });
    expect(verdict.checks[1]!.reason).toContain(`SUPERSEDED: amended by ${second.stored.hash}; the current version is 3 (${third.stored.hash})`);
    expect(verdict.anchor).toMatchObject({ version: 1, supersededBy: second.stored.hash, current: third.stored.hash });
    expect((await verifier.verifyFile(versions[2]!)).verdict).toBe("VALID");
  });

  it("fails STATUS for a revoked document, with the reason", async () => {
    const file = bytes("inspection result 7");
    const { stored } = await anchoring.anchor(file, "INSPECTION", details("INSP-7"));
    await anchoring.revoke(stored.hash, "sample mislabelled");
    const verdict = await verifier.verifyHash(stored.hash);
    expect(outcomes(verdict)).toEqual({ INTEGRITY: "PASSED", STATUS: "FAILED", ISSUER: "PASSED" });
    expect(verdict.checks[1]!.reason).toMatch(/^REVOKED by VCCI-HCM on .*: sample mislabelled$/);
  });

  it("verifies every document of a batch by its proof file; a revoked member fails STATUS while its siblings stay VALID", async () => {
    const files = Array.from({ length: 25 }, (_, index) => bytes(`batched certificate ${index}`));
    const members = await Promise.all(files.map((file, index) => anchoring.storeMember(file, [], `co-${index}.pdf`)));
    const { root, proofs } = await anchoring.anchorBatch("CO", members);
    expect(proofs[3]).toMatchObject({
      document: { hash: documentHash(files[3]!), kind: "CO", issuer: "VCCI-HCM", name: "co-3.pdf" },
      batch: { root, count: 25 },
    });
    await anchoring.revokeMember(proofs[3]!, "wrong consignee");
    const revoked = await verifier.verifyProof(proofs[3]!, files[3]);
    expect(outcomes(revoked)).toEqual({ INTEGRITY: "PASSED", STATUS: "FAILED", ISSUER: "PASSED" });
    expect(revoked.checks[1]!.reason).toMatch(/REVOKED by VCCI-HCM on .*: wrong consignee/);
    for (const index of [0, 2, 4, 24]) expect((await verifier.verifyProof(proofs[index]!, files[index])).verdict).toBe("VALID");
    const otherFile = await verifier.verifyProof(proofs[5]!, files[6]);
    expect(outcomes(otherFile).INTEGRITY).toBe("FAILED");
    const forged = await verifier.verifyProof({ ...proofs[5]!, proof: proofs[6]!.proof });
    expect(forged.checks[0]!.reason).toMatch(/the proof does not lead from/);
    const claimsOtherIssuer = await verifier.verifyProof({ ...proofs[5]!, document: { ...proofs[5]!.document, issuer: "AN-PHAT" } });
    expect(claimsOtherIssuer.checks[0]!.reason).toMatch(/the batch was anchored as CO issued by VCCI-HCM/);
  });

  it("refuses an empty document before storing or sending anything, singly, as an amendment and in a batch, where it is named", async () => {
    const files = async () => (await readdir(directory, { recursive: true })).length;
    const before = await files();
    const refusal = (attempt: Promise<unknown>) =>
      attempt.then(
        () => undefined,
        (error: unknown) => error as TraceGateError,
      );
    const single = await refusal(anchoring.anchor(new Uint8Array(0), "CO", details("CO-EMPTY")));
    expect(single).toMatchObject({ code: "DOCUMENT_EMPTY", message: expect.stringContaining("CO-EMPTY is empty (0 bytes): nothing to anchor") });
    const { stored } = await anchoring.anchor(bytes("Certificate of origin, form D, no. 77"), "CO", details("CO-77"));
    expect((await refusal(anchoring.amend(stored.hash, new Uint8Array(0), details("CO-77"))))?.code).toBe("DOCUMENT_EMPTY");
    const after = await files();
    expect((await refusal(anchoring.storeMember(new Uint8Array(0), [], "co-9.pdf")))?.message).toContain("co-9.pdf is empty (0 bytes)");
    // Members stored elsewhere: the empty one is named before the root is built or sent.
    const members = [
      { hash: documentHash("batched 1"), name: "co-1.pdf" },
      { hash: EMPTY_DOCUMENT_HASH, name: "co-2.pdf" },
    ];
    expect((await refusal(anchoring.anchorBatch("CO", members)))?.message).toContain("co-2.pdf is empty (0 bytes)");
    expect(await files()).toBe(after);
    expect(after - before).toBeGreaterThan(0); // only CO-77 was stored
    expect(await demo.ledger.document(EMPTY_DOCUMENT_HASH)).toBeUndefined();
    expect(await demo.ledger.batch(buildBatch([members[0]!.hash]).root)).toBeUndefined();
  });

  it("verifies an empty file, or a proof file for one, as INVALID, saying it is empty", async () => {
    const verdict = await verifier.verifyFile(new Uint8Array(0));
    expect(verdict.verdict).toBe("INVALID");
    expect(verdict.checks[0]).toMatchObject({ name: "INTEGRITY", outcome: "FAILED", reason: expect.stringMatching(/^the file is empty \(0 bytes\)/) });
    expect((await verifier.verifyHash(EMPTY_DOCUMENT_HASH)).checks[0]!.reason).toMatch(/SHA-256 of an empty document \(0 bytes\)/);
    const file = bytes("batched certificate for an empty download");
    const { proofs } = await anchoring.anchorBatch("CO", [await anchoring.storeMember(file, [], "co-e.pdf")]);
    const downloadFailed = await verifier.verifyProof(proofs[0]!, new Uint8Array(0));
    expect(downloadFailed.verdict).toBe("INVALID");
    expect(downloadFailed.checks[0]!.reason).toMatch(/^the file is empty \(0 bytes\)/);
    expect((await verifier.verifyProof(proofs[0]!, file)).verdict).toBe("VALID");
  });

  it("never writes a document's plaintext to the block directory", async () => {
    const marker = "PLAINTEXT-MARKER-4f1c9";
    await anchoring.anchor(bytes(`${marker} declaration body`), "CO", details("CO-MARKER"));
    const names = await readdir(directory, { recursive: true, withFileTypes: true });
    for (const entry of names.filter((name) => name.isFile())) {
      expect((await readFile(join(entry.parentPath, entry.name))).includes(marker)).toBe(false);
    }
  });
});
