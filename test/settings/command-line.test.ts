/**
 * Every command reads its command line the same way (sdk/settings/command-line.ts): `--help` prints the
 * usage and exits 0 without starting anything; an unknown option or a missing value is named with the
 * usage and exits 2, never a stack trace. Each command is started once with --help (that it reads its
 * line through the reader); the refusals are checked on the reader itself, in a process of its own.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);

const COMMANDS = {
  indexer: "indexer/main.ts",
  api: "api/main.ts",
  seed: "seeds/main.ts",
  demo: "product/demo.ts",
} as const;

/** A command line read by the reader alone, as a command reads it: the usage, and the options --store and --quick. */
const READER_ALONE = `
import { readCommandLine } from ${JSON.stringify(resolve("sdk/settings/command-line.ts"))};
const values = readCommandLine("usage: npm run example -- --store PATH [--quick]", { store: { type: "string" }, quick: { type: "boolean" } });
process.stdout.write(JSON.stringify(values));
`;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

describe("the commands' command lines", () => {
  let home: string;
  let scratch: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "tracegate-command-line-"));
    scratch = await mkdtemp(join(tmpdir(), "tracegate-command-line-reader-"));
    await writeFile(join(scratch, "reader.ts"), READER_ALONE);
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  async function node(args: string[]): Promise<Outcome> {
    // An empty home and no ledger: a command that got past its command line would fail differently.
    const env = { PATH: process.env.PATH, TRACEGATE_HOME: home };
    try {
      const { stdout, stderr } = await run(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", ...args], { env, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout: string; stderr: string };
      return { code: failed.code ?? -1, stdout: failed.stdout, stderr: failed.stderr };
    }
  }
  const reader = (args: string[]) => node([join(scratch, "reader.ts"), ...args]);

  it("--help prints each command's usage and exits 0, creating nothing", async () => {
    const outcomes = await Promise.all(Object.values(COMMANDS).map((file) => node([file, "--help"])));
    for (const [index, outcome] of outcomes.entries()) {
      expect(outcome, Object.keys(COMMANDS)[index]).toMatchObject({ code: 0, stderr: "" });
      expect(outcome.stdout).toMatch(/^usage: npm run /);
    }
    expect(await readdir(home)).toEqual([]);
  });

  it("gives the values of a good command line", async () => {
    expect(await reader(["--store", "x.sqlite", "--quick"])).toMatchObject({ code: 0, stdout: JSON.stringify({ store: "x.sqlite", quick: true }) });
  });

  for (const [what, args, named] of [
    ["an unknown option", ["--no-such-option", "1"], "--no-such-option"],
    ["a value-taking option without its value", ["--store"], "--store"],
    ["a stray argument", ["stray"], "stray"],
  ] as const) {
    it(`names ${what} with the usage, exit 2, no stack`, async () => {
      const outcome = await reader([...args]);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain(named);
      expect(outcome.stderr).toContain("usage: npm run example");
      expect(outcome.stderr).not.toMatch(/^\s+at /m);
      expect(outcome.stdout).toBe("");
    });
  }
});
