/**
 * TraceGate on Hyperledger Fabric, through the Fabric Gateway (@hyperledger/fabric-gateway): actions
 * are submitted as the connection's identity (its MSP names the organisation, its certificate's `role`
 * attribute the role), reads are evaluated, and events are read from a checkpoint.
 */
import { connect, hash, StatusCode, type Contract, type Gateway, type Identity, type Network, type Signer } from "@hyperledger/fabric-gateway";
import type { Client } from "@grpc/grpc-js";
import {
  validateAction,
  type Action,
  type BatchAnchor,
  type DocumentAnchor,
  type Facility,
  type Hash,
  type Id,
  type LedgerView,
  type Lot,
  type Norm,
  type Organisation,
} from "../../domain/index.js";
import {
  batchShape,
  decodeJson,
  decodeOptional,
  documentShape,
  encodeJson,
  facilityShape,
  ledgerEventShape,
  lotHistoryShape,
  lotShape,
  normShape,
  organisationShape,
  type LotChange,
} from "./codec.js";
import type { Checkpoint, LedgerEntry, Submitted } from "../ledger.js";
import { FabricCommitError, gatewayFailure } from "./errors.js";
import { bool } from "./json-shapes.js";

/** The chaincode's contract name. */
const CONTRACT = "TraceGate";
/** Validation codes of a transaction that lost a race to another on the same keys: endorsing it again may succeed. */
const RETRYABLE = new Set<number>([StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT]);

export interface FabricLedgerOptions {
  /** A gRPC connection to a peer's Fabric Gateway; the caller owns it and closes it. */
  client: Client;
  identity: Identity;
  signer: Signer;
  channel: string;
  /** The name the chaincode was committed with. */
  chaincode: string;
  /** Endorse-and-submit attempts when the transaction loses an MVCC race (default 3), and the first back-off in ms (default 50, doubling). */
  retry?: { attempts: number; backoffMs: number };
}


export class FabricLedger implements LedgerView {
  private readonly network: Network;
  private readonly contract: Contract;
  private readonly retry: { attempts: number; backoffMs: number };

  private constructor(
    private readonly gateway: Gateway,
    private readonly chaincode: string,
    channel: string,
    retry: FabricLedgerOptions["retry"],
  ) {
    this.network = gateway.getNetwork(channel);
    this.contract = this.network.getContract(chaincode, CONTRACT);
    this.retry = retry ?? { attempts: 3, backoffMs: 50 };
  }

  static connect({ client, identity, signer, channel, chaincode, retry }: FabricLedgerOptions): FabricLedger {
    return new FabricLedger(connect({ client, identity, signer, hash: hash.sha256 }), chaincode, channel, retry);
  }

  /**
   * Submits `action` as this connection's identity and waits for its commit. A refusal throws the
   * TraceGateError (nothing changed); a transaction that lost an MVCC race to another one on the
   * same lot is endorsed again, on the new state, up to the retry limit (then FabricCommitError, a
   * LedgerUnavailableError); an unreachable gateway throws LedgerUnavailableError.
   */
  async submit(action: Action): Promise<Submitted> {
    validateAction(action);
    for (let attempt = 1; ; attempt += 1) {
      const transaction = await this.gatewayCall(() => this.contract.newProposal("Submit", { arguments: [encodeJson(action)] }).endorse());
      const status = await this.gatewayCall(async () => (await transaction.submit()).getStatus());
      if (status.successful) {
        const event = decodeJson(ledgerEventShape, Buffer.from(transaction.getResult()).toString("utf8"));
        return { event, tx: status.transactionId, block: status.blockNumber, time: event.time };
      }
      if (!RETRYABLE.has(status.code) || attempt >= this.retry.attempts) throw new FabricCommitError(status.transactionId, status.code);
      await new Promise((resolve) => setTimeout(resolve, this.retry.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random())));
    }
  }

  async organisation(id: Id): Promise<Organisation | undefined> {
    return decodeOptional(organisationShape, await this.evaluate("ReadOrganisation", id));
  }
  async facility(id: Id): Promise<Facility | undefined> {
    return decodeOptional(facilityShape, await this.evaluate("ReadFacility", id));
  }
  async document(hash: Hash): Promise<DocumentAnchor | undefined> {
    return decodeOptional(documentShape, await this.evaluate("ReadDocument", hash));
  }
  async batch(root: Hash): Promise<BatchAnchor | undefined> {
    return decodeOptional(batchShape, await this.evaluate("ReadBatch", root));
  }
  async isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean> {
    return decodeJson(bool, await this.evaluate("IsBatchMemberRevoked", root, leaf));
  }
  async norm(owner: Id, product: Id): Promise<Norm | undefined> {
    return decodeOptional(normShape, await this.evaluate("ReadNorm", owner, product));
  }
  async lot(id: Id): Promise<Lot | undefined> {
    return decodeOptional(lotShape, await this.evaluate("ReadLot", id));
  }
  /** Every state the lot had, newest first, with the transaction that wrote it. */
  async lotHistory(id: Id): Promise<LotChange[]> {
    return decodeJson(lotHistoryShape, await this.evaluate("ReadLotHistory", id));
  }

  /**
   * Accepted actions' events in ledger order, from the first block or after `after` (the event's
   * block and its index among the block's TraceGate events), then as they are committed, until the
   * consumer stops iterating.
   */
  async *events(after?: Checkpoint): AsyncGenerator<LedgerEntry> {
    const events = await this.gatewayCall(() => this.network.getChaincodeEvents(this.chaincode, { startBlock: after?.block ?? 0n }));
    let block = -1n;
    let index = -1;
    try {
      for await (const { blockNumber, transactionId, payload } of events) {
        index = blockNumber === block ? index + 1 : 0;
        block = blockNumber;
        if (after !== undefined && block === after.block && index <= after.index) continue;
        const event = decodeJson(ledgerEventShape, Buffer.from(payload).toString("utf8"));
        yield { event, tx: transactionId, block, time: event.time, checkpoint: { block, index } };
      }
    } finally {
      events.close();
    }
  }

  /** Closes the gateway connection (not the gRPC client, which belongs to the caller). */
  async close(): Promise<void> {
    this.gateway.close();
  }

  private async evaluate(name: string, ...args: string[]): Promise<string> {
    return Buffer.from(await this.gatewayCall(() => this.contract.evaluateTransaction(name, ...args))).toString("utf8");
  }

  /** Runs a gateway call: a chaincode refusal throws its TraceGateError, any other failure LedgerUnavailableError. */
  private async gatewayCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw gatewayFailure(error);
    }
  }
}
