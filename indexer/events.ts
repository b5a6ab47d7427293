/** What the indexer stores: the domain's ledger events and the registry's registrations, each at its place on the chain. */
import type { FacilityKind, Id, LedgerEvent, LedgerTime, OrgKind, Role } from "../domain/index.js";

/** Registry administration in ids (the EVM's organisation numbers already translated), as any ledger reports it. */
export type RegistrationEvent =
  | { type: "organisationRegistered"; id: Id; kind: OrgKind; time: LedgerTime }
  | { type: "memberRegistered" | "memberRemoved"; member: string; org: Id; role: Role; time: LedgerTime }
  | { type: "facilityRegistered"; id: Id; kind: FacilityKind; operator: Id; time: LedgerTime };

export type IndexedEvent = LedgerEvent | RegistrationEvent;

/** An event and where the chain put it. */
export interface ChainEvent {
  block: bigint;
  /** Position inside the block: the EVM log index; on Fabric the event's rank among the block's TraceGate events (registrations included). */
  index: number;
  tx: string;
  event: IndexedEvent;
}

/** Room for this many events per block in an event id. */
const EVENTS_PER_BLOCK = 1n << 20n;

/**
 * An event's id: its place on the chain as one integer (block × 2^20 + index). Deterministic, so a run
 * that crashed and resumed assigns the same ids as one that did not, and ordered like the chain, so
 * "every event after block B" is one id range.
 */
export function eventId(block: bigint, index: number): bigint {
  if (index < 0 || BigInt(index) >= EVENTS_PER_BLOCK) throw new RangeError(`event index ${index} is outside 0..2^20-1`);
  return block * EVENTS_PER_BLOCK + BigInt(index);
}

/** The first event id of block `block`. */
export function firstEventIdOf(block: bigint): bigint {
  return block * EVENTS_PER_BLOCK;
}

/** The kind column: the custody action, or the event's type. */
export function kindOf(event: IndexedEvent): string {
  return event.type === "custody" ? event.action : event.type;
}
