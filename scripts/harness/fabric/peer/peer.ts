/**
 * A Fabric peer in this process, with the channel's orderer folded in: it endorses proposals by
 * running the chaincode in fabric-shim against a simulation of committed state, cuts each batch of
 * signed transactions into a block, validates every transaction in order (MVCC and phantom checks)
 * and commits the valid ones, with their key history and chaincode events. Its qscc answers queries
 * about the blocks.
 */
import { createHash } from "node:crypto";
import { common, peer } from "@hyperledger/fabric-protos";
import { certificateAuthority, memberIdentity, type Identity } from "../identities.js";
import { serializedIdentity } from "../proposals.js";
import { chained } from "./block-chain.js";
import { ChaincodeStream, type ChaincodeResult } from "./chaincode-stream.js";
import { validateTransaction, type ValidationCode } from "./committer.js";
import { ChannelMsps, MspError } from "./msp.js";
import { QSCC, queryBlocks } from "./qscc.js";
import { encodeReadWriteSet } from "./rwset.js";
import { TxSimulator } from "./simulator.js";
import { StateDb } from "./state-db.js";

export interface CommittedTransaction {
  txId: string;
  /** The transaction as ordered. */
  envelope: common.Envelope;
  code: ValidationCode;
  /** The chaincode event, for valid transactions that set one. */
  event?: peer.ChaincodeEvent;
}

export interface Block {
  number: number;
  transactions: CommittedTransaction[];
  /** The block header's hashes, chained as Fabric chains them (see chained()). */
  previousHash: Uint8Array;
  dataHash: Uint8Array;
}

export interface PeerOptions {
  channel: string;
  /** The chaincode's name (its state namespace). */
  chaincode: string;
  /** fabric-contract-api contract classes to run in this process, or the address of a chaincode server. */
  contracts: readonly unknown[] | { address: string };
}

/** The ledger's whole state at one point, to return to it. */
export interface LedgerSnapshot {
  db: StateDb;
  blocks: Block[];
}

/** The MSP of the channel's peer: its endorsements satisfy the endorsement policy. */
export const PEER_MSP = "PeerOrgMSP";
const ERROR_STATUS = 500;

export class InProcessPeer {
  readonly msps = new ChannelMsps();
  private db = new StateDb();
  /** Block 0 is the channel's genesis block, which holds no transaction. */
  private blocks: Block[] = [chained(undefined, [])];
  private readonly listeners = new Set<(block: Block) => void>();
  private readonly identity: Identity;

  private constructor(
    readonly channel: string,
    readonly chaincode: string,
    private readonly stream: ChaincodeStream,
  ) {
    this.msps.add(certificateAuthority(PEER_MSP));
    this.identity = memberIdentity(PEER_MSP, "peer0", {}, "peer");
  }

  static async start({ channel, chaincode, contracts }: PeerOptions): Promise<InProcessPeer> {
    const stream = "address" in contracts ? await ChaincodeStream.connect(chaincode, contracts.address) : await ChaincodeStream.start(chaincode, contracts);
    return new InProcessPeer(channel, chaincode, stream);
  }

  /** Disconnects from the chaincode. */
  stop(): void {
    this.stream.stop();
  }

  /** Endorses a proposal: checks its creator, simulates the chaincode, signs the response. */
  async processProposal(signed: peer.SignedProposal): Promise<peer.ProposalResponse> {
    const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    const txId = channelHeader.getTxId();
    const failure = this.checkProposal(signed, channelHeader, signatureHeader);
    if (failure !== undefined) return errorResponse(failure);

    const invocation = peer.ChaincodeInvocationSpec.deserializeBinary(
      peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8()).getInput_asU8(),
    );
    const input = invocation.getChaincodeSpec()?.getInput();
    if (chaincodeOf(channelHeader) === QSCC) {
      const args = (input?.getArgsList_asU8() ?? []).map((arg) => Buffer.from(arg).toString("utf8"));
      return queryResponse(queryBlocks(this.channel, this.blocks, args));
    }
    const simulator = new TxSimulator(this.db, this.chaincode);
    const result = await this.stream.execute(this.channel, txId, signed, input?.serializeBinary() ?? new Uint8Array(), simulator);
    if (result.status >= 400) return errorResponse(result.message, result.status);

    const chaincodeResponse = new peer.Response();
    chaincodeResponse.setStatus(result.status);
    chaincodeResponse.setMessage(result.message);
    chaincodeResponse.setPayload(result.payload);
    const chaincodeId = new peer.ChaincodeID();
    chaincodeId.setName(this.chaincode);
    const action = new peer.ChaincodeAction();
    action.setResults(encodeReadWriteSet(simulator.results()));
    if (result.event !== undefined) {
      const event = peer.ChaincodeEvent.deserializeBinary(result.event.serializeBinary());
      event.setChaincodeId(this.chaincode);
      event.setTxId(txId);
      action.setEvents(event.serializeBinary());
    }
    action.setResponse(chaincodeResponse);
    action.setChaincodeId(chaincodeId);
    const responsePayload = new peer.ProposalResponsePayload();
    responsePayload.setProposalHash(createHash("sha256").update(proposal.getHeader_asU8()).update(proposal.getPayload_asU8()).digest());
    responsePayload.setExtension$(action.serializeBinary());
    const payloadBytes = responsePayload.serializeBinary();

