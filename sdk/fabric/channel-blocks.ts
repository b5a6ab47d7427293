/**
 * The channel's blocks through the peer's query system chaincode (qscc), the Fabric way to read the
 * ledger up to its current height: a chaincode event stream has no end to stop at.
 */
import type { Contract, Network } from "@hyperledger/fabric-gateway";
import { common, peer } from "@hyperledger/fabric-protos";
import { LedgerUnavailableError } from "../ledger.js";
import { blockHeaderHash } from "./block-header.js";
import { throughGateway } from "./errors.js";

/** A committed block: its place in the chain and the chaincode's valid transactions in it. */
export interface ChannelBlock {
  number: bigint;
  /** Fabric's block hash (block-header.ts), hex. */
  hash: string;
  /** The hash of the block before, as this block's header records it, hex ("" in the genesis block). */
  previousHash: string;
  /**
   * The block's ledger time: a Fabric header has none, so it is the timestamp of its first valid
   * transaction (a TraceGate event's time is its transaction's), else of its first transaction
   * (a configuration block, or one whose transactions all failed), 0 for a block with none.
   */
  time: bigint;
  /** The chaincode's valid transactions, in block order. */
  transactions: ChaincodeTransaction[];
}

/** A valid transaction of the chaincode: what it invoked, what it returned, the event it set. */
export interface ChaincodeTransaction {
  txId: string;
  /** Its timestamp (set by its client), seconds: TraceGate's ledger time on Fabric. */
  time: bigint;
  /** The function as the client named it ("TraceGate:Submit", or "Submit"). */
  function: string;
  /** The chaincode's response payload, UTF-8. */
  result: string;
  /** The chaincode event's payload, UTF-8, when the transaction set one. */
  event?: string;
}

interface Envelope {
  header: common.ChannelHeader;
  payload: common.Payload;
}

export class ChannelBlocks {
  private readonly qscc: Contract;
  private readonly channel: string;

  constructor(
    network: Network,
    private readonly chaincode: string,
  ) {
    this.qscc = network.getContract("qscc");
    this.channel = network.getName();
  }

  /** The number of blocks committed (the next block's number). */
  async height(): Promise<bigint> {
    const info = common.BlockchainInfo.deserializeBinary(await throughGateway(() => this.qscc.evaluateTransaction("GetChainInfo", this.channel)));
    return BigInt(info.getHeight());
  }

  async block(number: bigint): Promise<ChannelBlock> {
    const block = common.Block.deserializeBinary(
      await throughGateway(() => this.qscc.evaluateTransaction("GetBlockByNumber", this.channel, number.toString())),
    );
    const header = block.getHeader();
    if (header === undefined || BigInt(header.getNumber()) !== number) throw new LedgerUnavailableError(`qscc answered block ${number} with another block`);
    const codes = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
    const envelopes = (block.getData()?.getDataList_asU8() ?? []).map(decodeEnvelope);
    const valid = envelopes.filter((_, index) => codes[index] === peer.TxValidationCode.VALID);
    const timed = valid[0] ?? envelopes[0];
    const previousHash = header.getPreviousHash_asU8();
    return {
      number,
      hash: hex(blockHeaderHash({ number, previousHash, dataHash: header.getDataHash_asU8() })),
      previousHash: hex(previousHash),
      time: timed === undefined ? 0n : secondsOf(timed.header),
      transactions: valid.flatMap((envelope) => this.transactionsOf(envelope)),
    };
  }

  private transactionsOf({ header, payload }: Envelope): ChaincodeTransaction[] {
    if (header.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return [];
    return peer.Transaction.deserializeBinary(payload.getData_asU8())
      .getActionsList()
      .flatMap((transactionAction) => {
        const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(transactionAction.getPayload_asU8());
        const response = peer.ProposalResponsePayload.deserializeBinary(actionPayload.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array());
        const action = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
        if (action.getChaincodeId()?.getName() !== this.chaincode) return [];
        const events = action.getEvents_asU8();
        const event = events.length === 0 ? undefined : peer.ChaincodeEvent.deserializeBinary(events);
        return [
          {
            txId: header.getTxId(),
            time: secondsOf(header),
            function: invokedFunction(actionPayload),
            result: utf8(action.getResponse()?.getPayload_asU8()),
            ...(event?.getChaincodeId() === this.chaincode ? { event: utf8(event.getPayload_asU8()) } : {}),
          },
        ];
      });
  }
}

function decodeEnvelope(bytes: Uint8Array): Envelope {
  const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
  return { header: common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array()), payload };
}

/** The invocation's first argument, the function's name (the transaction keeps the proposal's input). */
function invokedFunction(actionPayload: peer.ChaincodeActionPayload): string {
  const input = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8()).getInput_asU8();
  return utf8(peer.ChaincodeInvocationSpec.deserializeBinary(input).getChaincodeSpec()?.getInput()?.getArgsList_asU8()[0]);
}

function secondsOf(header: common.ChannelHeader): bigint {
  return BigInt(header.getTimestamp()?.getSeconds() ?? 0);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function utf8(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? new Uint8Array()).toString("utf8");
}
