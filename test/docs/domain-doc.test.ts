/** docs/domain.md explains every error code a ledger can answer, so a new code cannot go undocumented. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { ERROR_CODES } from "../../domain/errors.js";

it("docs/domain.md has a row for every error code", () => {
  const text = readFileSync(new URL("../../docs/domain.md", import.meta.url), "utf8");
  const missing = ERROR_CODES.filter((code) => !text.includes(`| \`${code}\` |`));
  expect(missing).toEqual([]);
});
