/**
 * `tracegate anchor --qr DIR`: a verification link and its QR code (PNG, SVG) per anchored document,
 * the batch case with each member's path to the root in its link; decoded back to the same link.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, verifyBatchProof, type Hash } from "../../domain/index.js";
import { parseProofFile } from "../../sdk/anchoring/proof-file.js";
import { decodeQrPng } from "../support/qr.js";
import { openCliWorkspace, type CliRun, type CliWorkspace } from "./cli-workspace.js";

const PUBLIC_URL = "https://tracegate.example/node";

describe("verification codes from the CLI", () => {
  let cli: CliWorkspace;
  const run = (args: string[], extra: NodeJS.ProcessEnv = { TRACEGATE_PUBLIC_URL: PUBLIC_URL }): Promise<CliRun> => cli.run(args, { ...cli.as("VCCI-HCM"), ...extra });

  beforeAll(async () => {
    cli = await openCliWorkspace(["VCCI-HCM"]);
  });
  afterAll(() => cli.close());

  it("writes a code per document that decodes to its link, which carries only the document's hash", async () => {
    await writeFile(join(cli.work, "co-31.txt"), "Certificate of origin 31");
    const anchored = await run(["anchor", "co-31.txt", "--kind", "CO", "--subject", "LOT-31", "--qr", "codes", "--json"]);
    expect(anchored.code, anchored.stderr).toBe(0);
    const [result] = JSON.parse(anchored.stdout).anchored;
    const link = `${PUBLIC_URL}/verify.html?hash=${documentHash("Certificate of origin 31")}`;
    expect(result.codes).toEqual({ link, png: join(cli.work, "codes", "co-31.txt.qr.png"), svg: join(cli.work, "codes", "co-31.txt.qr.svg") });
    expect(decodeQrPng(await readFile(result.codes.png))).toBe(link);
    expect(await readFile(result.codes.svg, "utf8")).toMatch(/^<svg /);
    await writeFile(join(cli.work, "co-33.txt"), "Certificate of origin 33");
    const text = await run(["anchor", "co-33.txt", "--kind", "CO", "--qr", "codes"]);
    expect(text.stdout).toContain(`verify: ${PUBLIC_URL}/verify.html?hash=${documentHash("Certificate of origin 33")}\n  QR code: `);
  });

  it("gives each batch member its own code, whose link holds the path its proof file holds", async () => {
    const files = ["m0.txt", "m1.txt", "m2.txt"];
    for (const [index, file] of files.entries()) await writeFile(join(cli.work, file), `batch member ${index}`);
    const anchored = await run(["anchor", ...files, "--kind", "CO", "--batch", "--qr", "batch-codes", "--json"]);
    expect(anchored.code, anchored.stderr).toBe(0);
    const { root, codes } = JSON.parse(anchored.stdout);
    expect(codes).toHaveLength(3);
    for (const [index, file] of files.entries()) {
      const url = new URL(decodeQrPng(await readFile(join(cli.work, "batch-codes", `${file}.qr.png`))));
      expect(url.toString()).toBe(codes[index].link);
      const proof = parseProofFile(await readFile(join(cli.work, `${file}.proof.json`), "utf8"));
      expect(url.searchParams.get("hash")).toBe(documentHash(`batch member ${index}`));
      expect(url.searchParams.get("batch")).toBe(root);
      const path = url.searchParams.get("proof")!.split(",") as Hash[];
      expect(path).toEqual(proof.proof);
      expect(verifyBatchProof(root, url.searchParams.get("hash") as Hash, path)).toBe(true);
    }
  });

  it("refuses --qr without a usable public address before anything is anchored (exit 2)", async () => {
    await writeFile(join(cli.work, "co-32.txt"), "Certificate of origin 32");
    const missing = await run(["anchor", "co-32.txt", "--kind", "CO", "--qr", "codes"], { TRACEGATE_PUBLIC_URL: "", TRACEGATE_API_URL: "" });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("TRACEGATE_PUBLIC_URL");
    const wrong = await run(["anchor", "co-32.txt", "--kind", "CO", "--qr", "codes"], { TRACEGATE_PUBLIC_URL: "javascript:alert(1)" });
    expect(wrong.code).toBe(2);
    expect((await run(["verify", "co-32.txt"])).code).toBe(1);
  });
});
