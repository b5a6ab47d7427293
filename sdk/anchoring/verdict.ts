/**
 * One verdict from named checks, as OpenAttestation verifies documents: INTEGRITY (these bytes, or this
 * proof, match an anchor), STATUS (the anchor is VALID: not revoked, not superseded) and ISSUER (a
 * registered organisation whose kind may issue this kind of document). Pure: the facts come from the
 * ledger through verifier.ts. Every check that does not pass says why in plain words.
 */
import {
  EMPTY_DOCUMENT_HASH,
  ISSUERS_BY_DOCUMENT_KIND,
  type DocumentKind,
  type DocumentStatus,
  type Hash,
  type Id,
  type Organisation,
} from "../../domain/index.js";
import type { AnchoredBatch, AnchoredDocument, Revocation, Transaction } from "../ledger.js";
import { ledgerTimeIso } from "../ledger-time.js";
import type { BatchProofFile } from "./proof-file.js";

export type CheckName = "INTEGRITY" | "STATUS" | "ISSUER";

export interface Check {
  name: CheckName;
  outcome: "PASSED" | "FAILED" | "SKIPPED";
  reason: string;
}

export interface Verdict {
  /** VALID only when every check passed. */
  verdict: "VALID" | "INVALID";
  /** The SHA-256 verified. */
  hash: Hash;
  checks: Check[];
  /** What the ledger recorded, when the document (or its batch) is anchored. */
  anchor?: {
    id?: Id;
    kind: DocumentKind;
    issuer: Id;
    status: DocumentStatus;
    version?: number;
    supersedes?: Hash | null;
    supersededBy?: Hash | null;
    /** The current version, when this one was amended. */
    current?: Hash;
    /** Lots the document concerns (single anchors only: a batch records none). */
    subjects: Id[];
    cid?: string;
    batch?: { root: Hash; count: number };
    anchoredAt: string;
    tx: string;
    block: string;
  };
}

/** What was presented: a file's bytes (as their hash), or only a hash. */
export type Presented = { type: "file"; hash: Hash } | { type: "hash"; hash: Hash };

export interface SingleDocumentFacts {
  presented: Presented;
  document: AnchoredDocument | undefined;
  /** The end of its chain of amendments, when it is SUPERSEDED. */
  current: AnchoredDocument | undefined;
  issuer: Organisation | undefined;
}

export interface BatchMemberFacts {
  proof: BatchProofFile;
  /** The hash of the document file presented with the proof file, if one was. */
  fileHash: Hash | undefined;
  batch: AnchoredBatch | undefined;
  /** Whether the proof leads from the document's hash to the batch root. */
  proofValid: boolean;
  revocation: Revocation | undefined;
  issuer: Organisation | undefined;
}

export function singleDocumentVerdict({ presented, document, current, issuer }: SingleDocumentFacts): Verdict {
  const { hash } = presented;
  // Whatever the ledger holds for it (an anchor made before empty documents were refused), an empty
  // file proves nothing: it is what a failed download leaves.
  if (hash === EMPTY_DOCUMENT_HASH) return verdict(hash, [failed("INTEGRITY", emptyDocument(presented.type)), ...skippedAfterIntegrity()]);
  if (document === undefined) {
    const reason =
      presented.type === "file"
        ? `no document with this file's SHA-256 (${hash}) is anchored: the file was altered, or never anchored; if it was issued in a batch, verify its proof file`
        : `no document with SHA-256 ${hash} is anchored on this ledger`;
    return verdict(hash, [failed("INTEGRITY", reason), ...skippedAfterIntegrity()]);
  }
  const what = `document ${document.id} version ${document.version}`;
  const integrity = passed(
    "INTEGRITY",
    presented.type === "file" ? `the file's SHA-256 matches the anchor of ${what}` : `${what} is anchored with this SHA-256`,
  );
  return verdict(hash, [integrity, documentStatus(document, current), issuerCheck(document.issuer, document.kind, issuer)], {
    id: document.id,
    kind: document.kind,
    issuer: document.issuer,
    status: document.status,
    version: document.version,
    supersedes: document.supersedes,
    supersededBy: document.supersededBy,
    ...(current !== undefined && current.hash !== document.hash ? { current: current.hash } : {}),
    subjects: document.subjects,
    cid: document.cid,
    ...where(document.anchoredIn),
  });
}

