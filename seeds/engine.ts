/**
 * Runs the scenario's flows against the rules. A flow (a generator) yields what it wants done next —
 * an action, or a wait — and gets back the action's event. Time advances in slots (one block each on a
 * chain): a flow's next action is computed in the slot it is tried, never in the slot of its previous
 * action, and an action waits for the next slot when its lots, documents or norm were written in this
 * one or the slot is full. So a block never holds two actions where one depends on the other.
 * The domain decides every action; a refusal is a bug of the scenario and stops it.
 */
import { CID } from "multiformats/cid";
import { create as createDigest } from "multiformats/hashes/digest";
import { decide, documentHash, TraceGateError, type Action, type Actor, type Hash, type Id, type LedgerEvent, type LedgerTime } from "../domain/index.js";
import { lotsRead } from "../sdk/state-keys.js";
import type { SeedDocument } from "./documents.js";
import type { Step } from "./step.js";
import type { WorkingSet } from "./working-set.js";

export interface Intent {
  actor: Actor;
  action: Action;
  document?: SeedDocument;
}

export type FlowYield = Intent | { wait: number };
/** A flow yields intents and waits (in slots); each intent is answered with its event. */
export type Flow = Generator<FlowYield, void, LedgerEvent | undefined>;

export interface EngineOptions {
  start: LedgerTime;
  /** Exclusive: nothing happens at or after it. */
  end: LedgerTime;
  slotSeconds: bigint;
  /** Actions per slot at most (a block's gas bounds it on a chain). */
  maxStepsPerSlot: number;
}

interface Task {
  slot: number;
  seq: number;
  flow: Flow;
  /** The intent computed when the task was first tried and deferred; none: resume the flow. */
  intent?: Intent;
  event?: LedgerEvent;
}

const RAW_CODEC = 0x55;
const SHA2_256 = 0x12;

/**
 * The CID of the plaintext, as IPFS addresses a small file stored with raw leaves. A loader that
 * stores the document encrypted anchors its envelope's CID instead.
 */
export function plaintextCid(hash: Hash): string {
  return CID.createV1(RAW_CODEC, createDigest(SHA2_256, Buffer.from(hash.slice(2), "hex"))).toString();
}

export function anchorIntent(actor: Actor, document: SeedDocument, subjects: Id[] = []): Intent {
  const hash = documentHash(document.bytes);
  return { actor, document, action: { type: "anchor", hash, id: document.id, kind: document.kind, cid: plaintextCid(hash), subjects } };
}

export function hashOf(intent: Intent): Hash {
  if (intent.action.type !== "anchor") throw new TypeError(`${intent.action.type} anchors no document`);
  return intent.action.hash;
}

export class Engine {
  /** The slot being run (-1 before the first). */
  slot = -1;
  private readonly queue = new TaskQueue();
  private seq = 0;
  private readonly lastSlot: number;
  /** Called when a slot starts, before any of its actions. */
  onSlot: (slot: number) => void = () => {};
  /** Called with every accepted action's event. */
  onEvent: (event: LedgerEvent) => void = () => {};

  constructor(
    readonly state: WorkingSet,
    readonly options: EngineOptions,
  ) {
    this.lastSlot = Number((options.end - options.start - 1n) / options.slotSeconds);
  }

  get slotsPerDay(): number {
    return Number(86_400n / this.options.slotSeconds);
  }

  time(slot: number): LedgerTime {
    return this.options.start + BigInt(slot) * this.options.slotSeconds;
  }

  /** Starts `flow` at `slot` (default: the next one). */
  spawn(flow: Flow, slot = this.slot + 1): void {
    this.queue.push({ slot: Math.max(slot, this.slot), seq: this.seq++, flow });
  }

