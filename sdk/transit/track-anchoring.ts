/**
 * Anchoring an electronic seal's track, one segment at a time (domain/seal-track.ts): the segment file is
 * stored encrypted in the document store for customs and the organisations whose goods the seal closes,
 * then its messages are anchored as one SEAL_TRACK Merkle batch by a customs SIGNER. Each message gets
 * its proof file (pointing at the stored segment), so one reading — an alert's evidence — can be shown
 * and verified without the rest of the trip.
 */
import { messageHash, segmentFile, type TrackSegment } from "../../domain/seal-track.js";
import type { AnchoredBatchFiles, DocumentAnchoring } from "../anchoring/anchoring.js";
import type { Recipient } from "../documents/envelope.js";

export interface AnchoredSegment extends AnchoredBatchFiles {
  /** Where the encrypted segment file is stored. */
  cid: string;
  /** How many messages the batch holds. */
  count: number;
}

export async function anchorSegment(anchoring: DocumentAnchoring, segment: TrackSegment, recipients: Recipient[]): Promise<AnchoredSegment> {
  const cid = await storeSegment(anchoring, segment, recipients);
  const members = segment.messages.map((message) => ({ hash: messageHash(message), cid, name: `seal ${segment.seal} at ${message.time}` }));
  const anchored = await anchoring.anchorBatch("SEAL_TRACK", members);
  return { ...anchored, cid, count: members.length };
}

/** Stores the segment file encrypted for the issuer and `recipients`; returns its CID (anchors nothing). */
export async function storeSegment(anchoring: DocumentAnchoring, segment: TrackSegment, recipients: Recipient[]): Promise<string> {
  const { cid } = await anchoring.storeMember(new TextEncoder().encode(segmentFile(segment)), recipients, `seal ${segment.seal} track`);
  return cid!;
}
