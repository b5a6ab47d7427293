/**
 * `tracegate anchor --qr DIR`: a verification link and its QR code (PNG, SVG) per anchored document,
 * the batch case with each member's path to the root in its link; decoded back to the same link.
 * `tracegate lot --qr DIR`: a lot's label. `tracegate stamp`: a stamped PDF copy that verifies VALID.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, verifyBatchProof, type Hash } from "../../domain/index.js";
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from "pdf-lib";
import { PNG } from "pngjs";
import { parseProofFile } from "../../sdk/anchoring/proof-file.js";
import { ANPHAT, ANPHAT_SIGNER, anchorAction, declareAction } from "../ledger/demo-actions.js";
import { ARTIFACTS } from "../api/chromium.js";
import { decodeQrPng } from "../support/qr.js";
import { openCliWorkspace, type CliRun, type CliWorkspace } from "./cli-workspace.js";

const PUBLIC_URL = "https://tracegate.example/node";

describe("verification codes from the CLI", () => {
  let cli: CliWorkspace;
  const run = (args: string[], extra: NodeJS.ProcessEnv = { TRACEGATE_PUBLIC_URL: PUBLIC_URL }): Promise<CliRun> =>
    cli.run(args, { ...cli.as("VCCI-HCM"), ...extra });

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

  it("writes a lot's label for its resolver path", async () => {
    await cli.demo.ledger.submit(ANPHAT_SIGNER, anchorAction("label-decl", "DECLARATION", ["LABEL/LOT-1"]));
    await cli.demo.ledger.submit(ANPHAT, declareAction("LABEL/LOT-1", "label-decl"));
    const labelled = await run(["lot", "LABEL/LOT-1", "--qr", "labels", "--json"]);
    expect(labelled.code, labelled.stderr).toBe(0);
    const { codes } = JSON.parse(labelled.stdout);
    expect(codes.link).toBe(`${PUBLIC_URL}/lot/LABEL%2FLOT-1`);
    expect(decodeQrPng(await readFile(codes.png))).toBe(codes.link);
    expect((await run(["lot", "NO-SUCH-LOT", "--qr", "labels"])).code).toBe(5);
  });

  it("stamps a copy of an anchored PDF: the copy verifies VALID, the original still does, the code opens the original's verdict", async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage([595, 842]).drawText("Certificate of origin 40", { x: 72, y: 760, size: 18 });
    const original = await pdf.save();
    await writeFile(join(cli.work, "co-40.pdf"), original);
    expect((await run(["anchor", "co-40.pdf", "--kind", "CO", "--subject", "LOT-40"])).code).toBe(0);

    const stamped = await run(["stamp", "co-40.pdf", "--json"]);
    expect(stamped.code, stamped.stderr).toBe(0);
    const result = JSON.parse(stamped.stdout);
    const link = `${PUBLIC_URL}/verify.html?hash=${documentHash(original)}`;
    expect(result).toMatchObject({ file: join(cli.work, "co-40.stamped.pdf"), id: "co-40-stamped", kind: "CO", link, original: documentHash(original) });
    const copy = await readFile(result.file);
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, "stamped.pdf"), copy);
    expect(documentHash(copy)).toBe(result.hash);
    expect(Buffer.from(await readFile(join(cli.work, "co-40.pdf"))).equals(Buffer.from(original))).toBe(true);

    const copyVerdict = await run(["verify", "co-40.stamped.pdf"]);
    expect(copyVerdict.code).toBe(0);
    expect(copyVerdict.stdout).toMatch(/^VALID: .*\(CO co-40-stamped version 1, issued by VCCI-HCM\)/);
    expect(copyVerdict.stdout).toContain("concerns lots: LOT-40");
    expect((await run(["verify", "co-40.pdf"])).stdout).toMatch(/^VALID: .*\(CO co-40 version 1/);

    // What a scanner reads from the page, and what a click on the code opens.
    const stampedPdf = await PDFDocument.load(copy);
    expect(decodeQrPng(imageOf(stampedPdf))).toBe(link);
    const [annotation] = stampedPdf
      .getPages()[0]!
      .node.Annots()!
      .asArray()
      .map((ref) => stampedPdf.context.lookup(ref, PDFDict));
    expect(annotation!.lookup(PDFName.of("A"), PDFDict).lookup(PDFName.of("URI"), PDFString).decodeText()).toBe(link);
  });

  it("refuses what it cannot stamp, and anchors nothing then", async () => {
    await writeFile(join(cli.work, "not-a.pdf"), "plain text, not a PDF");
    expect((await run(["anchor", "not-a.pdf", "--kind", "CO"])).code).toBe(0);
    const notPdf = await run(["stamp", "not-a.pdf"]);
    expect(notPdf.code).toBe(2);
    expect(notPdf.stderr).toContain("not a PDF that can be stamped");
    expect(existsSync(join(cli.work, "not-a.stamped.pdf"))).toBe(false);

    const pdf = await PDFDocument.create();
    pdf.addPage();
    await writeFile(join(cli.work, "unanchored.pdf"), await pdf.save());
    const unanchored = await run(["stamp", "unanchored.pdf"]);
    expect(unanchored.code).toBe(5);
    expect(unanchored.stderr).toContain("anchor it first");
    expect(existsSync(join(cli.work, "unanchored.stamped.pdf"))).toBe(false);
    expect((await run(["stamp", "co-40.pdf", "--out", "co-40.pdf"])).code).toBe(2);
  });
});

/** The QR code image a stamp embedded, as a PNG: pdf-lib stores its pixels as a Flate stream (alpha apart, as an SMask). */
function imageOf(pdf: PDFDocument): Buffer {
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of("Subtype")) !== PDFName.of("Image") || object.dict.has(PDFName.of("Decode"))) continue;
    if (object.dict.get(PDFName.of("ColorSpace")) === PDFName.of("DeviceGray") && !object.dict.has(PDFName.of("SMask"))) continue;
    const width = Number(object.dict.get(PDFName.of("Width"))!.toString());
    const height = Number(object.dict.get(PDFName.of("Height"))!.toString());
    const pixels = decodePDFRawStream(object).decode();
    const channels = pixels.length / (width * height);
    const png = new PNG({ width, height });
    for (let i = 0; i < width * height; i++) {
      for (let c = 0; c < 3; c++) png.data[i * 4 + c] = pixels[i * channels + (channels === 1 ? 0 : c)]!;
      png.data[i * 4 + 3] = 255;
    }
    return PNG.sync.write(png);
  }
  throw new Error("no image in the PDF");
}