    const endorser = serializedIdentity(this.identity);
    const endorsement = new peer.Endorsement();
    endorsement.setEndorser(endorser);
    endorsement.setSignature(await this.identity.sign(Buffer.concat([payloadBytes, endorser])));
    const response = new peer.ProposalResponse();
    response.setVersion(1);
    response.setResponse(chaincodeResponse);
    response.setPayload(payloadBytes);
    response.setEndorsement(endorsement);
    return response;
  }

  /** Orders `envelopes` into the next block, validates each in order and commits the valid ones. */
  order(envelopes: readonly common.Envelope[]): Block {
    const number = this.blocks.length;
    const seen = new Set<string>();
    const transactions = envelopes.map((envelope, index): CommittedTransaction => {
      const validated = validateTransaction(envelope, {
        channel: this.channel,
        namespace: this.chaincode,
        msps: this.msps,
        endorsingMsp: PEER_MSP,
        db: this.db,
        isKnownTxId: (txId) => seen.has(txId) || this.status(txId) !== undefined,
      });
      seen.add(validated.txId);
      const valid = validated.code === peer.TxValidationCode.VALID;
      if (valid) for (const set of validated.sets) this.db.apply(set.writes, { block: number, tx: index }, validated.txId, validated.timestamp);
      return { txId: validated.txId, envelope, code: validated.code, ...(valid && validated.event !== undefined ? { event: validated.event } : {}) };
    });
    const block = chained(this.blocks.at(-1), transactions);
    this.blocks.push(block);
    for (const listener of this.listeners) listener(block);
    return block;
  }

  /** A committed transaction's validation code and block, or undefined if it is not on the ledger. */
  status(txId: string): { code: ValidationCode; block: number } | undefined {
    for (const block of this.blocks) {
      const transaction = block.transactions.find((candidate) => candidate.txId === txId);
      if (transaction !== undefined) return { code: transaction.code, block: block.number };
    }
    return undefined;
  }

  /** Committed blocks from `number` on. */
  blocksFrom(number: number): readonly Block[] {
    return this.blocks.slice(number);
  }

  /** Committed blocks from `number` on, then each new block as it commits, until unsubscribed. */
  subscribe(number: number, listener: (block: Block) => void): () => void {
    for (const block of this.blocksFrom(number)) listener(block);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get height(): number {
    return this.blocks.length;
  }

  snapshot(): LedgerSnapshot {
    return { db: this.db.copy(), blocks: [...this.blocks] };
  }

  restore(snapshot: LedgerSnapshot): void {
    this.db = snapshot.db.copy();
    this.blocks = [...snapshot.blocks];
  }

  private checkProposal(signed: peer.SignedProposal, channelHeader: common.ChannelHeader, signatureHeader: common.SignatureHeader): string | undefined {
    if (channelHeader.getChannelId() !== this.channel) return `channel ${channelHeader.getChannelId()} is not joined by this peer`;
    const chaincode = chaincodeOf(channelHeader);
    if (chaincode !== this.chaincode && chaincode !== QSCC) return `chaincode ${chaincode} is not installed`;
    try {
      this.msps.verify(signatureHeader.getCreator_asU8(), signed.getProposalBytes_asU8(), signed.getSignature_asU8());
    } catch (error) {
      if (error instanceof MspError) return `access denied: ${error.message}`;
      throw error;
    }
    const expectedTxId = createHash("sha256").update(signatureHeader.getNonce_asU8()).update(signatureHeader.getCreator_asU8()).digest("hex");
    if (channelHeader.getTxId() !== expectedTxId) return "invalid txID: it is not the hash of the nonce and creator";
    if (this.status(channelHeader.getTxId()) !== undefined) return `duplicate transaction found [${channelHeader.getTxId()}]`;
    return undefined;
  }
}

function chaincodeOf(channelHeader: common.ChannelHeader): string | undefined {
  return peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8()).getChaincodeId()?.getName();
}

/** A query's answer: the response alone, which is all an evaluating client reads. */
function queryResponse({ status, message, payload }: ChaincodeResult): peer.ProposalResponse {
  if (status >= 400) return errorResponse(message, status);
  const response = new peer.Response();
  response.setStatus(status);
  response.setPayload(payload);
  const proposalResponse = new peer.ProposalResponse();
  proposalResponse.setResponse(response);
  return proposalResponse;
}

function errorResponse(message: string, status = ERROR_STATUS): peer.ProposalResponse {
  const response = new peer.Response();
  response.setStatus(status);
  response.setMessage(message);
  const proposalResponse = new peer.ProposalResponse();
  proposalResponse.setResponse(response);
  return proposalResponse;
}
