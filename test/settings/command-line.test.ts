/**
 * Every command reads its command line the same way (sdk/settings/command-line.ts): `--help` prints the
 * usage and exits 0 without starting anything; an unknown option or a missing value is named with the
 * usage and exits 2, never a stack trace.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);

const COMMANDS = {
  indexer: "indexer/main.ts",
  api: "api/main.ts",
  seed: "seeds/main.ts",
  demo: "product/demo.ts",
} as const;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

describe("the commands' command lines", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "tracegate-command-line-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  async function command(file: string, args: string[]): Promise<Outcome> {
    // An empty home and no ledger: a command that got past its command line would fail differently.
    const env = { PATH: process.env.PATH, TRACEGATE_HOME: home };
    try {
      const { stdout, stderr } = await run(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", file, ...args], {
        env,
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout: string; stderr: string };
      return { code: failed.code ?? -1, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  for (const [name, file] of Object.entries(COMMANDS)) {
    it(`${name}: --help prints the usage and exits 0, creating nothing`, async () => {
      const outcome = await command(file, ["--help"]);
      expect(outcome).toMatchObject({ code: 0, stderr: "" });
      expect(outcome.stdout).toMatch(/^usage: npm run /);
      expect(await readdir(home)).toEqual([]);
    });

    it(`${name}: an unknown option is named with the usage, exit 2, no stack`, async () => {
      const outcome = await command(file, ["--no-such-option", "1"]);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain("--no-such-option");
      expect(outcome.stderr).toContain("usage: npm run ");
      expect(outcome.stderr).not.toMatch(/^\s+at /m);
    });
  }

  it("a value-taking option without its value is refused the same way", async () => {
    const outcome = await command(COMMANDS.indexer, ["--store"]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/--store/);
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
  });
});
