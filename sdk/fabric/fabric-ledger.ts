/**
 * TraceGate on Hyperledger Fabric as a Ledger (sdk/ledger.ts), through the Fabric Gateway
 * (@hyperledger/fabric-gateway): actions are submitted as one of the identities it was connected with
 * (its MSP names the organisation, its certificate's `role` attribute the role), reads are evaluated,
 * and events are read from the channel's blocks.
 */
import type { Client } from "@grpc/grpc-js";
import { StatusCode, type Contract } from "@hyperledger/fabric-gateway";
import {
  assertHash,
  assertId,
  validateAction,
  validateBatchSize,
  type Action,
  type Actor,
  type CustodyAction,
  type Facility,
  type Hash,
  type Id,
  type Lot,
  type Norm,
  type Organisation,
} from "../../domain/index.js";
import { InOrder } from "../in-order.js";
import {
  LedgerUnavailableError,
  type AnchoredBatch,
  type AnchoredDocument,
  type BatchOptions,
  type Checkpoint,
  type Ledger,
  type LedgerEntry,
  type Revocation,
  type SignedTransaction,
  type Submitted,
  type SubmittedBatch,
  type Transaction,
} from "../ledger.js";
import { stateKeys } from "../state-keys.js";
import { isWellFormed } from "../well-formed.js";
import { ActorGateways, type FabricSigner } from "./actor-gateways.js";
import { ChannelBlocks } from "./channel-blocks.js";
import {
  batchRecordShape,
  decodeChaincodeEvents,
  decodeJson,
  decodeOptional,
  documentRecordShape,
  encodeJson,
  facilityShape,
  ledgerEventShape,
  lotHistoryShape,
  lotShape,
  normShape,
  organisationShape,
  revocationRecordShape,
  type DocumentRecord,
  type LotChange,
  type RevocationRecord,
  type WritingTransaction,
} from "../../chaincode/src/codec.js";
import { blockOf } from "./commit-status.js";
import { FabricCommitError, throughGateway } from "./errors.js";
import { array, boolean } from "../../domain/json-shapes.js";

/** Validation codes of a transaction that lost a race to another on the same keys: endorsing it again may succeed. */
const RETRYABLE = new Set<number>([StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT]);

export interface FabricLedgerOptions {
  /** A gRPC connection to a peer's Fabric Gateway; the caller owns it and closes it. */
  client: Client;
  channel: string;
  /** The name the chaincode was committed with. */
  chaincode: string;
  /**
   * The identities this ledger acts as, by actor ("ORG/ROLE"), one gateway connection each. Reads and
   * events go through the first.
   */
  identities: ReadonlyMap<string, FabricSigner>;
  /** Endorse-and-submit attempts when the transaction loses an MVCC race (default 3), and the first back-off in ms (default 50, doubling). */
  retry?: { attempts: number; backoffMs: number };
}

export class FabricLedger implements Ledger {
  private readonly inOrder = new InOrder();
  private readonly blocks: ChannelBlocks;

  private constructor(
    private readonly gateways: ActorGateways,
    chaincode: string,
    private readonly retry: { attempts: number; backoffMs: number },
  ) {
    this.blocks = new ChannelBlocks(gateways.reader.network, chaincode);
  }

  /** Connects, checking that the chaincode sees each identity as the actor it is given for. */
  static async connect({ client, channel, chaincode, identities, retry }: FabricLedgerOptions): Promise<FabricLedger> {
    const gateways = await ActorGateways.open(client, channel, chaincode, identities);
    return new FabricLedger(gateways, chaincode, retry ?? { attempts: 3, backoffMs: 50 });
  }

  /**
   * Submits `action` as `actor` and waits for its commit. A refusal throws the TraceGateError (nothing
   * changed); a transaction that lost an MVCC race to another one on the same lot is endorsed again,
   * on the new state, up to the retry limit (then FabricCommitError, a LedgerUnavailableError); an
   * unreachable gateway throws LedgerUnavailableError.
   */
  async submit(actor: Actor, action: Action): Promise<Submitted> {
    const { contract } = this.gateways.of(actor);
    validateAction(action);
    return this.inOrder.run(stateKeys(actor, action), () => this.send(contract, action));
  }

