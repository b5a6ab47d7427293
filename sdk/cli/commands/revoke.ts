/** `tracegate revoke <0xHASH | proof.json> --reason TEXT`: revokes a document, or one document of a batch. */
import { DocumentAnchoring } from "../../anchoring/anchoring.js";
import type { BatchProofFile } from "../../anchoring/proof-file.js";
import { report, type Command, type CommandContext } from "../command.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { hash, looksLikeHash, readDocumentOrProof } from "../inputs.js";

export const REVOKE_OPTIONS = { reason: { type: "string" } } as const;

export const revoke: Command = async (context) => {
  const [target, ...extra] = context.positionals;
  const reason = context.options.reason;
  if (target === undefined || extra.length > 0 || typeof reason !== "string") {
    throw new UsageError("tracegate revoke <0xHASH | proof.json> --reason TEXT");
  }
  const anchoring = new DocumentAnchoring(await context.resources.ledger(true), context.resources.actor());
  const revoked = looksLikeHash(target) ? hash(target, "the hash") : await proofOf(context, target);
  const submitted = typeof revoked === "string" ? await anchoring.revoke(revoked, reason) : await anchoring.revokeMember(revoked, reason);
  const document = typeof revoked === "string" ? revoked : revoked.document.hash;
  const result = { revoked: document, reason, tx: submitted.tx, block: submitted.block, time: submitted.time };
  report(context, result, () => `revoked ${document} in transaction ${submitted.tx}, block ${submitted.block}\n`);
  return EXIT.OK;
};

async function proofOf(context: CommandContext, file: string): Promise<BatchProofFile> {
  const { proof } = await readDocumentOrProof(context, file);
  if (proof === undefined) throw new UsageError(`${file} is not a proof file: revoke a single document by its hash (tracegate verify <file> prints it)`);
  return proof;
}
