/**
 * The TraceGate contracts as a Ledger, on any EVM JSON-RPC endpoint (a permissioned Besu/Quorum
 * network, a Hardhat node) or on Hardhat's in-process chain. It acts with one key per organisation
 * and role, follows lot and norm states through the contracts' events (the chain stores their hashes)
 * and turns reverts into the domain's TraceGateErrors.
 */
import { Wallet, ZeroHash } from "ethers";
import {
  assertHash,
  assertId,
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  FACILITY_KINDS,
  ORG_KINDS,
  ROLES,
  validateAction,
  validateBatchSize,
  withLots,
  type Action,
  type Actor,
  type CustodyAction,
  type LedgerEvent,
  type LedgerView,
  type Facility,
  type Hash,
  type Id,
  type Lot,
  type Norm,
  type Organisation,
  type Role,
} from "../../domain/index.js";
import { InOrder } from "../in-order.js";
import {
  actorKey,
  LedgerConfigurationError,
  LedgerUnavailableError,
  type AnchoredBatch,
  type AnchoredDocument,
  type Checkpoint,
  type BatchOptions,
  type Ledger,
  type LedgerEntry,
  type Revocation,
  type SignedTransaction,
  type Submitted,
  type SubmittedBatch,
  type Transaction,
} from "../ledger.js";
import { lotsRead, stateKeys } from "../state-keys.js";
import { isWellFormed } from "../well-formed.js";
import type { CallContext, ContractCall } from "./calls.js";
import { ChainReader, type ContractAddresses, type Log } from "./chain-reads.js";
import { decodeOptionalHash, decodeRevert, encodeAction, encodeBatch, enumValue, EvmRevertError, OrganisationDirectory } from "./codec.js";
import { decodeLedgerEvent, decodeRegistryEvent } from "./events.js";
import { FollowedState } from "./followed-state.js";
import { encodeId } from "./ids.js";
import { openRpc, type Endpoint, type Rpc } from "./rpc.js";
import { TransactionReverted, Transactor, type Receipt } from "./transactor.js";

/** The private key an organisation's member account signs with, for one role. */
export interface SignerKey {
  org: Id;
  role: Role;
  privateKey: string;
}

export interface EvmLedgerOptions {
  /** A JSON-RPC URL (http://127.0.0.1:8545), with a bearer token if its node asks for one, or an in-process EIP-1193 provider. */
  endpoint: Endpoint;
  addresses: ContractAddresses;
  signers?: readonly SignerKey[];
  /** Blocks that must include or follow a transaction before it counts (default 1: mined). */
  confirmations?: number;
  /** The contracts' deployment block, where log searches start (default 0). */
  fromBlock?: bigint;
  /** Gas limit of every transaction (default 16,000,000: the largest transform fits). */
  gasLimit?: bigint;
  /** Fixed gas price in wei (0 on free-gas networks); by default twice the node's eth_gasPrice. */
  gasPrice?: bigint;
  /** Between polls for receipts and new blocks (default 250 ms). */
  pollIntervalMs?: number;
  /** Longest wait for a transaction to be mined and confirmed (default 120 s). */
  timeoutMs?: number;
}

/** StaleLotState, StaleNormState: another writer changed the state between our read and our send. */
const STALE_STATE = new Set(["StaleLotState", "StaleNormState"]);

export class EvmLedger implements Ledger {
  /** Organisation ids and their registry numbers. */
  readonly orgs = new OrganisationDirectory();
  private readonly state: FollowedState;
  private readonly inOrder = new InOrder();

  private constructor(
    private readonly reader: ChainReader,
    private readonly transactor: Transactor,
    private readonly wallets: ReadonlyMap<string, Wallet>,
    private readonly confirmations: number,
  ) {
    this.state = new FollowedState(reader, this.orgs);
  }

  /** Connects, checking that the contracts are deployed and that each key is a registered member in its role. */
  static async connect(options: EvmLedgerOptions): Promise<EvmLedger> {
    const rpc = openRpc(options.endpoint);
    const chainId = BigInt(await rpc.request<string>("eth_chainId"));
    await requireContracts(rpc, options.addresses, chainId);
    const confirmations = options.confirmations ?? 1;
    if (!Number.isInteger(confirmations) || confirmations < 1) throw new LedgerConfigurationError("confirmations must be a whole number of at least 1");
    const transactor = new Transactor(rpc, {
      chainId,
      gasLimit: options.gasLimit ?? 16_000_000n,
      gasPrice: options.gasPrice,
      confirmations,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      timeoutMs: options.timeoutMs ?? 120_000,
    });
    const wallets = new Map((options.signers ?? []).map((signer) => [actorKey(signer), wallet(signer)] as const));
    const ledger = new EvmLedger(new ChainReader(rpc, options.addresses, options.fromBlock ?? 0n), transactor, wallets, confirmations);
    await ledger.loadOrganisations();
    for (const signer of options.signers ?? []) await ledger.requireMember(signer, wallets.get(actorKey(signer))!);
    return ledger;
  }

