/**
 * `tracegate stamp <doc.pdf> [--out FILE] [--id ID]`: a copy of an anchored PDF with its verification
 * link and QR code on the first page, anchored in turn (same kind and lots), so that the copy verifies
 * VALID by its own bytes. The code names the original's hash (a file cannot carry its own hash); the
 * original is not changed and still verifies as it did.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { documentHash } from "../../../domain/index.js";
import { DocumentAnchoring } from "../../anchoring/anchoring.js";
import { PdfStampError, stampPdf } from "../../anchoring/pdf-stamp.js";
import { verificationCodes, verificationLink } from "../../anchoring/verification-link.js";
import { report, type Command } from "../command.js";
import { EXIT, NotFoundError, UsageError } from "../exit-codes.js";
import { isId, readInput } from "../inputs.js";
import { publicBase } from "../verification-codes.js";

export const STAMP_OPTIONS = {
  out: { type: "string" },
  id: { type: "string" },
} as const;

export const stamp: Command = async (context) => {
  const { positionals, options, resources } = context;
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError("stamp one PDF: tracegate stamp <doc.pdf> [--out FILE] [--id ID]");
  const base = publicBase(context);
  const out = resolve(context.cwd, (options.out as string | undefined) ?? `${file.replace(/\.pdf$/i, "")}.stamped.pdf`);
  if (out === resolve(context.cwd, file)) throw new UsageError("--out names the original: the stamp goes on a copy");
  const bytes = await readInput(context, file);
  const ledger = await resources.ledger(true);
  const original = await ledger.document(documentHash(bytes));
  if (original === undefined)
    throw new NotFoundError(`${file} is not anchored: anchor it first (tracegate anchor ${file} --kind KIND); its code links to its verdict`);
  const id = (options.id as string | undefined) ?? `${original.id}-stamped`;
  if (!isId(id)) throw new UsageError(`"${id}" is not a document id (printable ASCII, at most 31 characters): give one with --id`);
  const link = verificationLink(base, { hash: original.hash });
  let stamped: Uint8Array;
  try {
    stamped = await stampPdf(bytes, link, (await verificationCodes(link)).png);
  } catch (error) {
    if (error instanceof PdfStampError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
  const actor = resources.actor();
  const anchoring = new DocumentAnchoring(ledger, actor, { store: await resources.store(), issuerKey: resources.recipient(actor.org) });
  const recipients = resources.settings.shareWith.map((org) => resources.recipient(org));
  const { stored, submitted } = await anchoring.anchor(stamped, original.kind, { id, subjects: original.subjects, recipients });
  await writeFile(out, stamped);
  const result = {
    file: out,
    id,
    kind: original.kind,
    hash: stored.hash,
    cid: stored.cid,
    link,
    original: original.hash,
    tx: submitted.tx,
    block: submitted.block,
  };
  report(
    context,
    result,
    () =>
      `stamped ${file} into ${out}: anchored as ${original.kind} ${id}: ${stored.hash} in transaction ${submitted.tx}, block ${submitted.block}\n  its code opens ${link}\n`,
  );
  return EXIT.OK;
};
