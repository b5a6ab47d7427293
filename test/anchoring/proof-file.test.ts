import { describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { isProofFileText, parseProofFile, serializeProofFile, type BatchProofFile } from "../../sdk/anchoring/proof-file.js";

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
    expect(broken((copy) => (copy.version = 2))).toThrow(/version 2 is not supported .* upgrade TraceGate/);
    expect(broken((copy) => (copy.document.hash = "0x1234"))).toThrow(/document.hash is malformed/);
    expect(broken((copy) => (copy.document.kind = "RECEIPT"))).toThrow(/document.kind must be one of/);
    expect(broken((copy) => (copy.proof = ["nope"]))).toThrow(/proof\[0\] is malformed/);
    expect(() => parseProofFile("{")).toThrow(/not JSON/);
  });
});
