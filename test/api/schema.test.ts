/** The printed schema is checked in: a change to the API's contract shows up in review, never by accident. */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { printedSchema } from "../../api/schema/index.js";

describe("api/schema.graphql", () => {
  it("is the schema the code builds (after a deliberate change: npm run api:schema)", async () => {
    expect(printedSchema()).toBe(await readFile(new URL("../../api/schema.graphql", import.meta.url), "utf8"));
  });
});
