import { describe, expect, it } from "vitest";
import { BalanceReportError, parseBalanceReport, serializeBalanceReport, type BalanceReport } from "../../sdk/balance-report.js";

const report: BalanceReport = {
  enterprise: "ENT-1",
  period: { from: 1_800_000_000n, to: 1_800_086_400n },
  // Beyond 2^53: a quantity stays exact through its decimal string.
  closing: new Map([
    ["FABRIC", 0n],
    ["THREAD", 9_007_199_254_740_993n],
  ]),
};

/** The BalanceReportError's field for a report changed by `change`, or "accepted". */
function refusal(change: (copy: any) => void): { field: string; message: string } | "accepted" {
  const copy = JSON.parse(serializeBalanceReport(report));
  change(copy);
  try {
    parseBalanceReport(JSON.stringify(copy));
    return "accepted";
  } catch (error) {
    if (!(error instanceof BalanceReportError)) throw error;
    return { field: error.field, message: error.message };
  }
}

describe("balance reports", () => {
  it("round-trip, quantities exact", () => {
    expect(parseBalanceReport(serializeBalanceReport(report))).toEqual(report);
  });

  it("are refused with a BalanceReportError naming the field that is wrong", () => {
    expect(refusal((copy) => (copy.format = "csv"))).toMatchObject({ field: "format" });
    expect(refusal((copy) => (copy.version = 2))).toMatchObject({ field: "version", message: expect.stringMatching(/version 2 is not supported/) });
    expect(refusal((copy) => (copy.enterprise = "has space"))).toMatchObject({ field: "enterprise" });
    expect(refusal((copy) => (copy.period.to = "tomorrow"))).toMatchObject({ field: "period.to" });
    expect(refusal((copy) => (copy.period.from = "2027-01-15T00:00:00.500Z"))).toMatchObject({ field: "period.from" });
    expect(refusal((copy) => (copy.period.from = copy.period.to))).toMatchObject({ field: "period" });
    expect(refusal((copy) => (copy.materials[1].closing = 40))).toMatchObject({ field: "materials[1].closing" });
    expect(refusal((copy) => (copy.materials[1].closing = "-40"))).toMatchObject({ field: "materials[1].closing" });
    expect(refusal((copy) => copy.materials.push({ material: "FABRIC", closing: "1" }))).toMatchObject({ field: "materials[2].material" });
    // A misspelt key is refused, not ignored.
    expect(refusal((copy) => (copy.materials[0].closng = "1"))).toMatchObject({ field: "materials[0]" });
    expect(() => parseBalanceReport("{")).toThrow(BalanceReportError);
  });
});
