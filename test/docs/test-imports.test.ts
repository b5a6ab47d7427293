/**
 * The product and its tools never import from test/: fixtures that benches and tests share live in
 * scripts/workloads and scripts/harness. (The full layering rule is issue #14's; this holds the line
 * that was crossed.)
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, normalize, join } from "node:path";
import { describe, expect, it } from "vitest";

const IMPORT = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

describe("imports", () => {
  it("no source outside test/ imports a file under test/", () => {
    const sources = execFileSync("git", ["ls-files", "*.ts", "*.mts", "*.js"], { encoding: "utf8" })
      .split("\n")
      .filter((file) => file !== "" && !file.startsWith("test/") && !file.includes("node_modules"));
    expect(sources.length).toBeGreaterThan(100);
    const crossings = sources.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(IMPORT)]
        .map((match) => normalize(join(dirname(file), match[1]!)))
        .filter((target) => target.startsWith("test/"))
        .map((target) => `${file} -> ${target}`),
    );
    expect(crossings).toEqual([]);
  });
});
