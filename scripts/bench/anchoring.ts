/**
 * Anchoring and verification throughput on the embedded ledger (in-process EDR chain, EvmLedger with
 * signed, pipelined transactions). Documents are 2 KiB of random bytes, hashed here; storing them
 * encrypted is measured in the documents section. A batch is timed stage by stage (hashing, Merkle
 * tree and proofs with domain buildBatch, proof files as JSON text, the one root transaction), so the
 * figures show what dominates.
 */
import { randomBytes } from "node:crypto";
import { documentHash, type Hash } from "../../domain/index.js";
import { DocumentAnchoring } from "../../sdk/anchoring/anchoring.js";
import { serializeProofFile } from "../../sdk/anchoring/proof-file.js";
import { DocumentVerifier } from "../../sdk/anchoring/verifier.js";
import { startDemoNetwork } from "../../product/chain/demo-network.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";

const DOCUMENT_BYTES = 2048;
const SINGLE_DOCUMENTS = 500;
const BATCH_DOCUMENTS = 20_000;
const VERIFICATIONS = 500;
const ISSUER = { org: "VCCI-HCM", role: "SIGNER" } as const;
const CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

export async function benchAnchoring(progress: (label: string) => void = () => {}): Promise<Record<string, number>> {
  const network = await startDemoNetwork();
  try {
    const ledger = await EvmLedger.connect({
      endpoint: network.chain.connection.provider,
      addresses: network.chain.addresses,
      signers: network.signers,
      pollIntervalMs: 1,
    });
    const anchoring = new DocumentAnchoring(ledger, ISSUER);
    const verifier = new DocumentVerifier(ledger);

    progress(`${SINGLE_DOCUMENTS} single anchors, all in flight`);
    const singles = Array.from({ length: SINGLE_DOCUMENTS }, () => documentHash(randomBytes(DOCUMENT_BYTES)));
    const singleSeconds = await timed(() =>
      Promise.all(singles.map((hash, index) => ledger.submit(ISSUER, { type: "anchor", hash, id: `CO-${index}`, kind: "CO", cid: CID, subjects: ["LOT-1"] }))),
    );

    progress(`a batch of ${BATCH_DOCUMENTS.toLocaleString("en")} documents`);
    const documents = Array.from({ length: BATCH_DOCUMENTS }, () => randomBytes(DOCUMENT_BYTES));
    let hashes: Hash[] = [];
    const hashSeconds = await timed(async () => {
      hashes = documents.map((document) => documentHash(document));
    });
    let anchored: Awaited<ReturnType<DocumentAnchoring["anchorBatch"]>> | undefined;
    const anchorSeconds = await timed(async () => {
      anchored = await anchoring.anchorBatch(
        "CO",
        hashes.map((hash) => ({ hash })),
      );
    });
    const proofs = anchored!.proofs;
    const serializeSeconds = await timed(async () => {
      for (const proof of proofs) serializeProofFile(proof);
    });
    const transactionSeconds = await timed(() =>
      ledger.submit(ISSUER, { type: "anchorBatch", root: documentHash(randomBytes(32)), kind: "CO", count: BATCH_DOCUMENTS }),
    );
    const batchSeconds = hashSeconds + anchorSeconds + serializeSeconds;

    progress(`${VERIFICATIONS} verifications of single documents and of batch proofs`);
    const verifyFileSeconds = await timed(() => Promise.all(singles.slice(0, VERIFICATIONS).map((hash) => verifier.verifyHash(hash))));
    const verifyProofSeconds = await timed(() => Promise.all(proofs.slice(0, VERIFICATIONS).map((proof) => verifier.verifyProof(proof))));

    return {
      anchoring_single_documents_per_s: rate(SINGLE_DOCUMENTS, singleSeconds),
      anchoring_batched_documents_per_s: rate(BATCH_DOCUMENTS, batchSeconds),
      anchoring_batch_hashing_documents_per_s: rate(BATCH_DOCUMENTS, hashSeconds),
      anchoring_batch_tree_proofs_and_tx_documents_per_s: rate(BATCH_DOCUMENTS, anchorSeconds),
      anchoring_batch_root_tx_ms: Math.round(transactionSeconds * 1000),
      anchoring_batch_proof_files_json_per_s: rate(BATCH_DOCUMENTS, serializeSeconds),
      verifications_single_per_s: rate(VERIFICATIONS, verifyFileSeconds),
      verifications_batch_proof_per_s: rate(VERIFICATIONS, verifyProofSeconds),
    };
  } finally {
    await network.chain.stop();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

function rate(count: number, seconds: number): number {
  return Math.round(count / seconds);
}
