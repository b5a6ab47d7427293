/**
 * Merkle batches: many documents anchored under one root. Leaves follow OpenZeppelin's standard tree
 * (`keccak256(bytes.concat(keccak256(abi.encode(sha256))))`), so a proof made here verifies on chain
 * with OpenZeppelin's MerkleProof.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Hash } from "./types.js";

const LEAF_ENCODING = ["bytes32"];

export interface DocumentBatch {
  root: Hash;
  /** The proof of each document, in the order the hashes were given. */
  proofs: Hash[][];
}

export function buildBatch(documentHashes: readonly Hash[]): DocumentBatch {
  const tree = StandardMerkleTree.of(documentHashes.map((hash) => [hash]), LEAF_ENCODING);
  const proofs = documentHashes.map((_, index) => tree.getProof(index) as Hash[]);
  return { root: tree.root as Hash, proofs };
}

export function verifyBatchProof(root: Hash, documentHash: Hash, proof: readonly Hash[]): boolean {
  try {
    return StandardMerkleTree.verify(root, LEAF_ENCODING, [documentHash], [...proof]);
  } catch {
    return false;
  }
}
