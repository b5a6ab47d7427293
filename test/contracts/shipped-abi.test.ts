/**
 * The ABIs the repository ships (sdk/evm/abi/, read by the SDK, indexer and API) are the compiled
 * contracts' own: `npm test` builds the contracts first, and this fails when a contract changed and
 * `npm run abi` was not run.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { shippedAbis } from "../../scripts/contracts/export-abi.js";

describe("shipped ABIs", () => {
  it("equal the freshly compiled contracts' (run `npm run abi` after changing a contract)", async () => {
    for (const { path, text } of await shippedAbis()) {
      expect(JSON.parse(await readFile(new URL(`../../${path}`, import.meta.url), "utf8")), `${path} is stale: run \`npm run abi\``).toEqual(JSON.parse(text));
    }
  });
});