  async submitBatch(actor: Actor, actions: readonly CustodyAction[], options: BatchOptions = {}): Promise<SubmittedBatch> {
    const { contract } = this.gateways.of(actor);
    validateBatchSize(actions);
    const keys = [...new Set(actions.flatMap((action) => stateKeys(actor, action)))];
    return this.inOrder.run(keys, async () => {
      const { result, tx, block } = await this.endorseAndSubmit(contract, "Batch", encodeJson(actions), options.onSigned);
      return batchOutcome(result, tx, block, actions.length);
    });
  }

  /**
   * Submits each endorsed transaction again (signed anew by `actor`; the same transaction id): a peer
   * records a transaction id once, and its commit status is that of the first one committed.
   */
  async recoverBatch(actor: Actor, sent: readonly SignedTransaction[], actions: number): Promise<SubmittedBatch | undefined> {
    const { gateway } = this.gateways.of(actor);
    for (const { raw } of sent) {
      const transaction = gateway.newTransaction(Buffer.from(raw, "base64"));
      const status = await throughGateway(async () => (await transaction.submit()).getStatus());
      if (status.successful) return batchOutcome(Buffer.from(transaction.getResult()).toString("utf8"), status.transactionId, status.blockNumber, actions);
    }
    return undefined;
  }

  async organisation(id: Id): Promise<Organisation | undefined> {
    return isWellFormed(assertId, id) ? decodeOptional(organisationShape, await this.evaluate("ReadOrganisation", id)) : undefined;
  }
  async facility(id: Id): Promise<Facility | undefined> {
    return isWellFormed(assertId, id) ? decodeOptional(facilityShape, await this.evaluate("ReadFacility", id)) : undefined;
  }
  async lot(id: Id): Promise<Lot | undefined> {
    return isWellFormed(assertId, id) ? decodeOptional(lotShape, await this.evaluate("ReadLot", id)) : undefined;
  }
  async norm(owner: Id, product: Id): Promise<Norm | undefined> {
    if (!isWellFormed(assertId, owner) || !isWellFormed(assertId, product)) return undefined;
    return decodeOptional(normShape, await this.evaluate("ReadNorm", owner, product));
  }
  /** Every state the lot had, newest first, with the transaction that wrote it. */
  async lotHistory(id: Id): Promise<LotChange[]> {
    return decodeJson(lotHistoryShape, await this.evaluate("ReadLotHistory", id));
  }

  async document(hash: Hash): Promise<AnchoredDocument | undefined> {
    if (!isWellFormed(assertHash, hash)) return undefined;
    const record = decodeOptional(documentRecordShape, await this.evaluate("ReadDocument", hash));
    return record === undefined ? undefined : this.anchoredDocument(record);
  }

  /** Oldest first, as on the EVM, except that anchors committed in one block come in hash order (chaincode does not see their order). */
  async documentsWithId(id: string): Promise<AnchoredDocument[]> {
    if (!isWellFormed(assertId, id)) return [];
    const records = decodeJson(array(documentRecordShape), await this.evaluate("ReadDocumentsWithId", id));
    const documents = await Promise.all(records.map((record) => this.anchoredDocument(record)));
    return documents.sort(byAnchoringBlockThenHash);
  }

  async batch(root: Hash): Promise<AnchoredBatch | undefined> {
    if (!isWellFormed(assertHash, root)) return undefined;
    const record = decodeOptional(batchRecordShape, await this.evaluate("ReadBatch", root));
    return record === undefined ? undefined : { ...record.batch, anchoredIn: await this.transaction(record.anchoredIn) };
  }

  async isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean> {
    if (!isWellFormed(assertHash, root) || !isWellFormed(assertHash, leaf)) return false;
    return decodeJson(boolean, await this.evaluate("IsBatchMemberRevoked", root, leaf));
  }

  async batchMemberRevocation(root: Hash, leaf: Hash): Promise<Revocation | undefined> {
    if (!isWellFormed(assertHash, root) || !isWellFormed(assertHash, leaf)) return undefined;
    const record = decodeOptional(revocationRecordShape, await this.evaluate("ReadBatchMemberRevocation", root, leaf));
    return record === undefined ? undefined : this.revocation(record);
  }

