/**
 * An empty file (a failed download) is never anchored by the CLI, alone or in a batch, and never
 * verifies as VALID: each says the file is empty. A reason over its limit is a usage error too.
 */
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMPTY_DOCUMENT_HASH } from "../../domain/index.js";
import { EXIT } from "../../sdk/cli/exit-codes.js";
import { openCliWorkspace, type CliWorkspace } from "./cli-workspace.js";

describe("the tracegate CLI, empty files and over-long reasons", () => {
  let cli: CliWorkspace;
  let work: string;

  const run = (args: string[]) => cli.run(args, cli.as("VCCI-HCM"));
  const stored = async () => (await readdir(join(work, "documents"), { recursive: true }).catch(() => [])).length;

  beforeAll(async () => {
    cli = await openCliWorkspace(["VCCI-HCM"]);
    work = cli.work;
    await writeFile(join(work, "empty.pdf"), "");
    await writeFile(join(work, "co-1.pdf"), "Certificate of origin, form D, no. 1");
    await writeFile(join(work, "co-2.pdf"), "Certificate of origin, form D, no. 2");
  });
  afterAll(() => cli.close());

  it("refuses to anchor an empty file with a usage error (exit 2) that says so", async () => {
    const result = await run(["anchor", "empty.pdf", "--kind", "CO"]);
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toContain("the file empty.pdf is empty (0 bytes) — nothing to anchor; check the download");
    expect(await cli.demo.ledger.document(EMPTY_DOCUMENT_HASH)).toBeUndefined();
  });

  it("refuses a batch or a list with an empty file in it, naming the file, before anything is stored or anchored", async () => {
    const before = await stored();
    for (const batch of [["--batch"], []]) {
      const result = await run(["anchor", "co-1.pdf", "empty.pdf", "co-2.pdf", "--kind", "CO", ...batch]);
      expect(result.code).toBe(EXIT.USAGE);
      expect(result.stderr).toContain("the file empty.pdf is empty (0 bytes) — nothing to anchor; check the download (nothing was anchored)");
    }
    expect(await stored()).toBe(before);
    expect((await run(["verify", "co-1.pdf"])).code).toBe(EXIT.VERIFICATION_FAILED);
  });

  it("verifies an empty file as INVALID (exit 1), saying it is empty", async () => {
    const result = await run(["verify", "empty.pdf"]);
    expect(result.code).toBe(EXIT.VERIFICATION_FAILED);
    expect(result.stdout).toMatch(/^INVALID: 0xe3b0c442/);
    expect(result.stdout).toContain("INTEGRITY the file is empty (0 bytes): there is nothing to verify; check the download");
  });

  it("refuses a revocation reason over 500 bytes of UTF-8 as a usage error (exit 2) naming the limit, and revokes nothing", async () => {
    const anchored = await run(["anchor", "co-2.pdf", "--kind", "CO", "--json"]);
    expect(anchored.code).toBe(EXIT.OK);
    const [{ hash }] = JSON.parse(anchored.stdout).anchored;
    const tooLong = await run(["revoke", hash, "--reason", "ệ".repeat(167)]);
    expect(tooLong.code).toBe(EXIT.USAGE);
    expect(tooLong.stderr).toContain("reason is 501 bytes of UTF-8, more than the 500 allowed");
    expect((await cli.demo.ledger.document(hash))?.status).toBe("VALID");
    expect((await run(["revoke", hash, "--reason", `${"ệ".repeat(166)}ab`])).code).toBe(EXIT.OK);
    expect((await cli.demo.ledger.document(hash))?.status).toBe("REVOKED");
  });
});