  async *run(): AsyncGenerator<Step> {
    let written = new Set<string>();
    let performed = 0;
    for (let task = this.queue.pop(); task !== undefined && task.slot <= this.lastSlot; task = this.queue.pop()) {
      if (task.slot > this.slot) {
        for (let slot = this.slot + 1; slot <= task.slot; slot++) this.onSlot(slot);
        this.slot = task.slot;
        written = new Set();
        performed = 0;
      }
      let intent = task.intent;
      if (intent === undefined) {
        const next = task.flow.next(task.event);
        if (next.done) continue;
        if ("wait" in next.value) {
          this.queue.push({ slot: this.slot + Math.max(1, next.value.wait), seq: this.seq++, flow: task.flow });
          continue;
        }
        intent = next.value;
      }
      if (performed >= this.options.maxStepsPerSlot || readKeys(intent).some((key) => written.has(key))) {
        this.queue.push({ slot: this.slot + 1, seq: this.seq++, flow: task.flow, intent });
        continue;
      }
      const step = this.stepOf(intent);
      const outcome = await this.decide(intent, step.time);
      this.state.apply(outcome);
      for (const key of writtenKeys(intent, outcome.event)) written.add(key);
      performed++;
      this.onEvent(outcome.event);
      yield { ...step, event: outcome.event };
      this.queue.push({ slot: this.slot + 1, seq: this.seq++, flow: task.flow, event: outcome.event });
    }
  }

  /** The step as the state before it reads it (its event comes once the rules decide). */
  private stepOf({ actor, action, document }: Intent): Omit<Step, "event"> {
    const lots = lotsRead(action)
      .map((id) => this.state.current(id))
      .filter((lot) => lot !== undefined);
    const norm = action.type === "transform" ? this.state.currentNorm(actor.org, action.product) : undefined;
    return {
      time: this.time(this.slot),
      actor,
      action,
      ...(document === undefined ? {} : { document: { kind: document.kind, bytes: document.bytes, readers: this.readersOf(document, action) } }),
      reads: norm === undefined ? { lots } : { lots, norm },
    };
  }

  private readersOf(document: SeedDocument, action: Action): Id[] {
    const owners = action.type === "anchor" ? action.subjects.flatMap((id) => this.state.current(id)?.owner ?? []) : [];
    return [...new Set([...(document.issuedTo === undefined ? [] : [document.issuedTo]), ...owners])];
  }

  private async decide({ actor, action }: Intent, time: LedgerTime) {
    try {
      return await decide(this.state, actor, action, time);
    } catch (error) {
      if (!(error instanceof TraceGateError)) throw error;
      throw new Error(`the scenario's ${action.type} by ${actor.org}/${actor.role} at ${time} was refused: ${error.message}`, { cause: error });
    }
  }
}

/** What an action reads that an action earlier in the same block may have written. */
function readKeys({ actor, action }: Intent): string[] {
  const keys = lotsRead(action).map((lot) => `lot:${lot}`);
  const document = (hash: Hash | null) => (hash === null ? [] : [`doc:${hash}`]);
  switch (action.type) {
    case "declare":
      return [...keys, ...document(action.declaration)];
    case "clear":
      return [...keys, ...document(action.co), ...document(action.permit)];
    case "seal":
      return [...keys, ...document(action.transit)];
    case "transform":
      return [...keys, `norm:${actor.org}/${action.product}`];
    case "registerNorm":
      return document(action.document);
    case "revoke":
      return document(action.hash);
    case "supersede":
      return document(action.previous);
    default:
      return keys;
  }
}

function writtenKeys({ actor, action }: Intent, event: LedgerEvent): string[] {
  switch (event.type) {
    case "custody":
      return event.transitions.map(({ lot }) => `lot:${lot.id}`);
    case "documentAnchored":
      return [`doc:${event.document.hash}`, ...(event.document.supersedes === null ? [] : [`doc:${event.document.supersedes}`])];
    case "documentRevoked":
      return [`doc:${event.hash}`];
    case "normRegistered":
      return [`norm:${actor.org}/${action.type === "registerNorm" ? action.product : ""}`];
    default:
      return [];
  }
}

/** Tasks by slot, then in the order they were queued: a binary heap. */
class TaskQueue {
  private readonly heap: Task[] = [];

  push(task: Task): void {
    const heap = this.heap;
    heap.push(task);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  pop(): Task | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === index) break;
        [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
        index = smallest;
      }
    }
    return top;
  }
}

function before(a: Task, b: Task): boolean {
  return a.slot !== b.slot ? a.slot < b.slot : a.seq < b.seq;
}