  /**
   * Accepted actions' events after `after` (from the first block when absent) up to the current height,
   * in ledger order. A checkpoint's index counts the TraceGate events of its block. Fabric blocks are
   * final once committed: every committed block is read.
   */
  async *events(after?: Checkpoint): AsyncGenerator<LedgerEntry> {
    const height = await this.blocks.height();
    for (let block = after?.block ?? 0n; block < height; block += 1n) {
      const events = (await this.blocks.block(block)).transactions.flatMap(({ txId, event: payload }) =>
        payload === undefined ? [] : decodeChaincodeEvents(payload).map((event) => ({ txId, event })),
      );
      for (const [index, { txId, event }] of events.entries()) {
        if (after !== undefined && block === after.block && index <= after.index) continue;
        yield { event, tx: txId, block, time: event.time, checkpoint: { block, index } };
      }
    }
  }

  /** Closes the gateway connections (not the gRPC client, which belongs to the caller). */
  async close(): Promise<void> {
    this.gateways.close();
  }

  private async send(contract: Contract, action: Action): Promise<Submitted> {
    const { result, tx, block } = await this.endorseAndSubmit(contract, "Submit", encodeJson(action));
    const event = decodeJson(ledgerEventShape, result);
    return { event, tx, block, time: event.time };
  }

  /** Endorses and submits `name(argument)` until it commits, endorsing again on the new state after an MVCC race (up to the retry limit). */
  private async endorseAndSubmit(
    contract: Contract,
    name: string,
    argument: string,
    onSigned?: BatchOptions["onSigned"],
  ): Promise<{ result: string; tx: string; block: bigint }> {
    for (let attempt = 1; ; attempt += 1) {
      const transaction = await throughGateway(() => contract.newProposal(name, { arguments: [argument] }).endorse());
      await onSigned?.({ id: transaction.getTransactionId(), raw: Buffer.from(transaction.getBytes()).toString("base64") });
      const status = await throughGateway(async () => (await transaction.submit()).getStatus());
      if (status.successful) {
        return { result: Buffer.from(transaction.getResult()).toString("utf8"), tx: status.transactionId, block: status.blockNumber };
      }
      if (!RETRYABLE.has(status.code) || attempt >= this.retry.attempts) throw new FabricCommitError(status.transactionId, status.code);
      await new Promise((resolve) => setTimeout(resolve, this.retry.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random())));
    }
  }

  private async anchoredDocument({ document, anchoredIn, revocation }: DocumentRecord): Promise<AnchoredDocument> {
    const [anchored, revoked] = await Promise.all([this.transaction(anchoredIn), revocation === null ? null : this.revocation(revocation)]);
    return { ...document, anchoredIn: anchored, revocation: revoked };
  }

  private async revocation({ reason, revokedIn }: RevocationRecord): Promise<Revocation> {
    return { reason, revokedIn: await this.transaction(revokedIn) };
  }

  /** A transaction the chaincode found in key history, with its block from the commit status service. */
  private async transaction({ txId, time }: WritingTransaction): Promise<Transaction> {
    const { gateway, network } = this.gateways.reader;
    return { tx: txId, block: await blockOf(gateway, network.getName(), txId), time };
  }

  private async evaluate(name: string, ...args: string[]): Promise<string> {
    return Buffer.from(await throughGateway(() => this.gateways.reader.contract.evaluateTransaction(name, ...args))).toString("utf8");
  }
}

/** A committed batch's events, from the chaincode's result. */
function batchOutcome(result: string, tx: string, block: bigint, actions: number): SubmittedBatch {
  const events = decodeChaincodeEvents(result);
  if (events.length !== actions) throw new LedgerUnavailableError(`transaction ${tx} returned ${events.length} events for a batch of ${actions}`);
  return { events, tx, block, time: events[0]!.time };
}

function byAnchoringBlockThenHash(a: AnchoredDocument, b: AnchoredDocument): number {
  if (a.anchoredIn.block !== b.anchoredIn.block) return a.anchoredIn.block < b.anchoredIn.block ? -1 : 1;
  return a.hash.localeCompare(b.hash);
}
