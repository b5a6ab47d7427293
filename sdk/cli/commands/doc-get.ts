/** `tracegate doc get <0xHASH | ID | proof.json> [--out FILE]`: fetches a document and decrypts it, if shared with you. */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Hash } from "../../../domain/index.js";
import { currentDocumentWithId } from "../../anchoring/versions.js";
import { report, type Command, type CommandContext } from "../command.js";
import { EXIT, NotFoundError, UsageError } from "../exit-codes.js";
import { hash, isId, looksLikeHash, readDocumentOrProof } from "../inputs.js";

export const DOC_GET_OPTIONS = { out: { type: "string" } } as const;

export const docGet: Command = async (context) => {
  const [reference, ...extra] = context.positionals;
  if (reference === undefined || extra.length > 0) throw new UsageError("tracegate doc get <0xHASH | ID | proof.json> [--out FILE]");
  const out = context.options.out as string | undefined;
  if (out === undefined && context.json) throw new UsageError("--json prints the document's details: give --out FILE for its bytes");
  const { hash: documentHash, cid } = await locate(context, reference);
  const reader = context.resources.readingKey();
  const bytes = await (await context.resources.store()).getDocument(cid, reader.orgId, reader.privateKey, documentHash);
  if (out === undefined) {
    context.stdout.write(bytes);
    return EXIT.OK;
  }
  try {
    await writeFile(resolve(context.cwd, out), bytes);
  } catch (error) {
    throw new UsageError(`cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? String(error)}): check the path`);
  }
  report(context, { hash: documentHash, cid, out, size: bytes.byteLength }, () => `wrote ${bytes.byteLength} bytes of ${documentHash} to ${out}\n`);
  return EXIT.OK;
};

/** The document's hash and CID, from its anchor (by hash or id) or from its proof file. */
async function locate(context: CommandContext, reference: string): Promise<{ hash: Hash; cid: string }> {
  if (!looksLikeHash(reference) && existsSync(resolve(context.cwd, reference))) {
    const { proof } = await readDocumentOrProof(context, reference);
    if (proof === undefined) throw new UsageError(`${reference} is not a proof file: give a document hash, id or proof file`);
    if (proof.document.cid === undefined) throw new UsageError(`the proof file ${reference} records no CID: the issuer did not store the document`);
    return { hash: proof.document.hash, cid: proof.document.cid };
  }
  if (!looksLikeHash(reference) && !isId(reference)) {
    throw new UsageError(`${reference} is not a document hash (0x followed by 64 hex digits), id nor file here`);
  }
  const ledger = await context.resources.ledger(false);
  const document = looksLikeHash(reference) ? await ledger.document(hash(reference, "the hash")) : await currentDocumentWithId(ledger, reference);
  if (document === undefined) throw new NotFoundError(`no document ${reference} is anchored: check the hash or id`);
  return { hash: document.hash, cid: document.cid };
}