export function batchMemberVerdict({ proof, fileHash, batch, proofValid, revocation, issuer }: BatchMemberFacts): Verdict {
  const { hash } = proof.document;
  const root = proof.batch.root;
  const integrityFailure =
    fileHash === EMPTY_DOCUMENT_HASH || hash === EMPTY_DOCUMENT_HASH
      ? emptyDocument(fileHash === EMPTY_DOCUMENT_HASH ? "file" : "hash")
      : fileHash !== undefined && fileHash !== hash
        ? `the file's SHA-256 is ${fileHash}, but the proof file is for ${hash}: this is not the document the proof was made for (it was altered, or it is another file)`
        : batch === undefined
          ? `no batch with root ${root} is anchored on this ledger`
          : !proofValid
            ? `the proof does not lead from ${hash} to the anchored root ${root}: the proof file was altered or belongs to another batch`
            : batch.kind !== proof.document.kind || batch.issuer !== proof.document.issuer
              ? `the proof file says ${proof.document.kind} issued by ${proof.document.issuer}, but the batch was anchored as ${batch.kind} issued by ${batch.issuer}`
              : undefined;
  if (integrityFailure !== undefined || batch === undefined) {
    return verdict(hash, [failed("INTEGRITY", integrityFailure!), ...skippedAfterIntegrity()]);
  }
  const subject = fileHash === undefined ? "the proof leads" : "the file's SHA-256 and its proof lead";
  const integrity = passed("INTEGRITY", `${subject} to batch ${root} of ${batch.count} documents, anchored by ${batch.issuer}`);
  const status =
    revocation === undefined
      ? passed("STATUS", "VALID: the document has not been revoked")
      : failed(
          "STATUS",
          `REVOKED by ${batch.issuer} on ${ledgerTimeIso(revocation.revokedIn.time)} (transaction ${revocation.revokedIn.tx}): ${revocation.reason}`,
        );
  return verdict(hash, [integrity, status, issuerCheck(batch.issuer, batch.kind, issuer)], {
    kind: batch.kind,
    issuer: batch.issuer,
    status: revocation === undefined ? "VALID" : "REVOKED",
    subjects: [],
    ...(proof.document.cid === undefined ? {} : { cid: proof.document.cid }),
    batch: { root, count: batch.count },
    ...where(batch.anchoredIn),
  });
}

export interface TrackSegmentFacts {
  /** The Merkle root of the presented segment's messages. */
  root: Hash;
  /** How many messages the presented segment holds. */
  count: number;
  batch: AnchoredBatch | undefined;
  /** Revocations of the segment's messages, if any were revoked. */
  revocations: Revocation[];
  issuer: Organisation | undefined;
}

/**
 * An electronic seal's track segment, presented whole (domain/seal-track.ts): INTEGRITY when its messages
 * build exactly the root of an anchored SEAL_TRACK batch of as many messages, so any changed, added or
 * dropped reading fails; STATUS unless one of its messages was revoked; ISSUER as for any batch.
 */
