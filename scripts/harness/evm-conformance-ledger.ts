/**
 * The TraceGate contracts behind the conformance interface, on Hardhat's in-process chain.
 *
 * Each registered organisation gets one member account per role its kind allows; actors of
 * unregistered organisations send from an account that belongs to none. The adapter follows the lots
 * and norms through the events it decodes, which is how it supplies their current state to custody calls.
 */
import { ZeroHash, type Result } from "ethers";
import {
  assertHash,
  assertId,
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  FACILITY_KINDS,
  ORG_KINDS,
  ROLES,
  ROLES_BY_ORG_KIND,
  type Action,
  type Actor,
  type CustodyAction,
  type Facility,
  type Hash,
  type Id,
  type LedgerEvent,
  type LedgerTime,
  type LedgerView,
  type Lot,
  type Norm,
  type Organisation,
} from "../../domain/index.js";
import {
  contractInterface,
  decodeLedgerEvent,
  decodeOptionalHash,
  decodeRegistryEvent,
  decodeRevert,
  encodeAction,
  encodeBatch,
  encodeId,
  enumIndex,
  enumValue,
  lotHash,
  OrganisationDirectory,
  revertDataOf,
  type CallContext,
  type TraceGateContractName,
} from "../../sdk/evm/codec.js";
import { isWellFormed } from "../../sdk/well-formed.js";
import type { EvmChain, Receipt } from "./evm-chain.js";
import type { ConformanceLedger, DocumentRecord } from "./conformance-ledger.js";

/** An action submitted while setting a ledger up, at its ledger time. */
export interface SetupStep {
  actor: Actor;
  action: Action;
  time: LedgerTime;
}

/** What registration gave each organisation and actor. */
interface Registration {
  organisations: Array<[Id, number]>;
  /** "ORG/ROLE" and its member account. */
  accounts: Array<[string, string]>;
  /** The account of actors whose organisation is not registered. */
  outsider: string;
}

export class EvmConformanceLedger implements ConformanceLedger {
  /** Organisation ids and their registry numbers. */
  readonly orgs = new OrganisationDirectory();
  private readonly accounts = new Map<string, string>();
  private readonly lots = new Map<Id, Lot>();
  private readonly norms = new Map<string, Norm>();
  private readonly context: CallContext = {
    orgs: this.orgs,
    lot: (id) => this.lots.get(id),
    norm: (owner, product) => this.norms.get(`${owner}/${product}`),
  };
  private outsider = "";
  /** The registered world, which the domain's rules read to work out a batch's lot states (encodeBatch). */
  private world: { organisations: readonly Organisation[]; facilities: readonly Facility[] } = { organisations: [], facilities: [] };

  /** A ledger on `chain`, which `register` brings back to a fresh deployment (voiding any earlier ledger on it). */
  constructor(private readonly chain: EvmChain) {}

  async register(organisations: readonly Organisation[], facilities: readonly Facility[]): Promise<void> {
    const registration = await this.chain.prepare(JSON.stringify([organisations, facilities]), () =>
      this.registerOnChain(organisations, facilities),
    );
    this.adopt(registration);
    this.world = { organisations, facilities };
  }

  /**
   * `register`, then `setup` submitted in order, once per chain: a later ledger with the same world and
   * setup starts from the chain's snapshot of it, with the lots and norms the setup's events gave.
   */
  async registerAndSetUp(organisations: readonly Organisation[], facilities: readonly Facility[], setup: readonly SetupStep[]): Promise<void> {
    const key = JSON.stringify([organisations, facilities, setup], (_, value: unknown) => (typeof value === "bigint" ? `${value}n` : value));
    const prepared = await this.chain.prepare(key, async () => {
      const registration = await this.registerOnChain(organisations, facilities);
      this.adopt(registration);
      for (const { actor, action, time } of setup) await this.submit(actor, action, time);
      return { registration, lots: [...this.lots.values()], norms: [...this.norms.values()] };
    });
    this.adopt(prepared.registration);
    this.world = { organisations, facilities };
    for (const lot of prepared.lots) this.lots.set(lot.id, lot);
    for (const norm of prepared.norms) this.norms.set(`${norm.owner}/${norm.product}`, norm);
  }

  private adopt(registration: Registration): void {
    for (const [id, index] of registration.organisations) this.orgs.add(id, index);
    for (const [actor, account] of registration.accounts) this.accounts.set(actor, account);
    this.outsider = registration.outsider;
  }

  /** The account `actor` sends from: its member account, or one that belongs to no organisation. */
  accountOf(actor: Actor): string {
    return this.accounts.get(`${actor.org}/${actor.role}`) ?? this.outsider;
  }

  async submit(actor: Actor, action: Action, time: LedgerTime): Promise<LedgerEvent> {
    const call = encodeAction(actor, action, this.context);
    await this.chain.setNextBlockTime(time);
    const receipt = await this.send(this.accountOf(actor), call.contract, call.data);
    const blockTime = await this.chain.blockTime(receipt.blockNumber);
    const events = receipt.logs.flatMap((log) => decodeLedgerEvent(log, blockTime, this.orgs) ?? []);
    if (events.length !== 1) throw new Error(`${action.type} emitted ${events.length} TraceGate events, not one`);
    this.follow(events[0]!);
    return events[0]!;
  }

