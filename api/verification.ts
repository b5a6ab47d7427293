/**
 * Document verification over the store. A single document goes through the SDK's DocumentVerifier;
 * a batch member's facts are gathered here (so that the hash of a file hashed in the browser can
 * stand in for the file) and judged by the same pure verdict assembly (sdk/anchoring/verdict.ts).
 */
import type { Kysely } from "kysely";
import { verifyBatchProof, type Hash } from "../domain/index.js";
import type { Database } from "../indexer/store/index.js";
import { PROOF_FILE_FORMAT, PROOF_FILE_VERSION, type BatchProofFile } from "../sdk/anchoring/proof-file.js";
import { batchMemberVerdict, type Verdict } from "../sdk/anchoring/verdict.js";
import { DocumentVerifier } from "../sdk/anchoring/verifier.js";
import type { Loaders } from "./loaders.js";
import { batchByRoot, batchMemberRevocation } from "./read/documents.js";

export class StoreVerifier {
  private readonly single: DocumentVerifier;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly loaders: Loaders,
  ) {
    this.single = new DocumentVerifier({
      document: (hash) => loaders.document.load(hash),
      batch: (root) => batchByRoot(db, root),
      batchMemberRevocation: (root, leaf) => batchMemberRevocation(db, root, leaf),
      organisation: (id) => loaders.organisation.load(id),
    });
  }

  verifyHash(hash: Hash): Promise<Verdict> {
    return this.single.verifyHash(hash);
  }

  verifyFile(bytes: Uint8Array): Promise<Verdict> {
    return this.single.verifyFile(bytes);
  }

  /** A batch member by its proof file, with the SHA-256 of the document file when the caller has it. */
  async verifyProof(proof: BatchProofFile, fileHash?: Hash): Promise<Verdict> {
    const { root } = proof.batch;
    const [batch, revocation] = await Promise.all([batchByRoot(this.db, root), batchMemberRevocation(this.db, root, proof.document.hash)]);
    return batchMemberVerdict({
      proof,
      fileHash,
      batch,
      proofValid: verifyBatchProof(root, proof.document.hash, proof.proof),
      revocation,
      issuer: batch === undefined ? undefined : await this.loaders.organisation.load(batch.issuer),
    });
  }

  /**
   * A batch member named by a verification link: its hash, the root and the Merkle path, without the
   * proof file's kind and issuer, which are then the anchored batch's own (the path is what proves).
   */
  async verifyPath(hash: Hash, root: Hash, path: readonly Hash[]): Promise<Verdict> {
    const batch = await batchByRoot(this.db, root);
    // Without an anchored batch the verdict says so before it reads kind, issuer or count.
    const proof: BatchProofFile = {
      format: PROOF_FILE_FORMAT,
      version: PROOF_FILE_VERSION,
      document: { hash, kind: batch?.kind ?? "CO", issuer: batch?.issuer ?? "" },
      batch: { root, count: batch?.count ?? 1, tx: batch?.anchoredIn.tx ?? "", block: batch?.anchoredIn.block.toString() ?? "" },
      proof: [...path],
    };
    return this.verifyProof(proof);
  }
}
