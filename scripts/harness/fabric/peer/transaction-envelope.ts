/**
 * The transaction a client signs and sends to ordering: the proposal's header and input with the
 * endorsed response (Fabric's protoutil.CreateSignedTx, before the client's signature). The Fabric
 * Gateway returns this as the prepared transaction.
 */
import { common, peer } from "@hyperledger/fabric-protos";

export function preparedTransaction(signedProposal: peer.SignedProposal, responses: readonly peer.ProposalResponse[]): common.Envelope {
  const proposal = peer.Proposal.deserializeBinary(signedProposal.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());

  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responses[0]!.getPayload_asU8());
  endorsed.setEndorsementsList(responses.map((response) => response.getEndorsement()!));
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposal.getPayload_asU8());
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setHeader(header.getSignatureHeader_asU8());
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);

  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}
