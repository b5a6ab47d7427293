import fc from "fast-check";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { describe, expect, it } from "vitest";
import { buildBatch, documentHash, solidityErrorName, TraceGateError, ERROR_CODES, verifyBatchProof } from "../../domain/index.js";

describe("document hashing", () => {
  it("is the SHA-256 of the exact bytes", () => {
    expect(documentHash("abc")).toBe("0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(documentHash(new Uint8Array([0x61, 0x62, 0x63]))).toBe(documentHash("abc"));
  });
});

describe("Merkle batches", () => {
  const hashes = fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 64 }), {
    minLength: 1,
    maxLength: 40,
    selector: (bytes) => Buffer.from(bytes).toString("hex"),
  });

  it("builds exactly OpenZeppelin's standard tree: same root, same proofs", () => {
    fc.assert(
      fc.property(hashes, (files) => {
        const leaves = files.map((file) => documentHash(file));
        const batch = buildBatch(leaves);
        const reference = StandardMerkleTree.of(
          leaves.map((leaf) => [leaf]),
          ["bytes32"],
        );
        expect(batch.root).toBe(reference.root);
        leaves.forEach((_, index) => expect(batch.proofs[index]).toEqual(reference.getProof(index)));
      }),
      { numRuns: 100 },
    );
  });

  it("every document verifies with its own proof, and not with another's", () => {
    fc.assert(
      fc.property(hashes, fc.nat(), (files, n) => {
        const leaves = files.map((file) => documentHash(file));
        const batch = buildBatch(leaves);
        leaves.forEach((leaf, index) => expect(verifyBatchProof(batch.root, leaf, batch.proofs[index]!)).toBe(true));
        if (leaves.length > 1) {
          const i = n % leaves.length;
          const j = (i + 1) % leaves.length;
          expect(verifyBatchProof(batch.root, leaves[i]!, batch.proofs[j]!)).toBe(false);
        }
        expect(verifyBatchProof(batch.root, documentHash("not in the batch"), batch.proofs[0]!)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

describe("errors", () => {
  it("carry a stable code, say what to do next, and name their Solidity twin", () => {
    const error = new TraceGateError("ILLEGAL_TRANSITION", "lot L is EXPORTED");
    expect(error.code).toBe("ILLEGAL_TRANSITION");
    expect(error.message).toMatch(/^ILLEGAL_TRANSITION: lot L is EXPORTED \(.+\)$/);
    expect(solidityErrorName("ILLEGAL_TRANSITION")).toBe("IllegalTransition");
    expect(new Set(ERROR_CODES.map(solidityErrorName)).size).toBe(ERROR_CODES.length);
  });
});

describe("the in-memory registry", () => {
  it("refuses an id twice and a facility whose operator is unknown", async () => {
    const { InMemoryLedger } = await import("../../domain/index.js");
    const ledger = new InMemoryLedger();
    ledger.registerOrganisation({ id: "VNCUSTOMS", kind: "CUSTOMS" });
    expect(() => ledger.registerOrganisation({ id: "VNCUSTOMS", kind: "ENTERPRISE" })).toThrow(/^ALREADY_REGISTERED/);
    expect(() => ledger.registerFacility({ id: "GATE", kind: "BORDER_GATE", operator: "NOBODY" })).toThrow(/^UNKNOWN_ORGANISATION/);
    ledger.registerFacility({ id: "GATE", kind: "BORDER_GATE", operator: "VNCUSTOMS" });
    expect(() => ledger.registerFacility({ id: "GATE", kind: "WAREHOUSE", operator: "VNCUSTOMS" })).toThrow(/^ALREADY_REGISTERED/);
    expect((await ledger.organisation("VNCUSTOMS"))?.kind).toBe("CUSTOMS");
  });
});
