import type { Id, Norm, NormDeviation } from "./types.js";

const BPS = 10_000n;

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/**
 * Material a norm allows for `produced` units of its product, waste included, rounded up to a whole
 * unit (the enterprise is not flagged for a fraction it cannot consume).
 */
export function allowedConsumption(norm: Norm, material: Id, produced: bigint): bigint {
  const input = norm.inputs.find((candidate) => candidate.material === material);
  if (input === undefined) return 0n;
  return ceilDiv(produced * input.quantity * (BPS + BigInt(input.wasteBps)), norm.outputQuantity * BPS);
}

/**
 * Compares what a transform consumed with its norm: one row per norm material (in norm order), then
 * one per consumed material the norm does not name (in order of first appearance).
 */
export function normDeviations(norm: Norm, produced: bigint, consumed: ReadonlyArray<{ material: Id; quantity: bigint }>): NormDeviation[] {
  const materials = [...norm.inputs.map((input) => input.material)];
  for (const { material } of consumed) if (!materials.includes(material)) materials.push(material);
  return materials.map((material) => ({
    material,
    expected: allowedConsumption(norm, material, produced),
    consumed: consumed.filter((c) => c.material === material).reduce((sum, c) => sum + c.quantity, 0n),
  }));
}

/** Over-consumption is what customs flags: material used beyond the norm may have been diverted. */
export function isFlagged(deviations: readonly NormDeviation[]): boolean {
  return deviations.some((row) => row.consumed > row.expected);
}
