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
import {
  TraceGateError,
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
import {
  BATCH_EVENT,
  decodeChaincodeEvents,
  decodeJson,
  decodeOptional,
  documentRecordShape,
  encodeJson,
  ledgerEventShape,
  lotShape,
} from "../../chaincode/src/codec.js";
import { boolean } from "../../domain/json-shapes.js";
import type { FabricNetwork } from "../../scripts/harness/fabric/network.js";
import type { LedgerSnapshot } from "../../scripts/harness/fabric/peer/peer.js";
import type { ConformanceLedger, DocumentRecord } from "../../scripts/harness/conformance-ledger.js";

interface Transition {
  ledger: LedgerSnapshot;
  /** The event of an action, the events of a batch. */
  event?: LedgerEvent | LedgerEvent[];
}

/** What a network's chaincode already did: transitions and read answers, by the history they follow. */
interface Memory {
  transitions: Map<string, Transition>;
  reads: Map<string, string>;
}

export class FabricConformanceLedger implements ConformanceLedger {
  private static readonly memories = new WeakMap<FabricNetwork, Memory>();
  private readonly memory: Memory;
  private reader: Actor = { org: "", role: "AUDITOR" };
  /** The history that led to the current ledger, hashed. */
  private history = "";

  constructor(private readonly network: FabricNetwork) {
    const memory = FabricConformanceLedger.memories.get(network) ?? { transitions: new Map(), reads: new Map() };
    FabricConformanceLedger.memories.set(network, memory);
    this.memory = memory;
  }

  async register(organisations: readonly Organisation[], facilities: readonly Facility[]): Promise<void> {
    this.history = "";
    await this.transition([organisations, facilities], async () => {
      this.network.peer.restore(this.network.genesis);
      await this.network.register(organisations, facilities);
      return undefined;
    });
    this.reader = { org: organisations.find((organisation) => organisation.kind === "CUSTOMS")!.id, role: "AUDITOR" };
  }

  async submit(actor: Actor, action: Action, time: LedgerTime): Promise<LedgerEvent> {
    return (await this.transition([actor, action, time], () => this.commit(actor, action, time)))!;
  }

  async submitBatch(actor: Actor, actions: readonly CustodyAction[], time: LedgerTime): Promise<LedgerEvent[]> {
    return this.transition([actor, "batch", actions, time], () => this.commitBatch(actor, actions, time));
  }

  /** Makes a transition once per identical history; a refusal throws and leaves the history as it was. */
  private async transition<T extends LedgerEvent | LedgerEvent[] | undefined>(step: unknown, make: () => Promise<T>): Promise<T> {
    const key = createHash("sha256").update(this.history).update(encodeJson(step)).digest("hex");
    let known = this.memory.transitions.get(key);
    if (known === undefined) {
      const event = await make();
      known = { ledger: this.network.peer.snapshot(), ...(event === undefined ? {} : { event }) };
      this.memory.transitions.set(key, known);
    } else {
      this.network.peer.restore(known.ledger);
    }
    this.history = key;
    return known.event as T;
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

  private async commitBatch(actor: Actor, actions: readonly CustodyAction[], time: LedgerTime): Promise<LedgerEvent[]> {
    const committed = await this.network.client.submit(this.network.identityOf(actor), "Batch", [encodeJson(actions)], time);
    const events = decodeChaincodeEvents(committed.result);
    const emitted = committed.event === undefined ? undefined : Buffer.from(committed.event.getPayload_asU8()).toString("utf8");
    if (emitted !== committed.result || committed.event?.getEventName() !== BATCH_EVENT) {
      throw new Error(`batch: the chaincode event ${committed.event?.getEventName()} ${emitted} is not the batch's events ${committed.result}`);
    }
    return events;
  }

  async lot(id: Id): Promise<Lot | undefined> {
    return decodeOptional(lotShape, await this.read("ReadLot", [id]));
  }

  async document(hash: Hash): Promise<DocumentRecord | undefined> {
    const recorded = decodeOptional(documentRecordShape, await this.read("ReadDocument", [hash]));
    if (recorded === undefined) return undefined;
    const { hash: _hash, kind, issuer, version, status, supersededBy, anchoredAt } = recorded.document;
    return { hash: _hash, kind, issuer, version, status, supersededBy, anchoredAt };
  }

  async isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean> {
    const answer = await this.read("IsBatchMemberRevoked", [root, leaf]);
    return answer !== "" && decodeJson(boolean, answer);
  }

  /** The network belongs to whoever started it; the next ledger's `register` resets it. */
  async close(): Promise<void> {}

  /** A read's answer; "" (nothing) when the chaincode refuses the key as malformed, since no record can have it. */
  private async read(name: string, args: string[]): Promise<string> {
    const key = JSON.stringify([this.history, this.network.peer.height, name, args]);
    let answer = this.memory.reads.get(key);
    if (answer === undefined) {
      answer = await this.network.client.evaluate(this.network.identityOf(this.reader), name, args).catch((error: unknown) => {
        if (error instanceof TraceGateError && error.code === "INVALID_ARGUMENT") return "";
        throw error;
      });
      this.memory.reads.set(key, answer);
    }
    return answer;
  }
}
