/**
 * The channel's blocks through the peer's query system chaincode (qscc), the Fabric way to read the
 * ledger up to its current height: a chaincode event stream has no end to stop at.
 */
import type { Contract, Network } from "@hyperledger/fabric-gateway";
import { common, peer } from "@hyperledger/fabric-protos";
import { throughGateway } from "./errors.js";

/** A chaincode event of a valid transaction: the transaction's id and the event's payload. */
export interface BlockEvent {
  txId: string;
  payload: string;
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

  /** The chaincode's events in block `number`, in transaction order; invalid transactions have none. */
  async chaincodeEvents(number: bigint): Promise<BlockEvent[]> {
    const bytes = await throughGateway(() => this.qscc.evaluateTransaction("GetBlockByNumber", this.channel, number.toString()));
    const block = common.Block.deserializeBinary(bytes);
    const codes = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
    const envelopes = block.getData()?.getDataList_asU8() ?? [];
    return envelopes.flatMap((envelope, index) => (codes[index] === peer.TxValidationCode.VALID ? this.eventsOf(envelope) : []));
  }

  private eventsOf(envelope: Uint8Array): BlockEvent[] {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelope).getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return [];
    return peer.Transaction.deserializeBinary(payload.getData_asU8())
      .getActionsList()
      .flatMap((action) => {
        const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
        const response = peer.ProposalResponsePayload.deserializeBinary(endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array());
        const events = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8()).getEvents_asU8();
        const event = events.length === 0 ? undefined : peer.ChaincodeEvent.deserializeBinary(events);
        return event?.getChaincodeId() === this.chaincode ? [{ txId: channelHeader.getTxId(), payload: Buffer.from(event.getPayload_asU8()).toString("utf8") }] : [];
      });
  }
}
