import { describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { isProofFileText, parseProofFile, serializeProofFile, type BatchProofFile, type ProofFileError } from "../../sdk/anchoring/proof-file.js";

const proof: BatchProofFile = {
  format: "tracegate-batch-proof",
  version: 1,
  document: { hash: documentHash("one"), kind: "CO", issuer: "VCCI-HCM", cid: "bafkqaaa" },
  batch: { root: documentHash("root"), count: 2, tx: `0x${"12".repeat(32)}`, block: "7" },
  proof: [documentHash("sibling")],
};

describe("proof files", () => {
  it("round-trip and are recognised", () => {
    const text = serializeProofFile(proof);
    expect(isProofFileText(text)).toBe(true);
    expect(parseProofFile(text)).toEqual(proof);
    expect(isProofFileText("%PDF-1.7")).toBe(false);
  });

  it("are refused with the field that is wrong", () => {
    const broken = (change: (copy: any) => void) => {
      const copy = JSON.parse(serializeProofFile(proof));
      change(copy);
      return () => parseProofFile(JSON.stringify(copy));
    };
    const field = (change: (copy: any) => void) => {
      try {
        broken(change)();
      } catch (error) {
        return { type: (error as Error).name, field: (error as ProofFileError).field };
      }
      return "accepted";
    };
    expect(broken((copy) => (copy.version = 2))).toThrow(/version 2 is not supported .* upgrade TraceGate/);
    expect(broken((copy) => (copy.document.hash = "0x1234"))).toThrow(/document\.hash: expected a non-zero 32-byte hash/);
    expect(broken((copy) => (copy.document.kind = "RECEIPT"))).toThrow(/document\.kind: expected one of DECLARATION, .*, got "RECEIPT"/);
    expect(broken((copy) => (copy.proof = ["nope"]))).toThrow(/proof\[0\]: expected a non-zero 32-byte hash/);
    expect(() => parseProofFile("{")).toThrow(/expected JSON/);
    expect(field((copy) => (copy.batch.count = 0))).toEqual({ type: "ProofFileError", field: "batch.count" });
    expect(field((copy) => (copy.document.issuer = "has space"))).toEqual({ type: "ProofFileError", field: "document.issuer" });
    expect(field((copy) => (copy.batch.tx = ""))).toEqual({ type: "ProofFileError", field: "batch.tx" });
    expect(field((copy) => delete copy.batch.root)).toEqual({ type: "ProofFileError", field: "batch.root" });
    expect(field((copy) => (copy.document.name = 7))).toEqual({ type: "ProofFileError", field: "document.name" });
    // A misspelt key is refused, not ignored.
    expect(field((copy) => (copy.batch.blok = "7"))).toEqual({ type: "ProofFileError", field: "batch" });
  });
});
