/**
 * The product's EvmLedger (sdk/evm/ledger.ts) behind the conformance interface, on the embedded chain
 * (evm-chain.ts), with the one thing a ledger client does not do: it sets each action's block time
 * (evm_setNextBlockTimestamp) before the ledger sends it. So the vectors and the differential test run
 * the shipped signing, encoding, revert decoding and following of lot and norm states (hash-checked
 * against the chain, loaded from the events when this process has not seen them).
 *
 * Organisations are registered by the shipped RegistryAdministration, each with one member key per
 * role its kind allows. An actor without a member account (an unregistered organisation, a role its
 * kind cannot hold) has no key an EvmLedger accepts: its action is encoded as EvmLedger encodes it, on
 * the states the EvmLedger reads, and sent from an account of no organisation.
 */
import {
  ROLES_BY_ORG_KIND,
  type Action,
  type Actor,
  type CustodyAction,
  type Facility,
  type Hash,
  type Id,
  type LedgerEvent,
  type LedgerTime,
  type Lot,
  type Organisation,
} from "../../domain/index.js";
import { actorKey } from "../../sdk/ledger.js";
import {
  decodeLedgerEvent,
  decodeRevert,
  encodeAction,
  encodeBatch,
  revertDataOf,
  type ContractCall,
  type OrganisationDirectory,
} from "../../sdk/evm/codec.js";
import { EvmLedger, type SignerKey } from "../../sdk/evm/ledger.js";
import { RegistryAdministration } from "../../sdk/evm/registry-admin.js";
import { lotsRead } from "../../sdk/state-keys.js";
import type { ConformanceLedger, DocumentRecord } from "./conformance-ledger.js";
import type { EvmChain } from "./evm-chain.js";

/** An action submitted while setting a ledger up, at its ledger time. */
export interface SetupStep {
  actor: Actor;
  action: Action;
  time: LedgerTime;
}

/** What registration gave: the members' keys and addresses, and the account of no organisation. */
interface Registration {
  signers: SignerKey[];
  /** Each member's actor key ("ORG/ROLE") and account. */
  accounts: Array<[string, string]>;
  outsider: string;
}

export class TimedEvmLedger implements ConformanceLedger {
  private connected: { ledger: EvmLedger; accounts: ReadonlyMap<string, string>; outsider: string } | undefined;
  /** The hash of the last transaction an action was sent in (for gas figures). */
  lastTransaction: string | undefined;

  /** A ledger on `chain`, which `register` brings back to a fresh deployment (voiding any earlier ledger on it). */
  constructor(private readonly chain: EvmChain) {}

  async register(organisations: readonly Organisation[], facilities: readonly Facility[]): Promise<void> {
    await this.connect(await this.chain.prepare(JSON.stringify([organisations, facilities]), () => this.registerOnChain(organisations, facilities)));
  }

  /**
   * `register`, then `setup` submitted in order, once per chain: a later ledger with the same world and
   * setup starts from the chain's snapshot of it, and reads the setup's lots and norms from the chain.
   */
  async registerAndSetUp(organisations: readonly Organisation[], facilities: readonly Facility[], setup: readonly SetupStep[]): Promise<void> {
    const key = JSON.stringify([organisations, facilities, setup], (_, value: unknown) => (typeof value === "bigint" ? `${value}n` : value));
    const registration = await this.chain.prepare(key, async () => {
      const registered = await this.registerOnChain(organisations, facilities);
      await this.connect(registered);
      for (const { actor, action, time } of setup) await this.submit(actor, action, time);
      return registered;
    });
    await this.connect(registration);
  }

  /** Organisation ids and their registry numbers, as the ledger knows them. */
  get orgs(): OrganisationDirectory {
    return this.ledger().orgs;
  }

  /** The account `actor` sends from: its member account, or one that belongs to no organisation. */
  accountOf(actor: Actor): string {
    const { accounts, outsider } = this.connection();
    return accounts.get(actorKey(actor)) ?? outsider;
  }

  async submit(actor: Actor, action: Action, time: LedgerTime): Promise<LedgerEvent> {
    await this.chain.setNextBlockTime(time);
    if (!this.isMember(actor))
      return this.sendAsOutsider(actor, async () => encodeAction(actor, action, await this.callContext(actor, action)), 1).then(([event]) => event!);
    const { event, tx } = await this.ledger().submit(actor, action);
    this.lastTransaction = tx;
    return event;
  }

