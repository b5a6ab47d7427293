import { describe, expect, it } from "vitest";
import { withBenchTable } from "../../scripts/bench/readme.js";
import { scaleMarkdown } from "../../scripts/bench/scale.js";
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
    const both = `${readme}<!-- scale:begin -->\nold\n<!-- scale:end -->\n`;
    expect(withBenchTable(both, "new", "scale")).toBe(`${readme}<!-- scale:begin -->\nnew\n<!-- scale:end -->\n`);
  });

  it("puts each scale store in its own column and marks a p99 over its target", () => {
    const table = scaleMarkdown({
      pg_1m_events: 969_125,
      pg_1m_lot_history_p50_ms: 4.2,
      pg_1m_lot_history_p99_ms: 12.5,
      pg_1m_verify_p50_ms: 1,
      pg_1m_verify_p99_ms: 4.99,
      sqlite_1m_events: 969_125,
      sqlite_1m_lot_history_p50_ms: 2,
      sqlite_1m_lot_history_p99_ms: 9.5,
      pg_10m_events: 9_700_000,
    }).split("\n");
    expect(table[0]).toBe("| measure | target | PostgreSQL 1M | SQLite 1M | PostgreSQL 10M |");
    expect(table.find((line) => line.startsWith("| lot history"))).toBe(
      "| lot history (50 events, their documents), p50 / p99 ms | p99 ≤ 10 | 4.2 / **12.5** (over) | 2 / 9.5 | — / — |",
    );
    expect(table.find((line) => line.startsWith("| verify"))).toBe("| verify a document by hash, p50 / p99 ms | p99 ≤ 5 | 1 / 4.99 | — / — | — / — |");
  });
});