  async submit(actor: Actor, action: Action): Promise<Submitted> {
    const wallet = this.wallets.get(actorKey(actor));
    if (wallet === undefined) throw new LedgerConfigurationError(`no private key is configured for ${actorKey(actor)}`);
    validateAction(action);
    return this.inOrder.run(stateKeys(actor, action), () => this.withOrganisations(() => this.send(wallet, actor, action)));
  }

  async submitBatch(actor: Actor, actions: readonly CustodyAction[], options: BatchOptions = {}): Promise<SubmittedBatch> {
    const wallet = this.wallets.get(actorKey(actor));
    if (wallet === undefined) throw new LedgerConfigurationError(`no private key is configured for ${actorKey(actor)}`);
    validateBatchSize(actions);
    const keys = [...new Set(actions.flatMap((action) => stateKeys(actor, action)))];
    return this.inOrder.run(keys, () =>
      this.withOrganisations(async () => {
        const { events, transaction } = await this.transact(
          wallet,
          actions.flatMap(lotsRead),
          () => encodeBatch(actor, actions, this.orgs, this.trustingOwnWrites(), () => this.reader.pendingTime()),
          actions.length,
          options.onSigned,
        );
        return { events, ...transaction };
      }),
    );
  }

  async recoverBatch(_actor: Actor, sent: readonly SignedTransaction[], actions: number): Promise<SubmittedBatch | undefined> {
    for (const transaction of sent) {
      const receipt = await this.transactor.settle(transaction.raw);
      if (receipt === undefined || BigInt(receipt.status) !== 1n) continue;
      return this.withOrganisations(async () => {
        const { events, transaction } = await this.eventsOf(receipt, actions);
        return { events, ...transaction };
      });
    }
    return undefined;
  }

  async organisation(id: Id): Promise<Organisation | undefined> {
    if (!isWellFormed(assertId, id)) return undefined;
    const [record] = await this.reader.call("TraceGateRegistry", "organisation", [encodeId(id)]);
    return record.index === 0n ? undefined : { id, kind: enumValue(ORG_KINDS, record.kind) };
  }

  async facility(id: Id): Promise<Facility | undefined> {
    if (!isWellFormed(assertId, id)) return undefined;
    const [record] = await this.reader.call("TraceGateRegistry", "facility", [encodeId(id)]);
    if (record.operator === 0n) return undefined;
    return this.withOrganisations(async () => ({ id, kind: enumValue(FACILITY_KINDS, record.kind), operator: this.orgs.idOf(record.operator) }));
  }

  async lot(id: Id): Promise<Lot | undefined> {
    return isWellFormed(assertId, id) ? this.withOrganisations(() => this.state.lot(id)) : undefined;
  }

  /**
   * This ledger as a view in which a lot this process last saw (in its own events or a checked read)
   * is taken as it was, without asking the chain for its hash: a batch encoded on it costs no read per
   * lot. The contract still checks every state sent against the hash it holds; a lot another writer
   * changed meanwhile reverts as stale, and the batch is encoded again on checked reads (transact).
   */
  private trustingOwnWrites(): LedgerView {
    return { ...withLots(this, new Map()), lot: async (id) => this.state.known(id) ?? this.lot(id) };
  }

  async norm(owner: Id, product: Id): Promise<Norm | undefined> {
    return isWellFormed(assertId, owner) && isWellFormed(assertId, product) ? this.withOrganisations(() => this.state.norm(owner, product)) : undefined;
  }

  async document(hash: Hash): Promise<AnchoredDocument | undefined> {
    if (!isWellFormed(assertHash, hash)) return undefined;
    const [record] = await this.reader.call("TraceGateRegistry", "document", [hash]);
    if (record.version === 0n) return undefined;
    const [anchored] = await this.reader.logs("TraceGateRegistry", "DocumentAnchored", [hash]);
    if (anchored === undefined)
      throw new LedgerUnavailableError(`document ${hash} is recorded but its DocumentAnchored event is not found: is fromBlock after the deployment?`);
    return this.withOrganisations(() => this.anchoredDocument(anchored, enumValue(DOCUMENT_STATUSES, record.status)));
  }