  async submitBatch(actor: Actor, actions: readonly CustodyAction[], time: LedgerTime): Promise<LedgerEvent[]> {
    await this.chain.setNextBlockTime(time);
    if (!this.isMember(actor)) {
      return this.sendAsOutsider(actor, () => encodeBatch(actor, actions, this.orgs, this.ledger(), async () => time), actions.length);
    }
    const { events, tx } = await this.ledger().submitBatch(actor, actions);
    this.lastTransaction = tx;
    return events;
  }

  lot(id: Id): Promise<Lot | undefined> {
    return this.ledger().lot(id);
  }

  async document(hash: Hash): Promise<DocumentRecord | undefined> {
    const document = await this.ledger().document(hash);
    if (document === undefined) return undefined;
    const { kind, issuer, version, status, supersededBy, anchoredAt } = document;
    return { hash, kind, issuer, version, status, supersededBy, anchoredAt };
  }

  isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean> {
    return this.ledger().isBatchMemberRevoked(root, leaf);
  }

  /** The chain belongs to whoever started it; the next ledger's `register` resets it. */
  async close(): Promise<void> {}

  private isMember(actor: Actor): boolean {
    return this.connection().accounts.has(actorKey(actor));
  }

  /** What EvmLedger sends for the actor, from the account of no organisation; a revert throws its decoded error. */
  private async sendAsOutsider(actor: Actor, encode: () => Promise<ContractCall>, expected: number): Promise<LedgerEvent[]> {
    const call = await encode();
    const receipt = await this.chain.send(this.connection().outsider, call.contract, call.data).catch((error: unknown) => {
      const revert = revertDataOf(error);
      throw revert === undefined ? error : decodeRevert(revert, this.orgs);
    });
    this.lastTransaction = receipt.transactionHash;
    const time = await this.chain.blockTime(receipt.blockNumber);
    const events = receipt.logs.flatMap((log) => decodeLedgerEvent(log, time, this.orgs) ?? []);
    if (events.length !== expected) throw new Error(`${actorKey(actor)} without a member account: ${events.length} TraceGate events, not ${expected}`);
    return events;
  }

  /** The states a single action carries, read through the ledger (hash-checked) as EvmLedger reads them. */
  private async callContext(actor: Actor, action: Action) {
    const ledger = this.ledger();
    const lots = new Map(await Promise.all(lotsRead(action).map(async (id) => [id, await ledger.lot(id)] as const)));
    const norm = action.type === "transform" ? await ledger.norm(actor.org, action.product) : undefined;
    return { orgs: ledger.orgs, lot: (id: Id) => lots.get(id), norm: () => norm };
  }

  private async registerOnChain(organisations: readonly Organisation[], facilities: readonly Facility[]): Promise<Registration> {
    const admin = await RegistryAdministration.connect(this.chain.provider, this.chain.addresses, this.chain.registrar.privateKey);
    const registration: Registration = { signers: [], accounts: [], outsider: (await this.chain.account("outsider")).address };
    for (const organisation of organisations) {
      await admin.registerOrganisation(organisation);
      for (const role of ROLES_BY_ORG_KIND[organisation.kind]) {
        const { address, privateKey } = await this.chain.account(`${organisation.id}/${role}`);
        await admin.registerMember(address, organisation.id, role);
        const signer = { org: organisation.id, role, privateKey };
        registration.signers.push(signer);
        registration.accounts.push([actorKey(signer), address]);
      }
    }
    for (const facility of facilities) await admin.registerFacility(facility);
    return registration;
  }

  /** A new EvmLedger on the chain as it is now, with the registration's keys (nothing it followed before carries over). */
  private async connect({ signers, accounts, outsider }: Registration): Promise<void> {
    const ledger = await EvmLedger.connect({ endpoint: this.chain.provider, addresses: this.chain.addresses, signers });
    this.connected = { ledger, accounts: new Map(accounts), outsider };
  }

  private connection(): NonNullable<TimedEvmLedger["connected"]> {
    if (this.connected === undefined) throw new Error("register the ledger first");
    return this.connected;
  }

  private ledger(): EvmLedger {
    return this.connection().ledger;
  }
}
