/**
 * A stamped copy of a PDF: the verification link's QR code and the link itself on its first page, the
 * code clickable (a URI link annotation). The original bytes are not touched. A code cannot name the
 * hash of the file it is printed in (that hash changes with the code), so it names the original's:
 * the copy is anchored on its own and verifies by its own bytes.
 */
import { PDFDocument, PDFName, PDFString, rgb, StandardFonts } from "pdf-lib";

/** The file is not a PDF pdf-lib can stamp; the message says why. */
export class PdfStampError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PdfStampError";
  }
}

/** The code's side on the page, in points (2.5 cm): large enough for a phone at arm's length. */
const CODE_SIZE = 72;
const MARGIN = 18;
const TEXT_SIZE = 6;

export async function stampPdf(original: Uint8Array, link: string, codePng: Uint8Array): Promise<Uint8Array> {
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(original, { updateMetadata: false });
  } catch (error) {
    const encrypted = error instanceof Error && error.name === "EncryptedPDFError";
    throw new PdfStampError(
      encrypted
        ? "the PDF is encrypted: stamp the unencrypted document"
        : `not a PDF that can be stamped (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const page = pdf.getPages()[0];
  if (page === undefined) throw new PdfStampError("the PDF has no page to stamp");
  const code = await pdf.embedPng(codePng);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const { width } = page.getSize();
  const x = width - MARGIN - CODE_SIZE;
  const y = MARGIN + TEXT_SIZE * 2;
  page.drawImage(code, { x, y, width: CODE_SIZE, height: CODE_SIZE });
  const caption = "Scan to verify, or open:";
  page.drawText(caption, {
    x: width - MARGIN - font.widthOfTextAtSize(caption, TEXT_SIZE),
    y: MARGIN + TEXT_SIZE + 1,
    size: TEXT_SIZE,
    font,
    color: rgb(0.2, 0.2, 0.2),
  });
  // Helvetica's WinAnsi covers the link: it is a URL, ASCII only.
  page.drawText(link, {
    x: Math.max(MARGIN, width - MARGIN - font.widthOfTextAtSize(link, TEXT_SIZE)),
    y: MARGIN,
    size: TEXT_SIZE,
    font,
    color: rgb(0.2, 0.2, 0.2),
  });
  const annotation = pdf.context.register(
    pdf.context.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: [x, y, x + CODE_SIZE, y + CODE_SIZE],
      Border: [0, 0, 0],
      A: { Type: "Action", S: "URI", URI: PDFString.of(link) },
    }),
  );
  const annotations = page.node.Annots();
  if (annotations === undefined) page.node.set(PDFName.of("Annots"), pdf.context.obj([annotation]));
  else annotations.push(annotation);
  return pdf.save();
}
