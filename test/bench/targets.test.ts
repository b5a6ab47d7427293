import { describe, expect, it } from "vitest";
import { withBenchTable } from "../../scripts/bench/readme.js";
import { checkTargets, targetsMarkdown } from "../../scripts/bench/targets.js";

describe("benchmark targets", () => {
  it("judges each measure against its bound, and leaves out what a run did not measure", () => {
    const rows = checkTargets(
      new Map([
        ["anchor (1 subject, 59-char CID)", 55_874],
        ["TradeTrust DocumentStore.issue", 47_899],
        ["indexer_sqlite_ingest_events_per_s", 14_267],
        ["verify_p99_ms", 5],
      ]),
    );
    expect(rows.map(({ name, measured, met }) => [name, measured, met])).toEqual([
      ["single anchor, × TradeTrust issue", 1.17, true],
      ["indexer ingest into SQLite", 14_267, false],
      ["API verify p99", 5, true],
    ]);
    expect(targetsMarkdown(rows).split("\n")[3]).toBe("| indexer ingest into SQLite | 14,267 events/s | ≥ 50,000 events/s | **no** |");
  });

  it("replaces only the README's bench section", () => {
    const readme = "# T\n<!-- bench:begin -->\nold\n<!-- bench:end -->\nafter\n";
    expect(withBenchTable(readme, "new")).toBe("# T\n<!-- bench:begin -->\nnew\n<!-- bench:end -->\nafter\n");
    expect(() => withBenchTable("# T\n", "new")).toThrow(/no <!-- bench:begin -->/);
  });
});
