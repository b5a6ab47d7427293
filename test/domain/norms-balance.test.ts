import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_QUANTITY,
  NO_MOVEMENTS,
  TraceGateError,
  addMovements,
  allowedConsumption,
  discrepanciesOf,
  isFlagged,
  materialFigures,
  movedPairs,
  movementsOf,
  normDeviations,
  reconcile,
  type CustodyEvent,
  type LedgerEvent,
  type MaterialBalance,
  type Norm,
  type Period,
} from "../../domain/index.js";
import { DomainLedger } from "../conformance/domain-ledger.js";
import { scriptArb, ScriptContext } from "../differential/generator.js";
import { START_TIME, setUpWorld } from "../differential/setup.js";
import { MATERIALS } from "../differential/world.js";

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

/** A transform event as the ledger writes it (deviations and flag from the domain's own norm arithmetic). */
function transform(norm: Norm, produced: bigint, consumed: bigint, time: bigint): CustodyEvent {
  const deviations = normDeviations(norm, produced, [{ material: "FABRIC", quantity: consumed }]);
  const input = {
    id: `IN-${time}`,
    material: "FABRIC",
    hsCode: "52085200",
    unit: "MTR",
    quantity: 0n,
    owner: norm.owner,
    custodian: norm.owner,
    location: "F1",
    state: "IN_PRODUCTION" as const,
    priorState: "NONE" as const,
    direction: "IMPORT" as const,
    preferenceClaimed: false,
    permitRequired: false,
    declaration: null,
    seal: "",
    destination: "",
    deadline: 0n,
  };
  return {
    type: "custody",
    action: "transform",
    actor: norm.owner,
    facility: "",
    documents: [norm.document],
    reason: "",
    deviations,
    flagged: isFlagged(deviations),
    consumed: [{ lot: input.id, quantity: consumed }],
    transitions: [
      { from: "NONE", lot: { ...input, id: `OUT-${time}`, material: norm.product, quantity: produced, state: "PRODUCED", direction: "NONE" } },
      { from: "IN_PRODUCTION", lot: input },
    ],
    time,
  };
}

function reconciled(events: readonly LedgerEvent[], period: Period, declared: bigint | null = null) {
  const { balance, use } = materialFigures(events, "GARMENT", "FABRIC", period);
  const row = reconcile(balance, use, declared);
  return { row, discrepancies: discrepanciesOf(row, declared !== null) };
}

const batch = fc.record({
  produced: fc.bigInt({ min: 1n, max: 100_000n }),
  share: fc.integer({ min: 0, max: 100 }),
  gap: fc.bigInt({ min: 1n, max: 86_400n * 30n }),
});

describe("consumption against the norm for what was produced", () => {
  const shirts = norm(100n, 120n, 500);

  it("never flags consumption within norm × produced × (1 + waste), however it is spread over transforms", () => {
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 20 }), (batches) => {
        let time = 0n;
        const events = batches.map(({ produced, share, gap }) => {
          time += gap;
          return transform(shirts, produced, (allowedConsumption(shirts, "FABRIC", produced) * BigInt(share)) / 100n, time);
        });
        const { row, discrepancies } = reconciled(events, { from: 0n, to: time + 1n });
        expect(discrepancies).toEqual([]);
        expect(row.expected).toBe(batches.reduce((sum, { produced }) => sum + allowedConsumption(shirts, "FABRIC", produced), 0n));
        expect(row.consumptionDifference <= 0n).toBe(true);
      }),
    );
  });

  it("shows one transform over its norm with its own figures, which savings in other transforms do not hide", () => {
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 20 }), fc.nat(19), fc.bigInt({ min: 1n, max: 10_000n }), (batches, pick, excess) => {
        let time = 0n;
        const over = pick % batches.length;
        const events = batches.map(({ produced, share, gap }, index) => {
          time += gap;
          const allowed = allowedConsumption(shirts, "FABRIC", produced);
          return transform(shirts, produced, index === over ? allowed + excess : (allowed * BigInt(share)) / 100n, time);
        });
        const { row, discrepancies } = reconciled(events, { from: 0n, to: time + 1n });
        expect(discrepancies).toEqual([{ kind: "CONSUMED_OVER_NORM", amount: excess }]);
        expect(row.overNormAllowed).toBe(allowedConsumption(shirts, "FABRIC", batches[over]!.produced));
        expect(row.overNormConsumed).toBe(row.overNormAllowed + excess);
      }),
    );
  });

  it("worked example: 100 shirts allow 126 m; 140 m used shows 14 over, the 90 m of the next 100 shirts do not offset it", () => {
    const events = [transform(shirts, 100n, 140n, 10n), transform(shirts, 100n, 90n, 20n)];
    const { row, discrepancies } = reconciled(events, { from: 0n, to: 30n });
    expect(row).toMatchObject({ consumed: 230n, expected: 252n, consumptionDifference: -22n, overNormConsumed: 140n, overNormAllowed: 126n });
    expect(discrepancies).toEqual([{ kind: "CONSUMED_OVER_NORM", amount: 14n }]);
    expect(reconciled(events, { from: 15n, to: 30n }).discrepancies).toEqual([]);
  });
});

