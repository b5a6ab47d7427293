/** `tracegate anchor <files...> --kind KIND [--subject LOT]... [--id ID] [--supersedes HASH] [--batch [--proof-dir DIR]] [--qr DIR]` */
import { stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { DOCUMENT_KINDS, type DocumentKind } from "../../../domain/index.js";
import { DocumentAnchoring, type BatchMember } from "../../anchoring/anchoring.js";
import { serializeProofFile } from "../../anchoring/proof-file.js";
import { verificationLink } from "../../anchoring/verification-link.js";
import { report, type Command, type CommandContext } from "../command.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { hash, readInput } from "../inputs.js";
import { progressBar } from "../progress.js";
import { publicBase, writeCodes } from "../verification-codes.js";

export const ANCHOR_OPTIONS = {
  kind: { type: "string" },
  subject: { type: "string", multiple: true },
  id: { type: "string" },
  supersedes: { type: "string" },
  batch: { type: "boolean" },
  "proof-dir": { type: "string" },
  qr: { type: "string" },
} as const;

/** Documents stored and submitted at once: enough to keep the ledger busy, few enough to bound memory. */
const IN_FLIGHT = 16;

export const anchor: Command = async (context) => {
  const { positionals: files, options, resources } = context;
  if (files.length === 0) throw new UsageError("name the files to anchor: tracegate anchor <files...> --kind KIND");
  const kind = documentKind(options.kind);
  await refuseEmptyFiles(context, files);
  const qr = options.qr === undefined ? undefined : { dir: resolve(context.cwd, options.qr as string), base: publicBase(context) };
  const subjects = (options.subject as string[] | undefined) ?? [];
  const actor = resources.actor();
  const anchoring = new DocumentAnchoring(await resources.ledger(true), actor, { store: await resources.store(), issuerKey: resources.recipient(actor.org) });
  const recipients = resources.settings.shareWith.map((org) => resources.recipient(org));
  if (options.batch === true) return anchorBatch(context, anchoring, kind, files, subjects, recipients, qr);

  if (files.length > 1 && (options.id !== undefined || options.supersedes !== undefined)) {
    throw new UsageError("--id and --supersedes name one document: anchor one file at a time with them");
  }
  const previous = options.supersedes === undefined ? undefined : hash(options.supersedes as string, "--supersedes");
  const progress = progressBar(context.stderr, "anchoring", files.length);
  const results = await mapWithConcurrency(IN_FLIGHT, files, async (file) => {
    const bytes = await readInput(context, file);
    const details = { id: (options.id as string | undefined) ?? idFromFileName(file), subjects, recipients };
    const { stored, submitted } = previous === undefined ? await anchoring.anchor(bytes, kind, details) : await anchoring.amend(previous, bytes, details);
    const codes = qr === undefined ? undefined : await writeCodes(qr.dir, basename(file), verificationLink(qr.base, { hash: stored.hash }));
    progress.tick();
    return {
      file,
      id: details.id,
      kind,
      hash: stored.hash,
      cid: stored.cid,
      subjects,
      tx: submitted.tx,
      block: submitted.block,
      time: submitted.time,
      ...(codes === undefined ? {} : { codes }),
    };
  });
  progress.done();
  report(context, { anchored: results }, () =>
    results
      .map(
        (r) =>
          `anchored ${r.file} as ${r.kind} ${r.id}: ${r.hash} (CID ${r.cid}) in transaction ${r.tx}, block ${r.block}\n${r.codes === undefined ? "" : `  verify: ${r.codes.link}\n  QR code: ${r.codes.png}, ${r.codes.svg}\n`}`,
      )
      .join(""),
  );
  return EXIT.OK;
};

async function anchorBatch(
  context: CommandContext,
  anchoring: DocumentAnchoring,
  kind: DocumentKind,
  files: string[],
  subjects: string[],
  recipients: ReturnType<CommandContext["resources"]["recipient"]>[],
  qr: { dir: string; base: string } | undefined,
): Promise<number> {
  const { options } = context;
  if (subjects.length > 0) throw new UsageError("a batch records no subjects on the ledger: anchor the documents one by one to record the lots they concern");
  if (options.id !== undefined || options.supersedes !== undefined) throw new UsageError("--id and --supersedes apply to single documents, not to a batch");
  const progress = progressBar(context.stderr, "storing", files.length);
  const members: BatchMember[] = await mapWithConcurrency(IN_FLIGHT, files, async (file) => {
    const member = await anchoring.storeMember(await readInput(context, file), recipients, basename(file));
    progress.tick();
    return member;
  });
  progress.done();
  const { root, submitted, proofs } = await anchoring.anchorBatch(kind, members);
  const proofDir = options["proof-dir"] as string | undefined;
  const proofFiles = files.map((file) =>
    proofDir === undefined ? resolve(context.cwd, `${file}.proof.json`) : join(resolve(context.cwd, proofDir), `${basename(file)}.proof.json`),
  );
  await mapWithConcurrency(IN_FLIGHT, proofFiles, (path, index) => writeFile(path, serializeProofFile(proofs[index]!)));
  // Each member's link carries its path to the root: the node holds only the root.
  const codes =
    qr === undefined
      ? undefined
      : await mapWithConcurrency(IN_FLIGHT, files, (file, index) =>
          writeCodes(qr.dir, basename(file), verificationLink(qr.base, { hash: proofs[index]!.document.hash, batch: { root, proof: proofs[index]!.proof } })),
        );
  const result = {
    root,
    kind,
    count: files.length,
    tx: submitted.tx,
    block: submitted.block,
    time: submitted.time,
    proofFiles,
    ...(codes === undefined ? {} : { codes }),
  };
  report(
    context,
    result,
    () =>
      `anchored a batch of ${files.length} ${kind} documents under root ${root} in transaction ${submitted.tx}, block ${submitted.block}\nproof files: ${proofDir ?? "next to each document (<file>.proof.json)"}\n${qr === undefined ? "" : `QR codes (<file>.qr.png, <file>.qr.svg): ${qr.dir}\n`}`,
  );
  return EXIT.OK;
}

/**
 * An empty file is what a failed download leaves; anchored, it would verify as VALID against any other
 * empty file. Checked for every file before anything is stored or sent, so a batch is all or nothing.
 */
async function refuseEmptyFiles(context: CommandContext, files: readonly string[]): Promise<void> {
  const sizes = await Promise.all(
    files.map((file) =>
      stat(resolve(context.cwd, file)).then(
        (stats) => stats.size,
        () => undefined,
      ),
    ),
  );
  const empty = files.filter((_, index) => sizes[index] === 0);
  if (empty.length === 0) return;
  const which = empty.length === 1 ? `the file ${empty[0]} is empty` : `the files ${empty.join(", ")} are empty`;
  throw new UsageError(`${which} (0 bytes) — nothing to anchor; check the download${files.length > 1 ? " (nothing was anchored)" : ""}`);
}

function documentKind(value: unknown): DocumentKind {
  if (typeof value !== "string") throw new UsageError(`give the documents' kind: --kind ${DOCUMENT_KINDS.join("|")}`);
  if (!(DOCUMENT_KINDS as readonly string[]).includes(value)) throw new UsageError(`--kind must be one of ${DOCUMENT_KINDS.join(", ")}, not "${value}"`);
  return value as DocumentKind;
}

/** A document id from a file name: printable ASCII without spaces, at most 31 characters. */
function idFromFileName(file: string): string {
  const id = basename(file)
    .replace(/\.[^.]*$/, "")
    .replace(/[^\x21-\x7e]/g, "-")
    .slice(0, 31);
  if (id === "") throw new UsageError(`cannot make a document id from the file name ${file}: give one with --id`);
  return id;
}

/** Maps `items` with at most `size` running at once, keeping their order. */
async function mapWithConcurrency<T, R>(size: number, items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!, index);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}
