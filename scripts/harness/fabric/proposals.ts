/**
 * What a Fabric client signs: transaction proposals (with the transaction's timestamp, which
 * chaincode reads as ledger time) and the transaction envelope assembled from their endorsement.
 */
import { createHash, randomBytes } from "node:crypto";
import { common, msp, peer } from "@hyperledger/fabric-protos";
import type { Identity } from "./identities.js";
import { timestamp } from "./peer/timestamps.js";

export interface ProposalRequest {
  channel: string;
  chaincode: string;
  /** The transaction function, e.g. "TraceGate:Submit". */
  name: string;
  args: readonly string[];
  /** Seconds since the epoch; now when absent. */
  time?: bigint;
}

export function serializedIdentity(identity: Pick<Identity, "mspId" | "certificate">): Uint8Array {
  const serialized = new msp.SerializedIdentity();
  serialized.setMspid(identity.mspId);
  serialized.setIdBytes(Buffer.from(identity.certificate));
  return serialized.serializeBinary();
}

export async function signedProposal(identity: Identity, request: ProposalRequest): Promise<{ txId: string; proposal: peer.SignedProposal }> {
  const creator = serializedIdentity(identity);
  const nonce = randomBytes(24);
  const txId = createHash("sha256").update(nonce).update(creator).digest("hex");

  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(request.chaincode);
  const extension = new peer.ChaincodeHeaderExtension();
  extension.setChaincodeId(chaincodeId);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(request.channel);
  channelHeader.setTxId(txId);
  channelHeader.setTimestamp(timestamp(request.time ?? BigInt(Math.floor(Date.now() / 1000))) as never);
  channelHeader.setExtension$(extension.serializeBinary());
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator);
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const input = new peer.ChaincodeInput();
  input.setArgsList([request.name, ...request.args].map((arg) => Buffer.from(arg)));
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  spec.setChaincodeId(chaincodeId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocation.serializeBinary());

  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(payload.serializeBinary());
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposal.serializeBinary());
  signed.setSignature(await identity.sign(signed.getProposalBytes_asU8()));
  return { txId, proposal: signed };
}

export async function signEnvelope(identity: Identity, prepared: common.Envelope): Promise<common.Envelope> {
  const envelope = common.Envelope.deserializeBinary(prepared.serializeBinary());
  envelope.setSignature(await identity.sign(envelope.getPayload_asU8()));
  return envelope;
}
