/**
 * The TraceGate chaincode behind the conformance interface, on an in-process Fabric peer (fabric-shim's
 * real handler, signed proposals, X.509 identities with role attributes, MVCC validation at commit).
 * Every read is an evaluated chaincode transaction; every action a committed one.
 *
 * Vectors share setups (registration, then the same documents, batches and norms at the same times),
 * so the ledger after each accepted transition is kept, keyed by the whole history that led to it:
 * a transition the chaincode already made from the identical ledger returns to that ledger and event
 * instead of being made again. Likewise a read already evaluated on the identical ledger (same history,
 * and no block ordered since: a refused transaction is never ordered, so any change would show as a
 * new block) gives the same answer. Every distinct transition and read runs through the chaincode
 * once; refusals always run.
 */
import { createHash } from "node:crypto";
import type { Action, Actor, Facility, Hash, Id, LedgerEvent, LedgerTime, Lot, Organisation } from "../../domain/index.js";
import { assertHash, assertId } from "../../domain/index.js";
import { decodeJson, decodeOptional, documentShape, encodeJson, ledgerEventShape, lotShape } from "../../sdk/fabric/codec.js";
import { bool } from "../../sdk/fabric/json-shapes.js";
import { mspOf, type FabricNetwork } from "../fabric/network.js";
import type { LedgerSnapshot } from "../fabric/peer/peer.js";
import type { ConformanceLedger, DocumentRecord } from "./ledger.js";

interface Transition {
  ledger: LedgerSnapshot;
  event?: LedgerEvent;
}

export class FabricConformanceLedger implements ConformanceLedger {
  private static readonly transitions = new WeakMap<FabricNetwork, Map<string, Transition>>();
  private static readonly reads = new WeakMap<FabricNetwork, Map<string, string>>();
  private reader: Actor = { org: "", role: "AUDITOR" };
  /** The history that led to the current ledger, hashed. */
  private history = "";

  constructor(private readonly network: FabricNetwork) {}

  async register(organisations: readonly Organisation[], facilities: readonly Facility[]): Promise<void> {
    const customs = organisations.find((organisation) => organisation.kind === "CUSTOMS");
    if (customs === undefined) throw new Error("the Fabric registry is initialised by a customs organisation; the setup has none");
    const admin: Actor = { org: customs.id, role: "ADMIN" };
    this.reader = { org: customs.id, role: "AUDITOR" };
    this.history = "";
    await this.transition([organisations, facilities], async () => {
      this.network.peer.restore(this.network.genesis);
      await this.administer(admin, "InitLedger", [customs.id]);
      for (const { id, kind } of organisations) if (id !== customs.id) await this.administer(admin, "RegisterOrganisation", [id, kind, mspOf(id)]);
      for (const { id, kind, operator } of facilities) await this.administer(admin, "RegisterFacility", [id, kind, operator]);
      return undefined;
    });
  }

  async submit(actor: Actor, action: Action, time: LedgerTime): Promise<LedgerEvent> {
    return (await this.transition([actor, action, time], () => this.commit(actor, action, time)))!;
  }

  /** Makes a transition once per identical history; a refusal throws and leaves the history as it was. */
  private async transition(step: unknown, make: () => Promise<LedgerEvent | undefined>): Promise<LedgerEvent | undefined> {
    const transitions = FabricConformanceLedger.transitions.get(this.network) ?? new Map<string, Transition>();
    FabricConformanceLedger.transitions.set(this.network, transitions);
    const key = createHash("sha256").update(this.history).update(encodeJson(step)).digest("hex");
    let known = transitions.get(key);
    if (known === undefined) {
      const event = await make();
      known = { ledger: this.network.peer.snapshot(), ...(event === undefined ? {} : { event }) };
      transitions.set(key, known);
    } else {
      this.network.peer.restore(known.ledger);
    }
    this.history = key;
    return known.event;
  }

  private async commit(actor: Actor, action: Action, time: LedgerTime): Promise<LedgerEvent> {
    const committed = await this.network.client.submit(this.network.identityOf(actor), "Submit", [encodeJson(action)], time);
    const event = decodeJson(ledgerEventShape, committed.result);
    const emitted = committed.event === undefined ? undefined : Buffer.from(committed.event.getPayload_asU8()).toString("utf8");
    if (emitted !== committed.result || committed.event?.getEventName() !== event.type) {
      throw new Error(`${action.type}: the chaincode event ${committed.event?.getEventName()} ${emitted} is not the action's event ${committed.result}`);
    }
    return event;
  }

  async lot(id: Id): Promise<Lot | undefined> {
    if (!isValid(assertId, id)) return undefined;
    return decodeOptional(lotShape, await this.read("ReadLot", [id]));
  }

  async document(hash: Hash): Promise<DocumentRecord | undefined> {
    if (!isValid(assertHash, hash)) return undefined;
    const document = decodeOptional(documentShape, await this.read("ReadDocument", [hash]));
    if (document === undefined) return undefined;
    const { hash: _hash, kind, issuer, version, status, supersededBy, anchoredAt } = document;
    return { hash: _hash, kind, issuer, version, status, supersededBy, anchoredAt };
  }

  async isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean> {
    if (!isValid(assertHash, root) || !isValid(assertHash, leaf)) return false;
    return decodeJson(bool, await this.read("IsBatchMemberRevoked", [root, leaf]));
  }

  /** The network belongs to whoever started it; the next ledger's `register` resets it. */
  async close(): Promise<void> {}

  private async read(name: string, args: string[]): Promise<string> {
    const key = JSON.stringify([this.history, this.network.peer.height, name, args]);
    let answer = FabricConformanceLedger.reads.get(this.network)?.get(key);
    if (answer === undefined) {
      answer = await this.network.client.evaluate(this.network.identityOf(this.reader), name, args);
      const reads = FabricConformanceLedger.reads.get(this.network) ?? new Map<string, string>();
      FabricConformanceLedger.reads.set(this.network, reads.set(key, answer));
    }
    return answer;
  }

  private async administer(admin: Actor, name: string, args: string[]): Promise<void> {
    await this.network.client.submit(this.network.identityOf(admin), name, args);
  }
}

function isValid(check: (value: string, field: string) => unknown, value: string): boolean {
  try {
    check(value, "value");
    return true;
  } catch {
    return false;
  }
}
