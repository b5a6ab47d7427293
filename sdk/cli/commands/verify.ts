/** `tracegate verify <file | proof.json | 0xHASH> [--document FILE]`: exit 0 when VALID, 1 when not. */
import { DocumentVerifier } from "../../anchoring/verifier.js";
import type { Verdict } from "../../anchoring/verdict.js";
import { report, type Command } from "../command.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { hash, looksLikeHash, readDocumentOrProof, readInput } from "../inputs.js";

export const VERIFY_OPTIONS = { document: { type: "string" } } as const;

export const verify: Command = async (context) => {
  const [target, ...extra] = context.positionals;
  if (target === undefined || extra.length > 0) throw new UsageError("verify one thing: tracegate verify <file | proof.json | 0xHASH>");
  const verifier = new DocumentVerifier(await context.resources.ledger(false));
  const documentFile = context.options.document as string | undefined;
  let verdict: Verdict;
  if (looksLikeHash(target)) {
    verdict = await verifier.verifyHash(hash(target, "the hash"));
  } else {
    const { bytes, proof } = await readDocumentOrProof(context, target);
    if (proof === undefined && documentFile !== undefined)
      throw new UsageError("--document goes with a proof file: tracegate verify <proof.json> --document <file>");
    verdict =
      proof === undefined
        ? await verifier.verifyFile(bytes)
        : await verifier.verifyProof(proof, documentFile === undefined ? undefined : await readInput(context, documentFile));
  }
  report(context, verdict, () => describe(verdict));
  return verdict.verdict === "VALID" ? EXIT.OK : EXIT.VERIFICATION_FAILED;
};

function describe({ verdict, hash, checks, anchor }: Verdict): string {
  const what =
    anchor === undefined ? "" : ` (${anchor.kind}${anchor.id === undefined ? "" : ` ${anchor.id} version ${anchor.version}`}, issued by ${anchor.issuer})`;
  const lines = [`${verdict}: ${hash}${what}`, ...checks.map((check) => `  ${check.outcome.padEnd(7)} ${check.name.padEnd(9)} ${check.reason}`)];
  if (anchor !== undefined) {
    if (anchor.subjects.length > 0) lines.push(`  concerns lots: ${anchor.subjects.join(", ")}`);
    if (anchor.batch !== undefined) lines.push(`  in batch ${anchor.batch.root} of ${anchor.batch.count} documents`);
    lines.push(`  anchored ${anchor.anchoredAt} in transaction ${anchor.tx} (block ${anchor.block})`);
  }
  return `${lines.join("\n")}\n`;
}