describe("norm use of one transform", () => {
  const shirts = norm(100n, 120n, 500);

  it("counts a material the norm does not name as consumed over it, all of it", () => {
    const event = transform(shirts, 100n, 100n, 10n);
    const foreign = {
      ...event,
      deviations: normDeviations(shirts, 100n, [
        { material: "FABRIC", quantity: 100n },
        { material: "BUTTON", quantity: 7n },
      ]),
    };
    expect(movementsOf(foreign, "GARMENT", "BUTTON")).toMatchObject({ allowed: 0n, overConsumed: 7n, overAllowed: 0n });
    expect(movementsOf(foreign, "GARMENT", "FABRIC")).toMatchObject({ allowed: 126n, overConsumed: 0n, overAllowed: 0n });
  });

  it("belongs to the enterprise that transformed, never to another", () => {
    const event = transform(shirts, 100n, 140n, 10n);
    expect(movementsOf(event, "GARMENT", "FABRIC")).toEqual({
      received: 0n,
      consumed: 140n,
      destroyed: 0n,
      allowed: 126n,
      overConsumed: 140n,
      overAllowed: 126n,
    });
    expect(movementsOf(event, "ELECTRO", "FABRIC")).toEqual(NO_MOVEMENTS);
    expect(movedPairs(event)).toEqual([
      ["GARMENT", "SHIRT"],
      ["GARMENT", "FABRIC"],
    ]);
  });
});

describe("reconciliation", () => {
  const balance: MaterialBalance = {
    enterprise: "GARMENT",
    material: "FABRIC",
    opening: 100n,
    received: 1_000n,
    consumed: 700n,
    destroyed: 20n,
    closing: 380n,
  };

  it("reports book vs declared vs expected, and only what is wrong as a discrepancy", () => {
    const row = reconcile(balance, { allowed: 720n, overConsumed: 0n, overAllowed: 0n }, 400n);
    expect(row).toEqual({
      material: "FABRIC",
      book: 380n,
      declared: 400n,
      consumed: 700n,
      expected: 720n,
      consumptionDifference: -20n,
      overNormConsumed: 0n,
      overNormAllowed: 0n,
      stockDifference: 20n,
    });
    expect(discrepanciesOf(row, true)).toEqual([{ kind: "STOCK_MISMATCH", amount: 20n }]);
    expect(discrepanciesOf(reconcile(balance, { allowed: 720n, overConsumed: 0n, overAllowed: 0n }, 380n), true)).toEqual([]);
    expect(discrepanciesOf(reconcile(balance, { allowed: 720n, overConsumed: 0n, overAllowed: 0n }, null), true)).toEqual([
      { kind: "NOT_DECLARED", amount: 380n },
    ]);
    expect(discrepanciesOf(reconcile(balance, { allowed: 720n, overConsumed: 0n, overAllowed: 0n }, null), false)).toEqual([]);
  });
});

describe("balances over any ledger history (random action sequences)", () => {
  async function history(script: Parameters<ScriptContext["concretize"]>[0][]): Promise<LedgerEvent[]> {
    const ledger = new DomainLedger();
    await setUpWorld(ledger);
    const context = new ScriptContext(ledger);
    for (const [index, choice] of script.entries()) {
      const { actor, action } = context.concretize(choice);
      try {
        await ledger.submit(actor, action, START_TIME + BigInt(index) * 10n);
      } catch (error) {
        if (!(error instanceof TraceGateError)) throw error;
      }
    }
    return ledger.events;
  }

  const cuts = fc
    .uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 4 })
    .map((offsets) => offsets.sort((a, b) => a - b).map((offset) => START_TIME + BigInt(offset)));

  it("periods chain (each closes at the next one's opening) and add up to the whole: the identity holds in each", async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(40), cuts, async (script, inner) => {
        const events = await history(script);
        const bounds = [0n, ...inner, 1n << 62n];
        for (const enterprise of ["GARMENT", "ELECTRO"]) {
          for (const material of MATERIALS) {
            const whole = materialFigures(events, enterprise, material, { from: 0n, to: 1n << 62n });
            let carried = 0n;
            let summed = { ...NO_MOVEMENTS };
            for (let index = 0; index + 1 < bounds.length; index++) {
              const { balance, use } = materialFigures(events, enterprise, material, { from: bounds[index]!, to: bounds[index + 1]! });
              expect(balance.opening).toBe(carried);
              expect(balance.closing).toBe(balance.opening + balance.received - balance.consumed - balance.destroyed);
              carried = balance.closing;
              summed = addMovements(summed, { ...balance, ...use });
            }
            expect(carried).toBe(whole.balance.closing);
            expect(summed).toEqual({ received: whole.balance.received, consumed: whole.balance.consumed, destroyed: whole.balance.destroyed, ...whole.use });
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a material shows over-norm consumption exactly when one of the enterprise's transforms was flagged for it", async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(40), async (script) => {
        const events = await history(script);
        for (const enterprise of ["GARMENT", "ELECTRO"]) {
          for (const material of MATERIALS) {
            const { use } = materialFigures(events, enterprise, material, { from: 0n, to: 1n << 62n });
            const flagged = events.some(
              (event) =>
                event.type === "custody" &&
                event.action === "transform" &&
                event.actor === enterprise &&
                event.deviations.some((row) => row.material === material && row.consumed > row.expected),
            );
            expect(use.overConsumed > use.overAllowed).toBe(flagged);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
