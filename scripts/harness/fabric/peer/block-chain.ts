/** The in-process peer's blocks chained as Fabric chains them, through their headers' hashes. */
import { createHash } from "node:crypto";
import { blockHeaderHash } from "../../../../sdk/fabric/block-header.js";
import type { Block, CommittedTransaction } from "./peer.js";

/**
 * The block after `previous`, with Fabric's header hashes: the data hash is SHA-256 of its envelopes'
 * bytes concatenated (protoutil.BlockDataHash), the previous hash the previous header's hash.
 */
export function chained(previous: Block | undefined, transactions: CommittedTransaction[]): Block {
  const dataHash = createHash("sha256")
    .update(Buffer.concat(transactions.map(({ envelope }) => envelope.serializeBinary())))
    .digest();
  if (previous === undefined) return { number: 0, transactions, previousHash: new Uint8Array(), dataHash };
  return { number: previous.number + 1, transactions, previousHash: headerHashOf(previous), dataHash };
}

export function headerHashOf({ number, previousHash, dataHash }: Block): Uint8Array {
  return blockHeaderHash({ number: BigInt(number), previousHash, dataHash });
}
