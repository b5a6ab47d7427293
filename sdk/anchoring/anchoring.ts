/**
 * Anchoring documents on a ledger as one issuer: a single document (stored encrypted, then its hash,
 * CID, kind and subjects anchored), an amendment (the next version of an anchored document), a Merkle
 * batch of many documents under one root with a proof file per document, and revocations.
 */
import { buildBatch, EMPTY_DOCUMENT_HASH, fail, type Actor, type DocumentKind, type Hash, type Id } from "../../domain/index.js";
import type { EncryptedDocumentStore, StoredDocument } from "../documents/encrypted-store.js";
import type { Recipient } from "../documents/envelope.js";
import type { Ledger, Submitted } from "../ledger.js";
import { PROOF_FILE_FORMAT, PROOF_FILE_VERSION, type BatchProofFile } from "./proof-file.js";

export interface DocumentDetails {
  /** The issuer's id of the document (1 to 31 printable ASCII characters). */
  id: Id;
  /** Lots the document concerns. */
  subjects: Id[];
  /** Organisations that may read it; the issuer is always one. */
  recipients: Recipient[];
}

/** A document of a batch: its SHA-256 and, when stored, where. */
export interface BatchMember {
  hash: Hash;
  cid?: string;
  /** A name for the holder (the file name); not anchored. */
  name?: string;
}

export interface AnchoredBatchFiles {
  root: Hash;
  submitted: Submitted;
  /** One proof file per member, in the members' order. */
  proofs: BatchProofFile[];
}

/** Where an issuer stores its documents, and its own public key, added to every document's recipients. */
export interface IssuerStorage {
  store: EncryptedDocumentStore;
  issuerKey: Recipient;
}

export class DocumentAnchoring {
  constructor(
    private readonly ledger: Ledger,
    /** A SIGNER of the issuing organisation. */
    private readonly issuer: Actor,
    /** Needed to store documents; batches of documents stored elsewhere anchor without it. */
    private readonly storage?: IssuerStorage,
  ) {}

  /** Stores the document encrypted for its recipients, then anchors it. */
  async anchor(bytes: Uint8Array, kind: DocumentKind, details: DocumentDetails): Promise<{ stored: StoredDocument; submitted: Submitted }> {
    const stored = await this.put(bytes, details.recipients, details.id);
    const submitted = await this.ledger.submit(this.issuer, {
      type: "anchor",
      hash: stored.hash,
      cid: stored.cid,
      kind,
      id: details.id,
      subjects: details.subjects,
    });
    return { stored, submitted };
  }

  /** Stores and anchors `bytes` as the next version of document `previous`, which becomes SUPERSEDED. */
  async amend(previous: Hash, bytes: Uint8Array, details: DocumentDetails): Promise<{ stored: StoredDocument; submitted: Submitted }> {
    const stored = await this.put(bytes, details.recipients, details.id);
    const submitted = await this.ledger.submit(this.issuer, {
      type: "supersede",
      previous,
      hash: stored.hash,
      cid: stored.cid,
      id: details.id,
      subjects: details.subjects,
    });
    return { stored, submitted };
  }

  /** Stores a batch member encrypted (the batch itself anchors only hashes). */
  async storeMember(bytes: Uint8Array, recipients: Recipient[], name?: string): Promise<BatchMember> {
    const { hash, cid } = await this.put(bytes, recipients, name);
    return name === undefined ? { hash, cid } : { hash, cid, name };
  }

  /** Anchors the Merkle root of `members` and returns each member's proof file. */
  async anchorBatch(kind: DocumentKind, members: readonly BatchMember[]): Promise<AnchoredBatchFiles> {
    const empty = members.findIndex((member) => member.hash.toLowerCase() === EMPTY_DOCUMENT_HASH);
    if (empty !== -1) refuseEmpty(members[empty]!.name ?? `document ${empty + 1} of the batch`);
    const { root, proofs } = buildBatch(members.map((member) => member.hash));
    const submitted = await this.ledger.submit(this.issuer, { type: "anchorBatch", root, kind, count: members.length });
    const batch = { root, count: members.length, tx: submitted.tx, block: submitted.block.toString() };
    return {
      root,
      submitted,
      proofs: members.map(({ hash, cid, name }, index) => ({
        format: PROOF_FILE_FORMAT,
        version: PROOF_FILE_VERSION,
        document: { hash, kind, issuer: this.issuer.org, ...(cid === undefined ? {} : { cid }), ...(name === undefined ? {} : { name }) },
        batch,
        proof: proofs[index]!,
      })),
    };
  }

  revoke(hash: Hash, reason: string): Promise<Submitted> {
    return this.ledger.submit(this.issuer, { type: "revoke", hash, reason });
  }

  /** Revokes one document of a batch; the other members stay VALID. */
  revokeMember(proof: BatchProofFile, reason: string): Promise<Submitted> {
    return this.ledger.submit(this.issuer, { type: "revokeBatchMember", root: proof.batch.root, leaf: proof.document.hash, proof: proof.proof, reason });
  }

  /** Refuses an empty document before anything is stored or sent: the ledger would refuse its hash. */
  private put(bytes: Uint8Array, recipients: readonly Recipient[], name = "the document"): Promise<StoredDocument> {
    if (bytes.length === 0) refuseEmpty(name);
    if (this.storage === undefined) throw new Error("no document store was given to store documents in");
    const { store, issuerKey } = this.storage;
    return store.putDocument(bytes, [issuerKey, ...recipients.filter((recipient) => recipient.orgId !== issuerKey.orgId)]);
  }
}

function refuseEmpty(name: string): never {
  return fail("DOCUMENT_EMPTY", `${name} is empty (0 bytes): nothing to anchor`, { name, hash: EMPTY_DOCUMENT_HASH });
}