  async documentsWithId(id: string): Promise<AnchoredDocument[]> {
    if (!isWellFormed(assertId, id)) return [];
    const logs = await this.reader.logs("TraceGateRegistry", "DocumentAnchored", [null, null, encodeId(id)]);
    const documents = await Promise.all(logs.map((log) => this.document(log.topics[1]!.toLowerCase() as Hash)));
    return documents.filter((document) => document !== undefined);
  }

  async batch(root: Hash): Promise<AnchoredBatch | undefined> {
    if (!isWellFormed(assertHash, root)) return undefined;
    const [record] = await this.reader.call("TraceGateRegistry", "batch", [root]);
    if (record.issuer === 0n) return undefined;
    const [anchored] = await this.reader.logs("TraceGateRegistry", "BatchAnchored", [root]);
    if (anchored === undefined)
      throw new LedgerUnavailableError(`batch ${root} is recorded but its BatchAnchored event is not found: is fromBlock after the deployment?`);
    return this.withOrganisations(async () => ({
      root,
      kind: enumValue(DOCUMENT_KINDS, record.kind),
      issuer: this.orgs.idOf(record.issuer),
      count: Number(record.count),
      anchoredAt: record.anchoredAt,
      anchoredIn: await this.reader.transaction(anchored),
    }));
  }

  async isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean> {
    if (!isWellFormed(assertHash, root) || !isWellFormed(assertHash, leaf)) return false;
    const [revoked] = await this.reader.call("TraceGateRegistry", "isBatchMemberRevoked", [root, leaf]);
    return revoked;
  }

  async batchMemberRevocation(root: Hash, leaf: Hash): Promise<Revocation | undefined> {
    if (!(await this.isBatchMemberRevoked(root, leaf))) return undefined;
    const [revoked] = await this.reader.logs("TraceGateRegistry", "BatchMemberRevoked", [root, leaf]);
    return revoked === undefined ? undefined : this.revocation(revoked);
  }

  async *events(after?: Checkpoint): AsyncGenerator<LedgerEntry> {
    const final = (await this.reader.head()) - BigInt(this.confirmations - 1);
    const addresses = [this.reader.addresses.TraceGateRegistry, this.reader.addresses.CustodyRegistry];
    for await (const page of this.reader.logPages(addresses, [], after?.block ?? this.reader.fromBlock, final)) {
      for (const log of page) {
        const checkpoint = { block: BigInt(log.blockNumber), index: Number(BigInt(log.logIndex)) };
        if (after !== undefined && !isAfter(checkpoint, after)) continue;
        const transaction = await this.reader.transaction(log);
        const event = await this.withOrganisations(async () => decodeLedgerEvent(log, transaction.time, this.orgs));
        if (event !== undefined) yield { event, ...transaction, checkpoint };
      }
    }
  }

  async close(): Promise<void> {}

  private async send(wallet: Wallet, actor: Actor, action: Action): Promise<Submitted> {
    const encode = async () => encodeAction(actor, action, await this.callContext(actor, action));
    const { events, transaction } = await this.transact(wallet, lotsRead(action), encode, 1);
    return { event: events[0]!, ...transaction };
  }

  /**
   * Sends the call `encode` makes, and expects `expected` TraceGate events of it. When the contract
   * finds a lot state it was sent outdated (another writer), forgets the lots `reads` and encodes it
   * once more on the current state.
   */
  private async transact(
    wallet: Wallet,
    reads: Id[],
    encode: () => Promise<ContractCall>,
    expected: number,
    onSigned?: BatchOptions["onSigned"],
    retryIfStale = true,
  ): Promise<{ events: LedgerEvent[]; transaction: Transaction }> {
    const call = await encode();
    let receipt: Receipt;
    try {
      receipt = await this.transactor.send(wallet, this.reader.addresses[call.contract], call.data, onSigned);
    } catch (error) {
      if (!(error instanceof TransactionReverted)) throw error;
      const reverted = error.data === undefined ? new EvmRevertError("unknown", { tx: error.hash }) : decodeRevert(error.data, this.orgs);
      if (!(retryIfStale && reverted instanceof EvmRevertError && STALE_STATE.has(reverted.errorName))) throw reverted;
      this.state.forget(reads);
      return this.transact(wallet, reads, encode, expected, onSigned, false);
    }
    return this.eventsOf(receipt, expected);
  }

