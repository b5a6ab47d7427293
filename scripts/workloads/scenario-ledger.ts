/**
 * A seeds scenario served to the indexer as a ledger, without a chain: one block per slot of the
 * scenario (ten minutes of ledger time), its steps' events in the order the rules decided them, and
 * the registry's registrations in block 0. Sending ten million events through an EVM would take days
 * on this machine; the indexer reads these through the same LedgerSource interface as a chain's, so
 * everything from the checkpoint to the findings runs as it would in production.
 * The generator streams, so the source is read once, in order, as the indexer does when it does not
 * have to roll back (there are no reorganisations here).
 */
import type { ChainEvent, RegistrationEvent } from "../../indexer/events.js";
import type { BlockHeader, LedgerSource, SourceEvent } from "../../indexer/sources/source.js";
import { type Scenario, SLOT_SECONDS } from "../../seeds/scenario.js";
import type { Step } from "../../seeds/step.js";

const BLOCK_HASH_SALT = "tracegate scenario";

export class ScenarioLedger implements LedgerSource {
  readonly id: string;
  readonly firstBlock = 0n;
  private readonly steps: AsyncIterator<Step>;
  /** The first step not yet served: it belongs to a block after the last range read. */
  private waiting: Step | undefined;
  private done = false;
  /** The next block a read must start at. */
  private next = 0n;
  /** Time spent generating steps, in milliseconds: a benchmark takes it out of the indexer's figure. */
  generatingMs = 0;

  constructor(private readonly scenario: Scenario) {
    this.id = `scenario:${scenario.seed}:${scenario.events}:${scenario.period.from}`;
    this.steps = scenario.steps[Symbol.asyncIterator]();
  }

  /** The year's last slot is the last block. */
  async head(): Promise<BlockHeader> {
    const { from, to } = this.scenario.period;
    return this.header((to - from) / SLOT_SECONDS);
  }

  /** A block past the year's last slot is one this ledger lacks. */
  async headers(from: bigint, to: bigint): Promise<Array<BlockHeader | undefined>> {
    const last = (await this.head()).number;
    const headers: Array<BlockHeader | undefined> = [];
    for (let number = from; number <= to; number++) headers.push(number > last ? undefined : this.header(number));
    return headers;
  }

  async events(from: bigint, to: bigint): Promise<SourceEvent[]> {
    if (from !== this.next || to < from) throw new RangeError(`the scenario ledger is read once, in order: block ${this.next} next, not ${from} to ${to}`);
    this.next = to + 1n;
    const events: SourceEvent[] = from === 0n ? this.registrations() : [];
    const positions = new Map<bigint, number>();
    const started = performance.now();
    for (;;) {
      const step = this.waiting ?? (await this.nextStep());
      this.waiting = undefined;
      if (step === undefined) break;
      const block = this.blockOf(step);
      if (block > to) {
        this.waiting = step;
        break;
      }
      const index = positions.get(block) ?? 0;
      positions.set(block, index + 1);
      events.push(this.placed({ block, index, tx: txHash(block, index), event: step.event }));
    }
    this.generatingMs += performance.now() - started;
    return events;
  }

  private async nextStep(): Promise<Step | undefined> {
    if (this.done) return undefined;
    const result = await this.steps.next();
    if (result.done) this.done = true;
    return result.done ? undefined : result.value;
  }

  /** Block 1 is the year's first slot. */
  private blockOf(step: Step): bigint {
    return (step.time - this.scenario.period.from) / SLOT_SECONDS + 1n;
  }

  private header(number: bigint): BlockHeader {
    return {
      number,
      hash: blockHash(number),
      parentHash: number === 0n ? blockHash(-1n) : blockHash(number - 1n),
      time: this.scenario.period.from + (number - 1n) * SLOT_SECONDS,
    };
  }

  private placed(event: ChainEvent): SourceEvent {
    return { ...event, blockHash: blockHash(event.block) };
  }

  /** The organisations, facilities and members, registered before the year starts. */
  private registrations(): SourceEvent[] {
    const time = this.scenario.period.from - SLOT_SECONDS;
    const registrations: RegistrationEvent[] = [
      ...this.scenario.organisations.map(({ id, kind }): RegistrationEvent => ({ type: "organisationRegistered", id, kind, time })),
      ...this.scenario.facilities.map(({ id, kind, operator }): RegistrationEvent => ({ type: "facilityRegistered", id, kind, operator, time })),
      ...this.scenario.members.map(({ org, role }, index): RegistrationEvent => ({ type: "memberRegistered", member: memberAddress(index), org, role, time })),
    ];
    return registrations.map((event, index) => this.placed({ block: 0n, index, tx: txHash(0n, index), event }));
  }
}

const hex = (value: bigint, digits: number) => value.toString(16).padStart(digits, "0");

/** Stable and distinct, like a chain's: no hashing needed for ten million of them. */
function blockHash(number: bigint): string {
  return `0x${Buffer.from(BLOCK_HASH_SALT).toString("hex").padEnd(40, "0")}${hex(number < 0n ? 0n : number + 1n, 24)}`;
}

function txHash(block: bigint, index: number): string {
  return `0x${hex(block, 48)}${hex(BigInt(index), 16)}`;
}

function memberAddress(index: number): string {
  return `0x${hex(BigInt(index + 1), 40)}`;
}
