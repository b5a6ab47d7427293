/** Verification of a file, a hash or a proof file: gathers the facts from the ledger for verdict.ts. */
import { documentHash, verifyBatchProof, type Hash } from "../../domain/index.js";
import type { Ledger } from "../ledger.js";
import type { BatchProofFile } from "./proof-file.js";
import { versionChain } from "./versions.js";
import { batchMemberVerdict, singleDocumentVerdict, type Presented, type Verdict } from "./verdict.js";

export type VerifyingLedger = Pick<Ledger, "document" | "batch" | "batchMemberRevocation" | "organisation">;

export class DocumentVerifier {
  constructor(private readonly ledger: VerifyingLedger) {}

  verifyFile(bytes: Uint8Array): Promise<Verdict> {
    return this.verifySingle({ type: "file", hash: documentHash(bytes) });
  }

  verifyHash(hash: Hash): Promise<Verdict> {
    return this.verifySingle({ type: "hash", hash: hash.toLowerCase() as Hash });
  }

  /** A document of a batch, by its proof file, and the document file itself when given. */
  async verifyProof(proof: BatchProofFile, file?: Uint8Array): Promise<Verdict> {
    const { root } = proof.batch;
    const { hash } = proof.document;
    const [batch, revocation] = await Promise.all([this.ledger.batch(root), this.ledger.batchMemberRevocation(root, hash)]);
    return batchMemberVerdict({
      proof,
      fileHash: file === undefined ? undefined : documentHash(file),
      batch,
      proofValid: verifyBatchProof(root, hash, proof.proof),
      revocation,
      issuer: batch === undefined ? undefined : await this.ledger.organisation(batch.issuer),
    });
  }

  private async verifySingle(presented: Presented): Promise<Verdict> {
    const document = await this.ledger.document(presented.hash);
    return singleDocumentVerdict({
      presented,
      document,
      current: document?.status === "SUPERSEDED" ? (await versionChain(this.ledger, document.hash)).at(-1) : undefined,
      issuer: document === undefined ? undefined : await this.ledger.organisation(document.issuer),
    });
  }
}
