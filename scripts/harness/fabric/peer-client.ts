/**
 * A minimal Fabric client for tests that talk to the in-process peer directly (no gRPC): it signs
 * proposals, endorses, assembles and signs the transaction, orders it and checks its validation code,
 * the same steps the Fabric Gateway performs for a real client.
 */
import { type common, peer } from "@hyperledger/fabric-protos";
import { decodeError } from "../../../chaincode/src/codec.js";
import type { Identity } from "./identities.js";
import type { ValidationCode } from "./peer/committer.js";
import type { InProcessPeer } from "./peer/peer.js";
import { preparedTransaction } from "./peer/transaction-envelope.js";
import { signedProposal, signEnvelope } from "./proposals.js";

const CONTRACT = "TraceGate";

export class CommitFailure extends Error {
  override name = "CommitFailure";
  constructor(
    readonly txId: string,
    readonly code: ValidationCode,
  ) {
    super(`transaction ${txId} failed validation with ${codeName(code)}`);
  }
}

export interface Endorsed {
  txId: string;
  /** The transaction, signed by its creator, ready for ordering. */
  transaction: common.Envelope;
  result: string;
}

export interface Committed {
  txId: string;
  result: string;
  event?: peer.ChaincodeEvent;
}

export function codeName(code: ValidationCode): string {
  return Object.entries(peer.TxValidationCode).find(([, value]) => value === code)?.[0] ?? String(code);
}

export class PeerClient {
  constructor(readonly peer: InProcessPeer) {}

  /** Endorses `TraceGate:name(args)` at ledger time `time`; a chaincode error throws (TraceGateError when coded). */
  async endorse(identity: Identity, name: string, args: readonly string[], time?: bigint): Promise<Endorsed> {
    const { txId, proposal } = await signedProposal(identity, this.request(name, args, time));
    const response = await this.endorsed(proposal);
    const transaction = await signEnvelope(identity, preparedTransaction(proposal, [response]));
    return { txId, transaction, result: Buffer.from(response.getResponse()!.getPayload_asU8()).toString("utf8") };
  }

  async evaluate(identity: Identity, name: string, args: readonly string[]): Promise<string> {
    const { proposal } = await signedProposal(identity, this.request(name, args));
    return Buffer.from((await this.endorsed(proposal)).getResponse()!.getPayload_asU8()).toString("utf8");
  }

  /** Endorses, orders in a block of its own and requires the transaction to be VALID. */
  async submit(identity: Identity, name: string, args: readonly string[], time?: bigint): Promise<Committed> {
    const endorsed = await this.endorse(identity, name, args, time);
    const [committed] = this.peer.order([endorsed.transaction]).transactions;
    if (committed!.code !== peer.TxValidationCode.VALID) throw new CommitFailure(endorsed.txId, committed!.code);
    return { txId: endorsed.txId, result: endorsed.result, ...(committed!.event ? { event: committed!.event } : {}) };
  }

  private request(name: string, args: readonly string[], time?: bigint) {
    return { channel: this.peer.channel, chaincode: this.peer.chaincode, name: `${CONTRACT}:${name}`, args, ...(time === undefined ? {} : { time }) };
  }

  private async endorsed(proposal: peer.SignedProposal): Promise<peer.ProposalResponse> {
    const response = await this.peer.processProposal(proposal);
    const status = response.getResponse()!;
    if (status.getStatus() >= 400) throw decodeError(status.getMessage()) ?? new Error(`endorsement failed: ${status.getMessage()}`);
    return response;
  }
}
