/**
 * What the rules let onto a ledger for good: reasons bounded in bytes of UTF-8 (TEXT_TOO_LONG), a
 * transit's arguments (deadline, alert, remark), batch proofs bounded in steps, and no empty document
 * (DOCUMENT_EMPTY) anchored singly or in a batch.
 */
import { describe, expect, it } from "vitest";
import {
  buildBatch,
  documentHash,
  EMPTY_DOCUMENT_HASH,
  MAX_PROOF_STEPS,
  MAX_REASON_BYTES,
  SEAL_ALERTS,
  TraceGateError,
  validateAction,
  type Action,
} from "../../domain/index.js";
import { sealCheck } from "../../domain/transit-reasons.js";

function codeOf(action: Action): string {
  try {
    validateAction(action);
    return "accepted";
  } catch (error) {
    return (error as TraceGateError).code;
  }
}

const hash = documentHash("a certificate of origin");
/** Every action that carries a reason, with the reason given. */
const withReason = (reason: string): Action[] => [
  { type: "hold", lot: "LOT-1", reason },
  { type: "destroy", lot: "LOT-1", reason },
  { type: "revoke", hash, reason },
  { type: "revokeBatchMember", root: hash, leaf: hash, proof: [], reason },
];

describe("reasons", () => {
  it("are at most 500 bytes of UTF-8, counted in bytes, not characters, in every action that carries one", () => {
    expect(MAX_REASON_BYTES).toBe(500);
    const atLimit = `${"ệ".repeat(166)}ab`; // 166 × 3 + 2 bytes, 168 characters
    const over = "ệ".repeat(167); // 501 bytes, fewer characters than atLimit
    expect(Buffer.byteLength(atLimit)).toBe(500);
    for (const action of withReason(atLimit)) expect(codeOf(action), action.type).toBe("accepted");
    for (const action of withReason(over)) expect(codeOf(action), action.type).toBe("TEXT_TOO_LONG");
    for (const action of withReason("x".repeat(90_000))) expect(codeOf(action), action.type).toBe("TEXT_TOO_LONG");
  });

  it("say how long they are and what the limit is", () => {
    try {
      validateAction({ type: "hold", lot: "LOT-1", reason: "ệ".repeat(167) });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TraceGateError);
      expect((error as TraceGateError).details).toEqual({ field: "reason", length: "501", maximum: "500" });
      expect((error as TraceGateError).message).toMatch(/reason is 501 bytes of UTF-8, more than the 500 allowed/);
    }
  });

  it("are measured before they are read: an over-long malformed reason is TEXT_TOO_LONG, as on the contracts", () => {
    // A lone surrogate is 3 bytes as a contract receives it.
    expect(codeOf({ type: "hold", lot: "LOT-1", reason: `${"x".repeat(498)}\udc00` })).toBe("TEXT_TOO_LONG");
    expect(codeOf({ type: "hold", lot: "LOT-1", reason: `${"x".repeat(497)}\udc00` })).toBe("INVALID_ARGUMENT");
    expect(codeOf({ type: "hold", lot: "LOT-1", reason: "" })).toBe("REASON_REQUIRED");
  });
});

