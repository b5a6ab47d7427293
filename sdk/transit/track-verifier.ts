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
    return { verdict: unreadableSegment(`not a seal track segment: ${error instanceof TraceGateError ? error.message : "the file is not UTF-8 text"}`) };
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

/** The verdict on a segment file that cannot be read as the segment it should be (`reason` says why): INVALID at INTEGRITY. */
export function unreadableSegment(reason: string): Verdict {
  return {
    verdict: "INVALID",
    hash: ZERO_HASH,
    checks: [
      { name: "INTEGRITY", outcome: "FAILED", reason },
      { name: "STATUS", outcome: "SKIPPED", reason: "no anchor to check: integrity failed" },
      { name: "ISSUER", outcome: "SKIPPED", reason: "no anchor to check: integrity failed" },
    ],
  };
}
