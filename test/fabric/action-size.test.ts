/**
 * The chaincode's bound on its action argument: far above the largest valid action (every field at its
 * limit, every character escaped in JSON), and checked before the argument is parsed.
 */
import { describe, expect, it } from "vitest";
import {
  MAX_ID_LENGTH,
  MAX_PARTS,
  MAX_PROOF_STEPS,
  MAX_QUANTITY,
  MAX_REASON_BYTES,
  type TraceGateError,
  validateAction,
  type Action,
} from "../../domain/index.js";
import { decodeAction, encodeJson, MAX_ACTION_JSON_BYTES } from "../../chaincode/src/codec.js";

/** Ids of `"` and `\`, which JSON escapes: the longest each can be written. */
const id = (index: number) => `${index}`.padEnd(MAX_ID_LENGTH, index % 2 === 0 ? '"' : "\\");
const parts = (from: number) => Array.from({ length: MAX_PARTS }, (_, index) => ({ lot: id(from + index), quantity: MAX_QUANTITY }));
/** 500 control characters, each written \u0001 (6 bytes) in JSON. */
const reason = "\u0001".repeat(MAX_REASON_BYTES);
const hash = (index: number) => `0x${index.toString(16).padStart(64, "a")}` as const;

const largest: Action[] = [
  { type: "transform", product: id(999), inputs: parts(0), outputs: parts(100) },
  { type: "revokeBatchMember", root: hash(1), leaf: hash(2), proof: Array.from({ length: MAX_PROOF_STEPS }, (_, index) => hash(index + 3)), reason },
  { type: "split", lot: id(999), parts: parts(0) },
  {
    type: "registerNorm",
    product: id(1),
    hsCode: id(2),
    unit: id(3),
    outputQuantity: MAX_QUANTITY,
    inputs: parts(0).map(({ lot }) => ({ material: lot, quantity: MAX_QUANTITY, wasteBps: 10_000 })),
    document: hash(4),
  },
  { type: "unseal", lot: id(1), facility: id(2), sealIntact: false, reason },
  { type: "alert", lot: id(1), seal: id(2), alert: "ROUTE_DEVIATION", detail: reason },
  { type: "seal", lot: id(1), facility: id(2), seal: id(3), deadline: (1n << 64n) - 1n, transit: hash(5) },
];

describe("the chaincode's action argument", () => {
  it("holds every valid action with room to spare", () => {
    for (const action of largest) {
      validateAction(action);
      const json = encodeJson(action);
      expect(Buffer.byteLength(json), action.type).toBeLessThan(MAX_ACTION_JSON_BYTES / 2);
      expect(decodeAction(json)).toEqual(action);
    }
  });

  it("is refused as TEXT_TOO_LONG above the bound, before it is parsed", () => {
    const refusal = (json: string) => {
      try {
        decodeAction(json);
        return "accepted";
      } catch (error) {
        return (error as TraceGateError).code;
      }
    };
    // Not JSON at all: parsed, it would be INVALID_ARGUMENT.
    expect(refusal("{".repeat(MAX_ACTION_JSON_BYTES))).toBe("INVALID_ARGUMENT");
    expect(refusal("{".repeat(MAX_ACTION_JSON_BYTES + 1))).toBe("TEXT_TOO_LONG");
    // Measured in bytes: 5,462 three-byte letters are 16,386 bytes.
    expect(refusal(encodeJson({ type: "hold", lot: "LOT-1", reason: "ệ".repeat(5_462) }))).toBe("TEXT_TOO_LONG");
  });
});
