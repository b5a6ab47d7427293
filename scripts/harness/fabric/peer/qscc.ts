/**
 * The peer's query system chaincode, qscc, for what clients read of the channel's blocks:
 * GetChainInfo (the height, the last block's hash and its previous hash) and GetBlockByNumber (a
 * common.Block holding the ordered transaction envelopes and, in its TRANSACTIONS_FILTER metadata,
 * each one's validation code; its header the number, previous hash and data hash). Queries only
 * (evaluate), as in Fabric.
 */
import { common } from "@hyperledger/fabric-protos";
import type { ChaincodeResult } from "./chaincode-stream.js";
import { headerHashOf } from "./block-chain.js";
import type { Block } from "./peer.js";

export const QSCC = "qscc";
const METADATA_ENTRIES = 5;

/** Answers qscc `function(channel, ...args)` from the committed blocks. */
export function queryBlocks(channel: string, blocks: readonly Block[], [name, channelArg, number]: readonly string[]): ChaincodeResult {
  if (channelArg !== channel) return failure(`channel ${channelArg} is not joined by this peer`);
  switch (name) {
    case "GetChainInfo": {
      const info = new common.BlockchainInfo();
      const last = blocks.at(-1)!;
      info.setHeight(blocks.length);
      info.setCurrentblockhash(headerHashOf(last));
      info.setPreviousblockhash(last.previousHash);
      return success(info.serializeBinary());
    }
    case "GetBlockByNumber": {
      const block = number !== undefined && /^(0|[1-9][0-9]*)$/.test(number) ? blocks[Number(number)] : undefined;
      return block === undefined
        ? failure(`Failed to get block number ${number}, error Entry not found in index`)
        : success(fabricBlock(block).serializeBinary());
    }
    default:
      return failure(`Requested function ${name} not found.`);
  }
}

function fabricBlock({ number, transactions, previousHash, dataHash }: Block): common.Block {
  const header = new common.BlockHeader();
  header.setNumber(number);
  header.setPreviousHash(previousHash);
  header.setDataHash(dataHash);
  const data = new common.BlockData();
  data.setDataList(transactions.map(({ envelope }) => envelope.serializeBinary()));
  const entries: Uint8Array[] = Array.from({ length: METADATA_ENTRIES }, () => new Uint8Array());
  entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(transactions.map(({ code }) => code));
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList(entries);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  return block;
}

function success(payload: Uint8Array): ChaincodeResult {
  return { status: 200, message: "", payload };
}

function failure(message: string): ChaincodeResult {
  return { status: 500, message, payload: new Uint8Array() };
}
