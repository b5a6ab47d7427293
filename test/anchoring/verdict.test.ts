import { describe, expect, it } from "vitest";
import { documentHash, EMPTY_DOCUMENT_HASH, type Organisation } from "../../domain/index.js";
import { singleDocumentVerdict } from "../../sdk/anchoring/verdict.js";
import type { AnchoredDocument } from "../../sdk/ledger.js";

const document: AnchoredDocument = {
  hash: documentHash("a declaration"),
  id: "DECL-1",
  kind: "DECLARATION",
  cid: "bafkqaaa",
  issuer: "AN-PHAT",
  subjects: ["LOT-1"],
  version: 1,
  supersedes: null,
  supersededBy: null,
  status: "VALID",
  anchoredAt: 1_800_000_000n,
  anchoredIn: { tx: `0x${"ab".repeat(32)}`, block: 12n, time: 1_800_000_000n },
  revocation: null,
};
const verdictWith = (issuer: Organisation | undefined) =>
  singleDocumentVerdict({ presented: { type: "hash", hash: document.hash }, document, current: undefined, issuer });

describe("the verdict's ISSUER check", () => {
  it("passes for a registered organisation whose kind may issue the document's kind", () => {
    const verdict = verdictWith({ id: "AN-PHAT", kind: "ENTERPRISE" });
    expect(verdict.verdict).toBe("VALID");
    expect(verdict.anchor).toMatchObject({ anchoredAt: "2027-01-15T08:00:00.000Z", block: "12", subjects: ["LOT-1"] });
  });

  it("fails, saying why, for an organisation that is not registered or whose kind may not issue it", () => {
    expect(verdictWith(undefined).checks[2]).toEqual({ name: "ISSUER", outcome: "FAILED", reason: "AN-PHAT is not a registered organisation" });
    expect(verdictWith({ id: "AN-PHAT", kind: "ISSUER" }).checks[2]!.reason).toBe(
      "AN-PHAT is registered as ISSUER, and DECLARATION documents may be issued only by ENTERPRISE organisations",
    );
  });
});

describe("an empty document", () => {
  it("is INVALID even where a ledger anchored it before empty documents were refused: any failed download would match it", () => {
    const anchoredEmpty = { ...document, hash: EMPTY_DOCUMENT_HASH };
    const issuer = { id: "AN-PHAT", kind: "ENTERPRISE" } as const;
    const asFile = singleDocumentVerdict({ presented: { type: "file", hash: EMPTY_DOCUMENT_HASH }, document: anchoredEmpty, current: undefined, issuer });
    expect(asFile.verdict).toBe("INVALID");
    expect(asFile.checks.map((check) => check.outcome)).toEqual(["FAILED", "SKIPPED", "SKIPPED"]);
    expect(asFile.checks[0]!.reason).toMatch(/^the file is empty \(0 bytes\): there is nothing to verify; check the download/);
    const asHash = singleDocumentVerdict({ presented: { type: "hash", hash: EMPTY_DOCUMENT_HASH }, document: anchoredEmpty, current: undefined, issuer });
    expect(asHash.verdict).toBe("INVALID");
  });
});
