/**
 * Validation of one ordered transaction, as a committing peer does it: the creator's signature on the
 * envelope, a fresh transaction id, an endorsement by a channel peer over exactly the response
 * payload carried, then the read-write set carried in that payload against current state.
 */
import { common, peer } from "@hyperledger/fabric-protos";
import type { ChannelMsps } from "./msp.js";
import { decodeReadWriteSets, type ReadWriteSet } from "./rwset.js";
import type { StateDb } from "./state-db.js";
import { secondsOf, type Timestamp } from "./timestamps.js";
import { validateReads } from "./validator.js";

const Code = peer.TxValidationCode;
export type ValidationCode = peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap];

export interface ValidatedTransaction {
  txId: string;
  code: ValidationCode;
  timestamp: bigint;
  sets: ReadWriteSet[];
  event?: peer.ChaincodeEvent;
}

export interface CommitContext {
  channel: string;
  namespace: string;
  msps: ChannelMsps;
  /** The MSP whose peers endorse (the endorsement policy: one peer of this MSP). */
  endorsingMsp: string;
  db: StateDb;
  isKnownTxId(txId: string): boolean;
}

export function validateTransaction(envelope: common.Envelope, context: CommitContext): ValidatedTransaction {
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(header?.getChannelHeader_asU8() ?? new Uint8Array());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header?.getSignatureHeader_asU8() ?? new Uint8Array());
  const result = (code: ValidationCode, extra: Partial<ValidatedTransaction> = {}): ValidatedTransaction => ({
    txId: channelHeader.getTxId(),
    code,
    timestamp: secondsOf(channelHeader.getTimestamp() as Timestamp | undefined),
    sets: [],
    ...extra,
  });

  if (channelHeader.getChannelId() !== context.channel) return result(Code.TARGET_CHAIN_NOT_FOUND);
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return result(Code.UNKNOWN_TX_TYPE);
  try {
    context.msps.verify(signatureHeader.getCreator_asU8(), envelope.getPayload_asU8(), envelope.getSignature_asU8());
  } catch {
    return result(Code.BAD_CREATOR_SIGNATURE);
  }
  if (context.isKnownTxId(channelHeader.getTxId())) return result(Code.DUPLICATE_TXID);

  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = transaction.getActionsList()[0];
  if (action === undefined) return result(Code.NIL_TXACTION);
  const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
  if (endorsed === undefined) return result(Code.INVALID_ENDORSER_TRANSACTION);
  const responsePayload = endorsed.getProposalResponsePayload_asU8();
  if (!endorsed.getEndorsementsList().some((endorsement) => isPeerEndorsement(endorsement, responsePayload, context))) {
    return result(Code.ENDORSEMENT_POLICY_FAILURE);
  }
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(peer.ProposalResponsePayload.deserializeBinary(responsePayload).getExtension_asU8());
  const sets = decodeReadWriteSets(chaincodeAction.getResults_asU8());
  if (sets.some((set) => set.namespace !== context.namespace)) return result(Code.INVALID_WRITESET);
  const events = chaincodeAction.getEvents_asU8();
  const event = events.length === 0 ? undefined : peer.ChaincodeEvent.deserializeBinary(events);
  return result(Code[validateReads(context.db, sets)], { sets, event });
}

function isPeerEndorsement(endorsement: peer.Endorsement, responsePayload: Uint8Array, context: CommitContext): boolean {
  try {
    const endorser = endorsement.getEndorser_asU8();
    const { mspId, certificate } = context.msps.verify(endorser, Buffer.concat([responsePayload, endorser]), endorsement.getSignature_asU8());
    return mspId === context.endorsingMsp && certificate.subject.split("\n").includes("OU=peer");
  } catch {
    return false;
  }
}
