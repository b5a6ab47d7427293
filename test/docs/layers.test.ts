/**
 * Imports go one way (.dependency-cruiser.cjs, docs/architecture.md): the tree has no import against
 * the layers and no run-time cycle; and the rules do catch one, in a small tree that breaks them.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const FOLDERS = ["domain", "chaincode", "sdk", "indexer", "api", "product", "scripts", "seeds"];
const config = createRequire(import.meta.url)(resolve(".dependency-cruiser.cjs"));

async function violations(baseDir: string, folders: string[]): Promise<string[]> {
  const { forbidden, options } = config;
  const result = await cruise(folders, { ...options, baseDir, ruleSet: { forbidden }, validate: true, outputType: "json" });
  const output = (typeof result.output === "string" ? JSON.parse(result.output) : result.output) as ICruiseResult;
  return output.summary.violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`);
}

describe("layers", () => {
  it("the tree imports down only, without run-time cycles", async () => {
    expect(await violations(process.cwd(), FOLDERS)).toEqual([]);
  }, 120_000);

  it("catches an import up, the API in the indexer's write path, a cycle, and the chain or seeds using the product", async () => {
    const tree = await mkdtemp(join(tmpdir(), "tracegate-layers-"));
    try {
      const file = async (path: string, text: string) => {
        await mkdir(join(tree, path, ".."), { recursive: true });
        await writeFile(join(tree, path), text);
      };
      await file("domain/rule.ts", 'import { route } from "../api/route.js";\nexport const rule = route;\n');
      await file("api/route.ts", "export const route = 1;\n");
      await file("sdk/a.ts", 'import { b } from "./b.js";\nexport const a = () => b;\n');
      await file("sdk/b.ts", 'import { a } from "./a.js";\nexport const b = () => a;\n');
      await file("api/read.ts", 'import { insert } from "../indexer/store/write/rows.js";\nexport const read = insert;\n');
      await file("indexer/store/write/rows.ts", "export const insert = 1;\n");
      await file("product/start.ts", "export const start = 1;\n");
      await file("product/chain/node.ts", 'import { start } from "../start.js";\nexport const node = start;\n');
      await file(
        "seeds/load.ts",
        'import { node } from "../product/chain/node.js";\nimport { start } from "../product/start.js";\nexport const load = [node, start];\n',
      );
      const found = await violations(tree, ["domain", "api", "sdk", "indexer", "product", "seeds"]);
      expect(found).toContain("domain-imports-down-only: domain/rule.ts → api/route.ts");
      expect(found).toContain("store-through-its-entry: api/read.ts → indexer/store/write/rows.ts");
      expect(found.some((line) => line.startsWith("no-cycles: sdk/"))).toBe(true);
      expect(found).toContain("product/chain-imports-down-only: product/chain/node.ts → product/start.ts");
      expect(found).toContain("seeds-imports-down-only: seeds/load.ts → product/start.ts");
      expect(found).not.toContain("seeds-imports-down-only: seeds/load.ts → product/chain/node.ts");
    } finally {
      await rm(tree, { recursive: true, force: true });
    }
  }, 120_000);
});
