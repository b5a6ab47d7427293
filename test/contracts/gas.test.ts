/**
 * Gas targets of the EVM design, from the same scenario `npm run bench` prints: anchor at most 1.2 ×
 * TradeTrust DocumentStore `issue`; a batch root at most 60k whatever the batch size (≤ 60 gas per
 * document at 1,000); every custody action that writes one existing lot and reads at most one registry
 * record beside the caller's membership at most 60k, one that reads two (clear with a CO: the declaration
 * and the CO; seal: the destination and the transit declaration) at most 65k. Declaring a new lot (a new
 * storage slot) and the dearest clearance (one cold record read per document) are bounded at 72k. The
 * Lot's transit fields (issue #15: 3 more words in every lot sent and every event) cost each action about
 * 1.5k, which took clear with a CO past 60k and these two past 70k, their bounds before.
 * Split and transform create lots and get cheaper per lot as they grow. In an atomic batch of 10, a
 * custody action that creates no lot costs at most 35k, and a declaration of a new lot 20k less than alone.
 * The bench's own gas targets (scripts/bench/targets.ts) are checked as they are: a known miss is named
 * there and expected here, not hidden behind a looser bound.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { custodyBatchLabel } from "../../scripts/bench/custody-batches.js";
import { measureGas, type GasFigures } from "../../scripts/bench/gas.js";
import { checkTargets } from "../../scripts/bench/targets.js";

describe("gas per operation", () => {
  let figures: GasFigures;
  const gas = (label: string) => figures.gas.get(label)!;
  beforeAll(async () => {
    figures = await measureGas();
  });

  it("anchors a document for at most 1.2 × TradeTrust issue, and 1,000 documents for at most 60 gas each", () => {
    expect(gas("anchor (1 subject, 59-char CID)")).toBeLessThanOrEqual(1.2 * gas("TradeTrust DocumentStore.issue"));
    expect(gas("anchorBatch (1,000 documents)") / 1000).toBeLessThanOrEqual(60);
    // The root costs the same whatever the batch size (up to the calldata bytes of `count`).
    expect(Math.abs(gas("anchorBatch (1,000 documents)") - gas("anchorBatch (1 document)"))).toBeLessThan(100);
  });

  it("meets every gas target the bench judges, but for the known misses, which are still misses", () => {
    const rows = checkTargets(figures.gas).filter((row) => row.unit === "gas");
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      if (row.knownMiss === undefined) expect(row.met, `${row.name}: ${row.measured} against ${row.target}`).toBe(true);
      else expect(row.met, `${row.name} is met now (${row.measured}): drop its knownMiss in scripts/bench/targets.ts`).toBe(false);
    }
  });

  it("keeps every custody action that writes one existing lot and reads one registry record under 60k, two under 65k", () => {
    for (const label of [
      "arrive",
      "store",
      "hold",
      "unhold",
      "clear (declaration only)",
      "release",
      "depart",
      "receive",
      "destroy",
      "declare (produced lot)",
      "alert",
      "unseal",
      "unseal (seal broken, held)",
    ]) {
      expect(gas(label), label).toBeLessThanOrEqual(60_000);
    }
    for (const label of ["clear (declaration, CO)", "seal"]) expect(gas(label), label).toBeLessThanOrEqual(65_000);
    expect(gas("declare (new lot)")).toBeLessThanOrEqual(72_000);
    expect(gas("clear (amended declaration, CO, permit)")).toBeLessThanOrEqual(72_000);
  });

  it("cuts the gas per custody action in atomic batches, under 35k in a batch of 10 where no lot is created", () => {
    const perAction = (size: number, kind: "declare" | "movements") => gas(custodyBatchLabel(size, kind)) / size;
    expect(perAction(10, "movements")).toBeLessThanOrEqual(35_000);
    expect(perAction(10, "declare")).toBeLessThan(gas("declare (new lot)") - 20_000);
    for (const kind of ["declare", "movements"] as const) expect(perAction(100, kind)).toBeLessThan(perAction(10, kind));
  });

  it("makes splits cheaper per lot as they grow", () => {
    expect(gas("split (4 parts)") / 4).toBeLessThan(gas("split (2 parts)") / 2);
  });
});
