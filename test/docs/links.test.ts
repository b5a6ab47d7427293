/**
 * The repository explains itself from a fresh clone: every relative link in every Markdown file leads
 * to a file or folder inside the repository (never out of it, as `../shared/` did), and every
 * `#anchor` to a heading of the Markdown file it names.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { headingAnchors, markdownLinks } from "./markdown.js";

const ROOT = resolve(import.meta.dirname, "../..");
/** Folders of installed, generated or ignored files (.gitignore), which no clone has as such. */
const SKIPPED = new Set([".git", "node_modules", "artifacts", "cache", "coverage", "build", ".tracegate", "test-artifacts", "types"]);

function markdownFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

/** What is wrong with one link of `file`, or undefined when it resolves. */
function brokenLink(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: — not a file of the repository
  const [pathPart = "", anchor] = target.split("#", 2) as [string, string | undefined];
  const path = decodeURI(pathPart.split("?")[0]!);
  if (path.startsWith("/")) return "an absolute path: link relative to the file";
  const resolved = path === "" ? file : resolve(dirname(file), path);
  const inside = relative(ROOT, resolved);
  if (inside.startsWith("..") || inside.split(sep).some((part) => SKIPPED.has(part))) {
    return "leaves the repository (or points into an ignored folder)";
  }
  if (!existsSync(resolved)) return "no such file";
  if (anchor !== undefined && anchor !== "" && resolved.endsWith(".md") && statSync(resolved).isFile()) {
    if (!headingAnchors(readFileSync(resolved, "utf8")).has(anchor)) return `no heading #${anchor} there`;
  }
  return undefined;
}

describe("Markdown links", () => {
  const files = markdownFiles(ROOT);

  it("finds the repository's documents", () => {
    const names = files.map((file) => relative(ROOT, file));
    for (const name of ["README.md", "CONTRIBUTING.md", "SECURITY.md", "CHANGELOG.md", join("docs", "README.md")]) {
      expect(names).toContain(name);
    }
  });

  it("every relative link resolves inside the repository", () => {
    const broken = files.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return markdownLinks(text).flatMap(({ target, line }) => {
        const problem = brokenLink(file, target);
        return problem === undefined ? [] : [`${relative(ROOT, file)}:${line} (${target}): ${problem}`];
      });
    });
    expect(broken).toEqual([]);
  });

  it("refuses a link out of the repository, a missing file and a missing heading", () => {
    const readme = join(ROOT, "README.md");
    expect(brokenLink(readme, "../shared/DESIGN.md")).toMatch(/leaves the repository/);
    expect(brokenLink(readme, "docs/no-such-page.md")).toBe("no such file");
    expect(brokenLink(readme, "docs/README.md#no-such-heading")).toBe("no heading #no-such-heading there");
    expect(brokenLink(readme, "/etc/passwd")).toMatch(/absolute path/);
    expect(brokenLink(readme, "node_modules/long/LICENSE")).toMatch(/ignored folder/);
    expect(brokenLink(readme, "LICENSE")).toBeUndefined();
    expect(brokenLink(readme, "https://www.apache.org/licenses/LICENSE-2.0")).toBeUndefined();
  });
});

describe("markdownLinks", () => {
  it("finds a link whose text wraps onto the next line, and none in code", () => {
    const text = ["see [the custody", "table](docs/custody-table.md) and `[no](code.md)`", "```", "[nor](fenced.md)", "```", "[ref]: docs/README.md"].join(
      "\n",
    );
    expect(markdownLinks(text)).toEqual([
      { target: "docs/custody-table.md", line: 1 },
      { target: "docs/README.md", line: 6 },
    ]);
  });
});