describe("transit arguments", () => {
  const seal = (deadline: bigint): Action => ({ type: "seal", lot: "LOT-1", facility: "WH-1", seal: "SEAL-1", deadline, transit: hash });
  /** The code and the field a refusal names. */
  function refusalOf(action: Action): { code: string; field?: string } {
    try {
      validateAction(action);
      return { code: "accepted" };
    } catch (error) {
      const { code, details } = error as TraceGateError;
      return details?.field === undefined ? { code } : { code, field: details.field };
    }
  }

  it("take a deadline of 1 to 2^64-1 seconds, naming the deadline otherwise (the window is a rule of the ledger's clock)", () => {
    expect(refusalOf(seal(0n))).toEqual({ code: "INVALID_ARGUMENT", field: "deadline" });
    expect(refusalOf(seal(-1n))).toEqual({ code: "INVALID_ARGUMENT", field: "deadline" });
    expect(refusalOf(seal(1n << 64n))).toEqual({ code: "INVALID_ARGUMENT", field: "deadline" });
    expect(refusalOf(seal(1n))).toEqual({ code: "accepted" });
    expect(refusalOf(seal((1n << 64n) - 1n))).toEqual({ code: "accepted" });
  });

  it("take only the e-seal alerts the ledger knows, naming the alert otherwise", () => {
    const alert = (kind: string): Action => ({ type: "alert", lot: "LOT-1", seal: "SEAL-1", alert: kind as "OPENED", detail: "" });
    for (const kind of SEAL_ALERTS) expect(refusalOf(alert(kind))).toEqual({ code: "accepted" });
    expect(refusalOf(alert("TAMPERED"))).toEqual({ code: "INVALID_ARGUMENT", field: "alert" });
    expect(refusalOf(alert("opened"))).toEqual({ code: "INVALID_ARGUMENT", field: "alert" });
  });

  it("need a reason for a broken seal only; a remark or detail may be empty, and is bounded and checked as a reason is", () => {
    const unseal = (sealIntact: boolean, reason: string): Action => ({ type: "unseal", lot: "LOT-1", facility: "WH-1", sealIntact, reason });
    const alert = (detail: string): Action => ({ type: "alert", lot: "LOT-1", seal: "SEAL-1", alert: "LONG_STOP", detail });
    expect(refusalOf(unseal(true, ""))).toEqual({ code: "accepted" });
    expect(refusalOf(unseal(false, ""))).toEqual({ code: "REASON_REQUIRED" });
    expect(refusalOf(alert(""))).toEqual({ code: "accepted" });
    for (const [action, field] of [
      [unseal(true, "x".repeat(501)), "reason"],
      [unseal(false, "x".repeat(501)), "reason"],
      [alert("x".repeat(501)), "detail"],
    ] as const) {
      expect(refusalOf(action)).toMatchObject({ code: "TEXT_TOO_LONG", field });
    }
    expect(refusalOf(unseal(true, "\ud83d"))).toEqual({ code: "INVALID_ARGUMENT", field: "reason" });
    expect(refusalOf(alert("\ud83d"))).toEqual({ code: "INVALID_ARGUMENT", field: "detail" });
  });

  it("decide the seal check: a broken seal before a late arrival, a remark kept after OVERDUE", () => {
    expect(sealCheck(false, false, "wire cut")).toEqual({ held: true, reason: "SEAL_BROKEN: wire cut" });
    expect(sealCheck(false, true, "wire cut")).toEqual({ held: true, reason: "SEAL_BROKEN: wire cut" });
    expect(sealCheck(true, true, "")).toEqual({ held: true, reason: "OVERDUE" });
    expect(sealCheck(true, true, "flat tyre")).toEqual({ held: true, reason: "OVERDUE: flat tyre" });
    expect(sealCheck(true, false, "")).toEqual({ held: false, reason: "" });
    expect(sealCheck(true, false, "on time")).toEqual({ held: false, reason: "on time" });
  });
});

describe("batch proofs", () => {
  it("have at most 32 steps, the depth of a batch of 2^32-1 documents", () => {
    const proof = (steps: number) => Array.from({ length: steps }, (_, index) => documentHash(`step ${index}`));
    const revoke = (steps: number): Action => ({ type: "revokeBatchMember", root: hash, leaf: hash, proof: proof(steps), reason: "issued in error" });
    expect(codeOf(revoke(MAX_PROOF_STEPS))).toBe("accepted");
    expect(codeOf(revoke(MAX_PROOF_STEPS + 1))).toBe("INVALID_ARGUMENT");
  });
});

describe("empty documents", () => {
  it("have one hash, the SHA-256 of zero bytes", () => {
    expect(documentHash(new Uint8Array(0))).toBe(EMPTY_DOCUMENT_HASH);
    expect(documentHash("")).toBe(EMPTY_DOCUMENT_HASH);
  });

  it("are refused as DOCUMENT_EMPTY when anchored or as an amendment, and may still be revoked", () => {
    const anchor: Action = { type: "anchor", hash: EMPTY_DOCUMENT_HASH, id: "CO-1", kind: "CO", cid: "bafy", subjects: [] };
    expect(codeOf(anchor)).toBe("DOCUMENT_EMPTY");
    expect(codeOf({ type: "supersede", previous: hash, hash: EMPTY_DOCUMENT_HASH, id: "CO-1", cid: "bafy", subjects: [] })).toBe("DOCUMENT_EMPTY");
    // One anchored before the rule can be taken back.
    expect(codeOf({ type: "revoke", hash: EMPTY_DOCUMENT_HASH, reason: "the file was empty" })).toBe("accepted");
  });

  it("are refused in a batch, naming the member's position, whatever the case of its hex", () => {
    const members = [documentHash("one"), documentHash("two"), EMPTY_DOCUMENT_HASH.toUpperCase().replace("0X", "0x") as `0x${string}`];
    try {
      buildBatch(members);
      expect.unreachable();
    } catch (error) {
      expect((error as TraceGateError).code).toBe("DOCUMENT_EMPTY");
      expect((error as TraceGateError).message).toMatch(/document 3 of the batch is empty \(0 bytes\)/);
    }
    expect(() => buildBatch(members.slice(0, 2))).not.toThrow();
  });
});
