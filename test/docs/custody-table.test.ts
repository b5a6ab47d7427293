/** docs/custody-table.md shows the custody table as domain/custody-table.ts holds it, so it cannot go stale. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CUSTODY_TABLE } from "../../domain/custody-table.js";
import { BEGIN, END, custodyTableMarkdown } from "./custody-table-markdown.js";

const DOC = new URL("../../docs/custody-table.md", import.meta.url);

function renderedBlock(text: string): string {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  expect(start, `docs/custody-table.md lacks the line ${BEGIN}`).toBeGreaterThanOrEqual(0);
  expect(end, `docs/custody-table.md lacks the line ${END}`).toBeGreaterThan(start);
  return text.slice(start + BEGIN.length, end).trim();
}

describe("docs/custody-table.md", () => {
  const text = readFileSync(DOC, "utf8");

  it("shows every row of CUSTODY_TABLE exactly (on a change, paste custodyTableMarkdown()'s output)", () => {
    expect(renderedBlock(text)).toBe(custodyTableMarkdown());
  });

  it("explains every permission the table uses", () => {
    const permissions = new Set(Object.values(CUSTODY_TABLE).map((rule) => rule.who));
    const explanations = text.slice(text.indexOf(END));
    for (const permission of permissions) expect(explanations).toContain(`| \`${permission}\` |`);
  });
});
