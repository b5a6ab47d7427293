import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_QUANTITY,
  allowedConsumption,
  expectedConsumption,
  isFlagged,
  normDeviations,
  reconcile,
  type MaterialBalance,
  type Norm,
} from "../../domain/index.js";

const quantity = fc.bigInt({ min: 1n, max: MAX_QUANTITY });
const norm = (outputQuantity: bigint, quantityPer: bigint, wasteBps: number): Norm => ({
  owner: "GARMENT",
  product: "SHIRT",
  hsCode: "62052000",
  unit: "PCE",
  outputQuantity,
  inputs: [{ material: "FABRIC", quantity: quantityPer, wasteBps }],
  document: `0x${"11".repeat(32)}`,
});

describe("norm arithmetic", () => {
  it("allows the exact ceiling of produced × norm × (1 + waste)", () => {
    fc.assert(
      fc.property(quantity, quantity, quantity, fc.integer({ min: 0, max: 10_000 }), (out, per, produced, waste) => {
        const allowed = allowedConsumption(norm(out, per, waste), "FABRIC", produced);
        const exact = produced * per * BigInt(10_000 + waste);
        const denominator = out * 10_000n;
        expect(allowed * denominator >= exact).toBe(true);
        expect((allowed - 1n) * denominator < exact).toBe(true);
      }),
    );
  });

  it("is monotone in the quantity produced and in the waste allowance", () => {
    fc.assert(
      fc.property(quantity, quantity, quantity, quantity, fc.integer({ min: 0, max: 9_999 }), (out, per, a, b, waste) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const n = norm(out, per, waste);
        expect(allowedConsumption(n, "FABRIC", small) <= allowedConsumption(n, "FABRIC", large)).toBe(true);
        expect(allowedConsumption(n, "FABRIC", a) <= allowedConsumption(norm(out, per, waste + 1), "FABRIC", a)).toBe(true);
      }),
    );
  });

  it("worked example: 100 shirts at 120 m per 100 plus 5% waste allow 126 m", () => {
    const shirts = norm(100n, 120n, 500);
    expect(allowedConsumption(shirts, "FABRIC", 100n)).toBe(126n);
    expect(allowedConsumption(shirts, "FABRIC", 1n)).toBe(2n); // 1.26 rounds up
    expect(allowedConsumption(shirts, "THREAD", 100n)).toBe(0n);
  });

  it("flags over-consumption and materials outside the norm, never consumption within it", () => {
    const shirts = norm(100n, 120n, 500);
    const within = normDeviations(shirts, 100n, [{ material: "FABRIC", quantity: 126n }]);
    expect(within).toEqual([{ material: "FABRIC", expected: 126n, consumed: 126n }]);
    expect(isFlagged(within)).toBe(false);
    expect(isFlagged(normDeviations(shirts, 100n, [{ material: "FABRIC", quantity: 127n }]))).toBe(true);
    const foreign = normDeviations(shirts, 100n, [
      { material: "FABRIC", quantity: 50n },
      { material: "BUTTON", quantity: 3n },
      { material: "FABRIC", quantity: 10n },
    ]);
    expect(foreign).toEqual([
      { material: "FABRIC", expected: 126n, consumed: 60n },
      { material: "BUTTON", expected: 0n, consumed: 3n },
    ]);
    expect(isFlagged(foreign)).toBe(true);
  });
});

describe("material balance", () => {
  it("expected consumption sums the norm over every export", () => {
    const shirts = norm(100n, 120n, 500);
    expect(expectedConsumption([{ norm: shirts, quantity: 100n }, { norm: shirts, quantity: 1n }], "FABRIC")).toBe(128n);
  });

  it("reconciliation reports book vs declared vs expected differences", () => {
    const balance: MaterialBalance = {
      enterprise: "GARMENT",
      material: "FABRIC",
      opening: 100n,
      received: 1_000n,
      consumed: 700n,
      destroyed: 20n,
      closing: 380n,
    };
    expect(reconcile(balance, 650n, 400n)).toEqual({
      material: "FABRIC",
      book: 380n,
      declared: 400n,
      consumed: 700n,
      expected: 650n,
      consumptionDifference: 50n,
      stockDifference: 20n,
    });
    expect(reconcile(balance, 700n, null).stockDifference).toBeNull();
  });
});