export function trackSegmentVerdict({ root, count, batch, revocations, issuer }: TrackSegmentFacts): Verdict {
  const integrityFailure =
    batch === undefined
      ? `no batch with root ${root} is anchored: the track was altered (a position, time, seal state or alert changed, or a message added or dropped), or this segment was never anchored`
      : batch.kind !== "SEAL_TRACK"
        ? `root ${root} was anchored as a batch of ${batch.kind} documents, not as a seal track`
        : batch.count !== count
          ? `the segment holds ${count} messages, but its batch was anchored with ${batch.count}`
          : undefined;
  if (integrityFailure !== undefined || batch === undefined) return verdict(root, [failed("INTEGRITY", integrityFailure!), ...skippedAfterIntegrity()]);
  const integrity = passed("INTEGRITY", `the segment's ${count} messages build root ${root}, anchored by ${batch.issuer} as a seal track`);
  const status =
    revocations.length === 0
      ? passed("STATUS", "VALID: none of its messages has been revoked")
      : failed("STATUS", `REVOKED: ${revocations.length} of its messages revoked by ${batch.issuer}, first: ${revocations[0]!.reason}`);
  return verdict(root, [integrity, status, issuerCheck(batch.issuer, batch.kind, issuer)], {
    kind: batch.kind,
    issuer: batch.issuer,
    status: revocations.length === 0 ? "VALID" : "REVOKED",
    subjects: [],
    batch: { root, count: batch.count },
    ...where(batch.anchoredIn),
  });
}

function documentStatus(document: AnchoredDocument, current: AnchoredDocument | undefined): Check {
  switch (document.status) {
    case "VALID":
      return passed("STATUS", "VALID: the document has been neither revoked nor amended");
    case "REVOKED": {
      const revoked = document.revocation;
      const detail = revoked === null ? "" : ` on ${ledgerTimeIso(revoked.revokedIn.time)} (transaction ${revoked.revokedIn.tx}): ${revoked.reason}`;
      return failed("STATUS", `REVOKED by ${document.issuer}${detail}`);
    }
    case "SUPERSEDED": {
      const latest =
        current === undefined || current.hash === document.supersededBy
          ? ""
          : `; the current version is ${current.version} (${current.hash}), ${current.status}`;
      return failed("STATUS", `SUPERSEDED: amended by ${document.supersededBy}${latest}; verify the current version instead`);
    }
  }
}

function issuerCheck(issuerId: Id, kind: DocumentKind, issuer: Organisation | undefined): Check {
  if (issuer === undefined) return failed("ISSUER", `${issuerId} is not a registered organisation`);
  const entitled = ISSUERS_BY_DOCUMENT_KIND[kind];
  if (!entitled.includes(issuer.kind)) {
    return failed("ISSUER", `${issuerId} is registered as ${issuer.kind}, and ${kind} documents may be issued only by ${entitled.join(" or ")} organisations`);
  }
  return passed("ISSUER", `issued by ${issuerId}, registered as ${issuer.kind}, which may issue ${kind} documents`);
}

function emptyDocument(presented: Presented["type"]): string {
  return presented === "file"
    ? "the file is empty (0 bytes): there is nothing to verify; check the download and verify the complete file"
    : `${EMPTY_DOCUMENT_HASH} is the SHA-256 of an empty document (0 bytes), which proves nothing`;
}

function skippedAfterIntegrity(): Check[] {
  return [
    { name: "STATUS", outcome: "SKIPPED", reason: "no anchor to check: integrity failed" },
    { name: "ISSUER", outcome: "SKIPPED", reason: "no anchor to check: integrity failed" },
  ];
}

function verdict(hash: Hash, checks: Check[], anchor?: Verdict["anchor"]): Verdict {
  const valid = checks.every((check) => check.outcome === "PASSED");
  return { verdict: valid ? "VALID" : "INVALID", hash, checks, ...(anchor === undefined ? {} : { anchor }) };
}

function where(transaction: Transaction): { anchoredAt: string; tx: string; block: string } {
  return { anchoredAt: ledgerTimeIso(transaction.time), tx: transaction.tx, block: transaction.block.toString() };
}

function passed(name: CheckName, reason: string): Check {
  return { name, outcome: "PASSED", reason };
}

function failed(name: CheckName, reason: string): Check {
  return { name, outcome: "FAILED", reason };
}
