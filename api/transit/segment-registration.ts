/**
 * Registering a track segment anchored elsewhere (another customs system, the demo loader) on this node:
 * its stored file is fetched by CID from the node's document store, opened with customs' document key
 * held here, and verified against the ledger (verifySegmentFile). Only a VALID segment (a SEAL_TRACK
 * batch of its root and count, anchored by customs, none of its messages revoked) is recorded, with its
 * lots, so the lots' trips show it (track-reads.ts). The root is the segment's key: registering it again,
 * or registering one whose reports were captured and anchored on this node, records nothing new.
 */
import type { Kysely } from "kysely";
import type { Hash, Id } from "../../domain/index.js";
import { segmentBatch } from "../../domain/seal-track.js";
import type { Database } from "../../indexer/store/index.js";
import type { Verdict } from "../../sdk/anchoring/verdict.js";
import type { VerifyingLedger } from "../../sdk/anchoring/verifier.js";
import { open } from "../../sdk/documents/envelope.js";
import { DocumentError } from "../../sdk/documents/errors.js";
import type { DocumentStore } from "../../sdk/documents/store.js";
import { verifySegmentFile } from "../../sdk/transit/track-verifier.js";
import type { DocumentKeyRing } from "../document-keys.js";
import { batchByRoot } from "../read/documents.js";
import { insertSegment } from "./segment-rows.js";
import { indexLedger } from "./track-reads.js";

export type SegmentRefusalCode = "NO_DOCUMENT_STORE" | "STORE_UNAVAILABLE" | "UNKNOWN_CID" | "KEY_NOT_ON_NODE" | "NOT_A_SEGMENT" | "INVALID";

/** Why a segment was not registered; nothing was recorded. `verdict` is the verifier's, when it got that far. */
export class SegmentRefusal extends Error {
  constructor(
    readonly code: SegmentRefusalCode,
    message: string,
    readonly verdict?: Verdict,
  ) {
    super(message);
    this.name = "SegmentRefusal";
  }
}

export interface SegmentSources {
  db: Kysely<Database>;
  /** Undefined when the node serves no document store: nothing can be registered. */
  documents: DocumentStore | undefined;
  keys: DocumentKeyRing;
  /** What the segment is verified against; the index's record of the ledger when not given. */
  ledger?: VerifyingLedger;
}

export interface RegisteredSegment {
  root: Hash;
  seal: Id;
  lots: Id[];
  count: number;
  cid: string;
  /** False when the node had the segment already (registered before, or anchored from reports captured here). */
  recorded: boolean;
}

/** Registers the segment stored under `cid`, opened with `customs`' document key; throws SegmentRefusal. */
export async function registerSegment(sources: SegmentSources, customs: Id, cid: string): Promise<RegisteredSegment> {
  const { db } = sources;
  const file = await opened(sources, customs, cid);
  const { verdict, segment } = await verifySegmentFile(sources.ledger ?? indexLedger(db), file);
  const reason = verdict.checks.find((check) => check.outcome === "FAILED")?.reason ?? "";
  if (segment === undefined) throw new SegmentRefusal("NOT_A_SEGMENT", `${cid} is not a seal track segment: ${reason}`, verdict);
  if (verdict.verdict !== "VALID") throw new SegmentRefusal("INVALID", `the segment stored under ${cid} verifies INVALID: ${reason}`, verdict);
  const { root } = segmentBatch(segment);
  const { seal, lots, messages } = segment;
  const tx = (await batchByRoot(db, root))?.anchoredIn.tx ?? null;
  const recorded = await db.transaction().execute((trx) => insertSegment(trx, { root, seal, lots, messages, cid, state: "anchored", tx }));
  return { root, seal, lots: [...lots], count: messages.length, cid, recorded };
}

/** The stored file under `cid`, decrypted with customs' key on this node. */
async function opened({ documents, keys }: SegmentSources, customs: Id, cid: string): Promise<Uint8Array> {
  if (documents === undefined)
    throw new SegmentRefusal("NO_DOCUMENT_STORE", "this node serves no document store: register the segment on the node that stores it");
  const key = keys.privateKey(customs);
  if (key === undefined)
    throw new SegmentRefusal("KEY_NOT_ON_NODE", `this node does not hold ${customs}'s private document key: it cannot open the segment file`);
  let envelope: Uint8Array;
  try {
    envelope = await documents.get(cid);
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    if (error.code === "STORE_UNAVAILABLE") throw new SegmentRefusal("STORE_UNAVAILABLE", "the document store does not answer: try again later");
    throw new SegmentRefusal("UNKNOWN_CID", `this node's document store holds nothing under ${cid}: store the segment file first`);
  }
  try {
    return open(envelope, customs, key);
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    throw new SegmentRefusal("NOT_A_SEGMENT", `${cid} does not open with ${customs}'s key: it is not a segment file sealed for ${customs}, or it was altered`);
  }
}