  async submitBatch(actor: Actor, actions: readonly CustodyAction[], time: LedgerTime): Promise<LedgerEvent[]> {
    const call = await encodeBatch(actor, actions, this.orgs, this.view());
    await this.chain.setNextBlockTime(time);
    const receipt = await this.send(this.accountOf(actor), call.contract, call.data);
    const blockTime = await this.chain.blockTime(receipt.blockNumber);
    const events = receipt.logs.flatMap((log) => decodeLedgerEvent(log, blockTime, this.orgs) ?? []);
    if (events.length !== actions.length) throw new Error(`a batch of ${actions.length} emitted ${events.length} TraceGate events`);
    for (const event of events) this.follow(event);
    return events;
  }

  /** What the domain's rules read to work out a batch's lot states: the world, the chain's documents, the followed lots and norms. */
  private view(): LedgerView {
    return {
      organisation: async (id) => this.world.organisations.find((organisation) => organisation.id === id),
      facility: async (id) => this.world.facilities.find((facility) => facility.id === id),
      document: async (hash) => {
        const record = await this.document(hash);
        return record === undefined ? undefined : { ...record, id: hash, cid: "", subjects: [], supersedes: null };
      },
      batch: async () => undefined,
      isBatchMemberRevoked: (root, leaf) => this.isBatchMemberRevoked(root, leaf),
      norm: async (owner, product) => this.norms.get(`${owner}/${product}`),
      lot: async (id) => this.lots.get(id),
    };
  }

  /** The lot as this adapter followed it, after checking that the chain stores the same state. */
  async lot(id: Id): Promise<Lot | undefined> {
    if (!isWellFormed(assertId, id)) return undefined;
    const followed = this.lots.get(id);
    const [stored] = await this.read("CustodyRegistry", "lotHash", [encodeId(id)]);
    const expected = followed === undefined ? ZeroHash : lotHash(followed, this.orgs);
    if (stored !== expected) throw new Error(`lot ${id}: the chain stores state ${stored}, the events give ${expected}`);
    return followed === undefined ? undefined : { ...followed };
  }

  async document(hash: Hash): Promise<DocumentRecord | undefined> {
    if (!isWellFormed(assertHash, hash)) return undefined;
    const [record] = await this.read("TraceGateRegistry", "document", [hash]);
    if (record.version === 0n) return undefined;
    const status = enumValue(DOCUMENT_STATUSES, record.status);
    const [successor] = status === "SUPERSEDED" ? await this.read("TraceGateRegistry", "supersededBy", [hash]) : [ZeroHash];
    return {
      hash,
      kind: enumValue(DOCUMENT_KINDS, record.kind),
      issuer: this.orgs.idOf(record.issuer),
      version: Number(record.version),
      status,
      supersededBy: decodeOptionalHash(successor),
      anchoredAt: record.anchoredAt,
    };
  }

  async isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean> {
    if (!isWellFormed(assertHash, root) || !isWellFormed(assertHash, leaf)) return false;
    const [revoked] = await this.read("TraceGateRegistry", "isBatchMemberRevoked", [root, leaf]);
    return revoked;
  }

  /** The chain belongs to whoever started it; the next ledger's `register` resets it. */
  async close(): Promise<void> {}

  private async registerOnChain(organisations: readonly Organisation[], facilities: readonly Facility[]): Promise<Registration> {
    const registration: Registration = { organisations: [], accounts: [], outsider: await this.chain.account("outsider") };
    for (const { id, kind } of organisations) {
      const receipt = await this.administer("registerOrganisation", [encodeId(id), enumIndex(ORG_KINDS, kind)]);
      for (const log of receipt.logs) {
        const event = decodeRegistryEvent(log);
        if (event?.type === "organisationRegistered") registration.organisations.push([event.id, event.index]);
      }
      for (const role of ROLES_BY_ORG_KIND[kind]) {
        const account = await this.chain.account(`${id}/${role}`);
        await this.administer("registerMember", [account, encodeId(id), enumIndex(ROLES, role)]);
        registration.accounts.push([`${id}/${role}`, account]);
      }
    }
    for (const { id, kind, operator } of facilities) {
      await this.administer("registerFacility", [encodeId(id), enumIndex(FACILITY_KINDS, kind), encodeId(operator)]);
    }
    return registration;
  }

  private follow(event: LedgerEvent): void {
    if (event.type === "custody") for (const { lot } of event.transitions) this.lots.set(lot.id, lot);
    if (event.type === "normRegistered") this.norms.set(`${event.norm.owner}/${event.norm.product}`, event.norm);
  }

  private administer(name: string, args: unknown[]): Promise<Receipt> {
    const data = contractInterface("TraceGateRegistry").encodeFunctionData(name, args);
    return this.send(this.chain.registrar, "TraceGateRegistry", data);
  }

  /** Sends a transaction; a revert throws its decoded error. */
  private async send(from: string, contract: TraceGateContractName, data: string): Promise<Receipt> {
    try {
      return await this.chain.send(from, contract, data);
    } catch (error) {
      const revert = revertDataOf(error);
      throw revert === undefined ? error : decodeRevert(revert, this.orgs);
    }
  }

  private async read(contract: TraceGateContractName, name: string, args: unknown[]): Promise<Result> {
    const iface = contractInterface(contract);
    return iface.decodeFunctionResult(name, await this.chain.call(contract, iface.encodeFunctionData(name, args)));
  }
}
