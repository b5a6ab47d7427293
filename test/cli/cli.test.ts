import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { ANPHAT, ANPHAT_SIGNER, anchorAction, declareAction } from "../ledger/demo-actions.js";
import { openCliWorkspace, type CliRun, type CliWorkspace } from "./cli-workspace.js";

describe("the tracegate CLI against a JSON-RPC node", () => {
  let cli: CliWorkspace;
  let demo: CliWorkspace["demo"];
  let work: string;
  let env: NodeJS.ProcessEnv;

  const as = (org: string, role = "SIGNER"): NodeJS.ProcessEnv => cli.as(org, role);
  const run = (args: string[], environment: NodeJS.ProcessEnv = as("VCCI-HCM")): Promise<CliRun> => cli.run(args, environment);

  beforeAll(async () => {
    cli = await openCliWorkspace(["VCCI-HCM", "VNCUSTOMS", "AN-PHAT"], { TRACEGATE_SHARE_WITH: "VNCUSTOMS" });
    ({ demo, work, env } = cli);
  });
  afterAll(() => cli.close());

  it("anchors a file that then verifies VALID; the file with one byte changed fails INTEGRITY (exit 1)", async () => {
    await writeFile(join(work, "co-17.txt"), "Certificate of origin 17: 1,000 m of cotton fabric");
    const anchored = await run(["anchor", "co-17.txt", "--kind", "CO", "--subject", "LOT-17", "--json"]);
    expect(anchored.code).toBe(0);
    const [result] = JSON.parse(anchored.stdout).anchored;
    expect(result).toMatchObject({ file: "co-17.txt", id: "co-17", kind: "CO", subjects: ["LOT-17"] });

    const verified = await run(["verify", "co-17.txt"], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^VALID: 0x[0-9a-f]{64} \(CO co-17 version 1, issued by VCCI-HCM\)/);
    expect(verified.stdout).toContain("concerns lots: LOT-17");

    await writeFile(join(work, "co-17-altered.txt"), "Certificate of origin 17: 9,000 m of cotton fabric");
    const altered = await run(["verify", "co-17-altered.txt", "--json"], env);
    expect(altered.code).toBe(1);
    expect(JSON.parse(altered.stdout).checks[0]).toMatchObject({ name: "INTEGRITY", outcome: "FAILED" });

    const fetched = await run(["doc", "get", "co-17", "--out", "fetched.txt"], as("VNCUSTOMS", "OFFICER"));
    expect(fetched.code).toBe(0);
    expect(await readFile(join(work, "fetched.txt"), "utf8")).toBe("Certificate of origin 17: 1,000 m of cotton fabric");
    const refused = await run(["doc", "get", result.hash], as("AN-PHAT"));
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/NOT_A_RECIPIENT: .*ask the issuer to share the document with your organisation/);
  });

  it("anchors a batch with proof files; a revoked member fails STATUS (exit 1) while its siblings stay VALID", async () => {
    const files = ["b0.txt", "b1.txt", "b2.txt"];
    for (const [index, file] of files.entries()) await writeFile(join(work, file), `batched certificate ${index}`);
    const anchored = await run(["anchor", ...files, "--kind", "CO", "--batch"]);
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toMatch(/anchored a batch of 3 CO documents under root 0x[0-9a-f]{64}/);

    expect((await run(["revoke", "b1.txt.proof.json", "--reason", "wrong consignee"])).code).toBe(0);
    const revoked = await run(["verify", "b1.txt.proof.json", "--document", "b1.txt"], env);
    expect(revoked.code).toBe(1);
    expect(revoked.stdout).toMatch(/FAILED {2}STATUS +REVOKED by VCCI-HCM on .*: wrong consignee/);
    expect((await run(["verify", "b0.txt.proof.json", "--document", "b0.txt"], env)).code).toBe(0);
    expect((await run(["verify", "b2.txt.proof.json"], env)).code).toBe(0);
    const fetched = await run(["doc", "get", "b2.txt.proof.json"], as("VNCUSTOMS", "OFFICER"));
    expect(fetched.stdout).toBe("batched certificate 2");
  });

  it("shows a lot, and exits 5 for one that does not exist", async () => {
    await demo.ledger.submit(ANPHAT_SIGNER, anchorAction("cli-decl", "DECLARATION", ["CLI-LOT"]));
    await demo.ledger.submit(ANPHAT, declareAction("CLI-LOT", "cli-decl"));
    const shown = await run(["lot", "CLI-LOT", "--json"], env);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: "CLI-LOT", state: "DECLARED", quantity: "1000", owner: "AN-PHAT" });
    expect((await run(["lot", "NO-SUCH-LOT"], env)).code).toBe(5);
    expect((await run(["verify", documentHash("never anchored")], env)).code).toBe(1);
  });

  it("exits 4 when the ledger's rules refuse, 2 for usage and configuration mistakes, 3 when the node is unreachable", async () => {
    await writeFile(join(work, "decl.txt"), "a declaration");
    const refused = await run(["anchor", "decl.txt", "--kind", "DECLARATION"]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/ISSUER_NOT_ENTITLED: .*\(this organisation kind may not issue this document kind\)/);

    expect((await run([], env)).code).toBe(2);
    expect((await run(["frobnicate"], env)).stderr).toMatch(/unknown command "frobnicate"/);
    // Names every object inherits are no commands either.
    for (const name of ["constructor", "__proto__", "toString"]) {
      const result = await run([name], env);
      expect([result.code, result.stderr], name).toEqual([2, expect.stringContaining(`unknown command "${name}"`)]);
    }
    expect((await run(["anchor", "decl.txt", "--kind", "RECEIPT"])).stderr).toMatch(/--kind must be one of DECLARATION, /);
    expect((await run(["anchor", "decl.txt", "--kind", "CO", "--subject", "L", "--batch"])).stderr).toMatch(/a batch records no subjects/);
    const noRegistry = await run(["lot", "X"], { ...env, TRACEGATE_REGISTRY: "" });
    expect([noRegistry.code, noRegistry.stderr]).toEqual([2, expect.stringMatching(/TRACEGATE_REGISTRY is not set: .*npm start/)]);
    expect((await run(["anchor", "decl.txt", "--kind", "CO"], env)).stderr).toMatch(/TRACEGATE_ORG is not set/);
    const unreachable = await run(["lot", "X"], { ...env, TRACEGATE_RPC_URL: "http://127.0.0.1:9" });
    expect([unreachable.code, unreachable.stderr]).toEqual([3, expect.stringMatching(/cannot reach the JSON-RPC endpoint/)]);
  });

  it("exits 5 for a document or lot that does not exist, whatever the command", async () => {
    const unknown = documentHash("never anchored either");
    const revoked = await run(["revoke", unknown, "--reason", "wrong consignee"]);
    expect([revoked.code, revoked.stderr]).toEqual([5, expect.stringMatching(/^tracegate: UNKNOWN_DOCUMENT: /)]);
    await writeFile(join(work, "new-co.txt"), "a certificate that supersedes nothing");
    expect((await run(["anchor", "new-co.txt", "--kind", "CO", "--supersedes", unknown])).code).toBe(5);
    expect((await run(["doc", "get", unknown], as("VNCUSTOMS", "OFFICER"))).code).toBe(5);
    expect((await run(["doc", "get", "NO-SUCH-DOC"], as("VNCUSTOMS", "OFFICER"))).code).toBe(5);
  });

  it("exits 2 saying so for a malformed hash or lot id, and for an output file it cannot write", async () => {
    for (const malformed of ["0x123", "0xZZ", `0x${"a".repeat(63)}`, `0x${"a".repeat(65)}`]) {
      for (const args of [
        ["revoke", malformed, "--reason", "x"],
        ["verify", malformed],
      ]) {
        const result = await run(args);
        expect([result.code, result.stderr]).toEqual([
          2,
          expect.stringContaining(`${malformed} is not a document hash (0x followed by 64 hex digits) nor a file here`),
        ]);
      }
    }
    // A document id may begin with 0x; one too long for an id is a malformed hash.
    const long = await run(["doc", "get", `0x${"a".repeat(63)}`], as("VNCUSTOMS", "OFFICER"));
    expect([long.code, long.stderr]).toEqual([2, expect.stringContaining("is not a document hash (0x followed by 64 hex digits), id nor file")]);
    for (const malformed of ["a b", "A".repeat(32), "é", ""]) {
      const result = await run(["lot", malformed], env);
      expect([result.code, result.stderr]).toEqual([
        2,
        expect.stringContaining(`"${malformed}" is not a lot id: 1 to 31 printable ASCII characters without spaces`),
      ]);
    }
    await writeFile(join(work, "co-out.txt"), "Certificate of origin for --out");
    const anchored = JSON.parse((await run(["anchor", "co-out.txt", "--kind", "CO", "--json"])).stdout).anchored[0].hash as string;
    const unwritable = await run(["doc", "get", anchored, "--out", join(work, "no-such-dir", "x.txt")], as("VNCUSTOMS", "OFFICER"));
    expect([unwritable.code, unwritable.stderr]).toEqual([2, expect.stringMatching(/cannot write .*no-such-dir\/x.txt \(ENOENT\)/)]);
  });

  it("runs as the package's bin from the repository, with --help documenting the exit codes", async () => {
    const bin = join(process.cwd(), "sdk", "cli", "tracegate.js");
    const node = join(process.cwd(), "node_modules", ".bin", "node");
    const help = await promisify(execFile)(node, [bin, "--help"]);
    expect(help.stdout).toContain("Exit codes:");
    const failed = await promisify(execFile)(node, [bin, "verify", documentHash("never anchored")], { env: { ...process.env, ...env } }).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1, stdout: expect.stringMatching(/^INVALID: .*\n +FAILED +INTEGRITY/) });
  });
});
