/**
 * The block of a committed transaction, from the Gateway's commit status service (which answers at
 * once for a transaction already on the ledger): chaincode sees a transaction's id and time in key
 * history, but not its block.
 */
import type { Gateway } from "@hyperledger/fabric-gateway";
import { gateway as protos, msp } from "@hyperledger/fabric-protos";
import { throughGateway } from "./errors.js";

export async function blockOf(gateway: Gateway, channel: string, txId: string): Promise<bigint> {
  const { mspId, credentials } = gateway.getIdentity();
  const creator = new msp.SerializedIdentity();
  creator.setMspid(mspId);
  creator.setIdBytes(credentials);
  const request = new protos.CommitStatusRequest();
  request.setChannelId(channel);
  request.setTransactionId(txId);
  request.setIdentity(creator.serializeBinary());
  const signed = new protos.SignedCommitStatusRequest();
  signed.setRequest(request.serializeBinary());
  // newCommit signs the request with the gateway's identity, the one it names.
  const status = await throughGateway(() => gateway.newCommit(signed.serializeBinary()).getStatus());
  return status.blockNumber;
}