  /** The TraceGate events of a mined transaction (`expected` of them), remembered as the lots' latest states. */
  private async eventsOf(receipt: Receipt, expected: number): Promise<{ events: LedgerEvent[]; transaction: Transaction }> {
    const transaction = await this.reader.transaction(receipt);
    const events = receipt.logs.flatMap((log) => decodeLedgerEvent(log, transaction.time, this.orgs) ?? []);
    if (events.length !== expected) throw new LedgerUnavailableError(`${receipt.transactionHash} emitted ${events.length} TraceGate events, not ${expected}`);
    for (const event of events) this.state.remember(event);
    return { events, transaction };
  }

  /** The current states a custody call carries, read (and hash-checked) before it is encoded. */
  private async callContext(actor: Actor, action: Action): Promise<CallContext> {
    const lots = new Map<Id, Lot | undefined>();
    await Promise.all(lotsRead(action).map(async (id) => lots.set(id, await this.state.lot(id))));
    const norm = action.type === "transform" ? await this.state.norm(actor.org, action.product) : undefined;
    return { orgs: this.orgs, lot: (id) => lots.get(id), norm: () => norm };
  }

  private async anchoredDocument(log: Log, status: AnchoredDocument["status"]): Promise<AnchoredDocument> {
    const transaction = await this.reader.transaction(log);
    const event = decodeLedgerEvent(log, transaction.time, this.orgs);
    if (event?.type !== "documentAnchored") throw new LedgerUnavailableError(`log ${log.transactionHash}/${log.logIndex} is no DocumentAnchored event`);
    const { hash } = event.document;
    const [successor] = status === "SUPERSEDED" ? await this.reader.call("TraceGateRegistry", "supersededBy", [hash]) : [ZeroHash];
    const [revoked] = status === "REVOKED" ? await this.reader.logs("TraceGateRegistry", "DocumentRevoked", [hash]) : [];
    return {
      ...event.document,
      status,
      supersededBy: decodeOptionalHash(successor),
      anchoredIn: transaction,
      revocation: revoked === undefined ? null : await this.revocation(revoked),
    };
  }

  private async revocation(log: Log): Promise<Revocation> {
    const event = decodeLedgerEvent(log, 0n, this.orgs);
    const reason = event?.type === "documentRevoked" || event?.type === "batchMemberRevoked" ? event.reason : "";
    return { reason, revokedIn: await this.reader.transaction(log) };
  }

  private async loadOrganisations(): Promise<void> {
    for (const log of await this.reader.logs("TraceGateRegistry", "OrganisationRegistered")) {
      const event = decodeRegistryEvent(log);
      if (event?.type === "organisationRegistered") this.orgs.add(event.id, event.index);
    }
  }

  /** Runs `read`; when it meets an organisation registered since the directory was loaded, reloads and runs it again. */
  private async withOrganisations<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof RangeError && error.message.startsWith("no organisation number"))) throw error;
      await this.loadOrganisations();
      return read();
    }
  }

  private async requireMember(signer: SignerKey, wallet: Wallet): Promise<void> {
    const [member] = await this.reader.call("TraceGateRegistry", "member", [wallet.address]);
    const index = this.orgs.indexOf(signer.org);
    if (index !== 0 && member.org === BigInt(index) && enumValue(ROLES, member.role) === signer.role) return;
    const registered =
      member.org === 0n ? "is no member of any organisation" : `is registered as ${enumValue(ROLES, member.role)} of ${this.orgs.idOf(member.org)}`;
    throw new LedgerConfigurationError(
      `the key given for ${actorKey(signer)} is account ${wallet.address}, which ${registered}: use that organisation's key, or ask customs to register the account`,
    );
  }
}

async function requireContracts(rpc: Rpc, addresses: ContractAddresses, chainId: bigint): Promise<void> {
  for (const [name, address] of Object.entries(addresses)) {
    const code = await rpc.request<string>("eth_getCode", [address, "latest"]).catch((error: unknown) => {
      throw new LedgerConfigurationError(`${name} address ${address} is not a valid address (${error instanceof Error ? error.message : error})`);
    });
    if (code === "0x") throw new LedgerConfigurationError(`no contract at ${name} address ${address} on chain ${chainId}: check the address and the network`);
  }
}

function wallet(signer: SignerKey): Wallet {
  try {
    return new Wallet(signer.privateKey);
  } catch {
    throw new LedgerConfigurationError(`the private key for ${actorKey(signer)} is not a 32-byte hex key`);
  }
}

function isAfter(position: Checkpoint, checkpoint: Checkpoint): boolean {
  return position.block > checkpoint.block || (position.block === checkpoint.block && position.index > checkpoint.index);
}
