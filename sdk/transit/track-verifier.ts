/**
 * Verifying a stored seal track segment against the ledger: the file is read strictly (a file that is not
 * a segment fails INTEGRITY, saying where), its messages' root looked up as an anchored batch, each
 * message's revocation checked. One message alone verifies by its proof file, as any batch member does
 * (DocumentVerifier.verifyProof).
 */
import { messageHash, readSegmentFile, segmentBatch, type TrackSegment } from "../../domain/seal-track.js";
import { TraceGateError, ZERO_HASH } from "../../domain/index.js";
import type { VerifyingLedger } from "../anchoring/verifier.js";
import { trackSegmentVerdict, type Verdict } from "../anchoring/verdict.js";

export async function verifySegmentFile(ledger: VerifyingLedger, file: Uint8Array | string): Promise<{ verdict: Verdict; segment?: TrackSegment }> {
  let segment: TrackSegment;
  try {
    segment = readSegmentFile(typeof file === "string" ? file : new TextDecoder("utf-8", { fatal: true }).decode(file));
  } catch (error) {
    if (!(error instanceof TraceGateError || error instanceof TypeError)) throw error;
    const reason = `not a seal track segment: ${error instanceof TraceGateError ? error.message : "the file is not UTF-8 text"}`;
    return { verdict: { verdict: "INVALID", hash: ZERO_HASH, checks: notASegment(reason) } };
  }
  const { root } = segmentBatch(segment);
  const batch = await ledger.batch(root);
  const revocations =
    batch === undefined
      ? []
      : (await Promise.all(segment.messages.map((message) => ledger.batchMemberRevocation(root, messageHash(message))))).filter(
          (revocation) => revocation !== undefined,
        );
  const issuer = batch === undefined ? undefined : await ledger.organisation(batch.issuer);
  return { verdict: trackSegmentVerdict({ root, count: segment.messages.length, batch, revocations, issuer }), segment };
}

function notASegment(reason: string): Verdict["checks"] {
  return [
    { name: "INTEGRITY", outcome: "FAILED", reason },
    { name: "STATUS", outcome: "SKIPPED", reason: "no anchor to check: integrity failed" },
    { name: "ISSUER", outcome: "SKIPPED", reason: "no anchor to check: integrity failed" },
  ];
}
