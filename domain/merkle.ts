/**
 * Merkle batches: many documents anchored under one root. The tree is OpenZeppelin's standard tree —
 * leaf = keccak256(keccak256(abi.encode(bytes32 sha256))), sorted leaves, sorted-pair hashing, the
 * same array layout — so roots and proofs equal those of `@openzeppelin/merkle-tree`'s
 * StandardMerkleTree and verify on chain with OpenZeppelin's MerkleProof. Built here directly on
 * keccak over bytes because the generic library spends most of its time ABI-encoding values.
 */
import sha3 from "js-sha3";
import { fail } from "./errors.js";
import type { Hash } from "./types.js";
import { EMPTY_DOCUMENT_HASH } from "./validate.js";

export interface DocumentBatch {
  root: Hash;
  /** The proof of each document, in the order the hashes were given. */
  proofs: Hash[][];
}

function keccak(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(sha3.keccak256.arrayBuffer(bytes));
}

function bytesOf(hash: Hash): Uint8Array {
  return Buffer.from(hash.slice(2), "hex");
}

function hexOf(bytes: Uint8Array): Hash {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

/** abi.encode of one bytes32 is the 32 bytes themselves. */
function leafOf(documentHash: Uint8Array): Uint8Array {
  return keccak(keccak(documentHash));
}

function compare(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const [low, high] = compare(a, b) <= 0 ? [a, b] : [b, a];
  pair.set(low, 0);
  pair.set(high, 32);
  return keccak(pair);
}

export function buildBatch(documentHashes: readonly Hash[]): DocumentBatch {
  if (documentHashes.length === 0) fail("INVALID_ARGUMENT", "a batch needs at least one document");
  // An empty member would verify as VALID wherever an empty file is presented with its proof.
  const empty = documentHashes.findIndex((hash) => hash.toLowerCase() === EMPTY_DOCUMENT_HASH);
  if (empty !== -1) fail("DOCUMENT_EMPTY", `document ${empty + 1} of the batch is empty (0 bytes)`, { index: String(empty) });
  const leaves = documentHashes.map((hash, index) => ({ leaf: leafOf(bytesOf(hash)), index }));
  leaves.sort((a, b) => compare(a.leaf, b.leaf));
  // A complete binary tree in an array: node i has children 2i+1 and 2i+2; leaves fill the end, in
  // reverse sorted order, as OpenZeppelin lays them out.
  const tree: Uint8Array[] = new Array(2 * leaves.length - 1);
  const position = new Array<number>(leaves.length);
  leaves.forEach(({ leaf, index }, sorted) => {
    tree[tree.length - 1 - sorted] = leaf;
    position[index] = tree.length - 1 - sorted;
  });
  for (let node = tree.length - 1 - leaves.length; node >= 0; node--) {
    tree[node] = hashPair(tree[2 * node + 1]!, tree[2 * node + 2]!);
  }
  const hexTree = tree.map(hexOf); // each node appears in many proofs: convert it once
  const proofs = position.map((start) => {
    const proof: Hash[] = [];
    for (let node = start; node > 0; node = Math.floor((node - 1) / 2)) {
      proof.push(hexTree[node % 2 === 1 ? node + 1 : node - 1]!);
    }
    return proof;
  });
  return { root: hexTree[0]!, proofs };
}

export function verifyBatchProof(root: Hash, documentHash: Hash, proof: readonly Hash[]): boolean {
  let node = leafOf(bytesOf(documentHash));
  for (const sibling of proof) node = hashPair(node, bytesOf(sibling));
  return hexOf(node) === root.toLowerCase();
}
