/**
 * What `npm start`, `npm run demo`, `npm run indexer`, `npm run api` and the `tracegate` command load
 * at run time is in `dependencies`, so that a package installed without the development tools
 * (`npm install --omit=dev`) runs them. Followed from package.json: the files those scripts run and
 * every module they import (esbuild leaves type-only imports out), the tools they call (hardhat, tsx),
 * the packages the Hardhat config loads (a build and the embedded chain read it) and the packages the
 * contracts import (compiled by `hardhat build` in `npm start`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const RUN_TIME_SCRIPTS = ["start", "demo", "indexer", "api", "tracegate"];
const HARDHAT_CONFIG = "hardhat.config.ts";

interface PackageJson {
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as PackageJson;

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** The packages `entries` import, directly or through the repository's own modules. */
async function imported(entries: string[]): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: entries,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    write: false,
    metafile: true,
    outdir: "unused",
    logLevel: "silent",
  });
  return Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageOf(i.path)));
}

function solidityFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? solidityFiles(path) : entry.name.endsWith(".sol") ? [path] : [];
  });
}

async function runTimePackages(): Promise<Set<string>> {
  const commands = RUN_TIME_SCRIPTS.map((name) => pkg.scripts[name]!);
  const files = commands.flatMap((command) => command.match(/[\w./-]+\.(?:ts|js)\b/g) ?? []);
  const tools = commands.flatMap((command) =>
    [...command.matchAll(/(?:^|&&\s*)([a-z][\w-]*)\s/g), ...command.matchAll(/--import\s+(\S+)/g)].map((match) => match[1]!),
  );
  const configRequires = [...readFileSync(HARDHAT_CONFIG, "utf8").matchAll(/require(?:\.resolve)?\("([^"]+)"\)/g)].map((match) => packageOf(match[1]!));
  const contractImports = solidityFiles("contracts").flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/^import\s+(?:[^"]*from\s+)?"([^".][^"]*)"/gm)].map((match) => packageOf(match[1]!)),
  );
  const modules = await imported([...new Set([...files, ...Object.values(pkg.bin), HARDHAT_CONFIG])]);
  // `node` is the interpreter: engines asks for Node 22 (the `node` package is a development convenience).
  return new Set([...tools, ...configRequires, ...contractImports, ...modules].filter((name) => name !== "node"));
}

describe("dependencies", () => {
  it("hold every package the product's commands load at run time", async () => {
    const needed = await runTimePackages();
    for (const known of ["tsx", "ethers", "hardhat", "solc", "@openzeppelin/contracts", "@nomicfoundation/hardhat-ignition", "graphql-yoga"])
      expect(needed).toContain(known);
    expect([...needed].filter((name) => pkg.dependencies[name] === undefined).sort()).toEqual([]);
  }, 60_000);
});
