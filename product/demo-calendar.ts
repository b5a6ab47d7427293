/**
 * When the demo's year of trade lies on a chain, and whether it may be laid at all: ledger time only
 * moves forward, and no block may be dated after now. A chain holds one demo year: a re-run finishes an
 * interrupted load of that year, or shows its anomalies again.
 */
import { httpRpc, type Rpc } from "../sdk/evm/rpc.js";
import { ledgerTimeIso } from "../sdk/ledger-time.js";
import type { DemoRecord } from "./demo-record.js";

const DAY = 86_400n;

/** A demo the chain cannot take as asked; the message says what to do instead. */
export class DemoPlanError extends Error {
  override name = "DemoPlanError";
}

export type DemoPlan =
  /** Lay the year from `start`; `resume`: part of it is on the chain already. */
  | { kind: "load"; seed: number; events: number; start: bigint; resume: boolean }
  /** The year is on the chain: nothing to load. */
  | { kind: "loaded"; seed: number; events: number; start: bigint };

export interface DemoRequest {
  /** Given on the command line, or undefined (then the recorded demo's, else the defaults). */
  seed: number | undefined;
  events: number | undefined;
  defaults: { seed: number; events: number };
  /** This chain's demo record, if it has one. */
  record: DemoRecord | undefined;
  /** The chain's newest block time, and now. */
  head: bigint;
  now: Date;
  home: string;
}

export function planDemo({ seed, events, defaults, record, head, now, home }: DemoRequest): DemoPlan {
  if (record === undefined) return { kind: "load", seed: seed ?? defaults.seed, events: events ?? defaults.events, start: demoStart(head, now), resume: false };
  const start = BigInt(record.start);
  const asked = { seed: seed ?? record.seed, events: events ?? record.events };
  if (asked.seed === record.seed && asked.events === record.events)
    return record.complete ? { kind: "loaded", ...asked, start } : { kind: "load", ...asked, start, resume: true };
  const year = `the demo year of seed ${record.seed} and ${record.events.toLocaleString("en")} events from ${ledgerTimeIso(start).slice(0, 10)}`;
  const another = `A second year would be dated after its end, ahead of today, and ledger time cannot go back: for another seed or size, stop TraceGate, move ${home} aside and start it again.`;
  throw new DemoPlanError(
    record.complete
      ? `This chain holds ${year} already. \`npm run demo\` shows its anomalies again. ${another}`
      : `A load of ${year} stopped part-way on this chain (its ledger time is at ${ledgerTimeIso(head)}): \`npm run demo\` finishes it. ${another}`,
  );
}

/** Refuses a year that would end after now: the chain's head is too recent for a year to follow it. */
export function requireEndsByNow(period: { from: bigint; to: bigint }, head: bigint, now: Date, home: string): void {
  if (period.to <= seconds(now)) return;
  throw new DemoPlanError(
    `This chain's ledger time is at ${ledgerTimeIso(head)}: a demo year after it would run ${ledgerTimeIso(period.from).slice(0, 10)} … ${ledgerTimeIso(period.to).slice(0, 10)}, ahead of today, and ledger time cannot go back. Load the demo onto a new chain: stop TraceGate, move ${home} aside and start it again (a new chain's clock starts 400 days back).`,
  );
}

/** The chain's newest block time. */
export async function headOf(rpcUrl: string): Promise<bigint> {
  const block = await httpRpc(rpcUrl).request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  return BigInt(block.timestamp);
}

/** The first UTC midnight after the chain's head and after a year and a day before `now`. */
export function demoStart(head: bigint, now: Date): bigint {
  const yearBack = seconds(now) - 366n * DAY;
  const after = head > yearBack ? head : yearBack;
  return after - (after % DAY) + DAY;
}

/**
 * Brings the chain's clock to now with an empty block, after a year laid in the past (evm_mine at a
 * time sets the node's clock there); returns the newest block's number.
 */
export async function catchUpWithWallClock(rpc: Rpc, now: Date): Promise<bigint> {
  const head = await rpc.request<{ number: string; timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  if (BigInt(head.timestamp) >= seconds(now)) return BigInt(head.number);
  await rpc.request("evm_mine", [`0x${seconds(now).toString(16)}`]);
  return BigInt(await rpc.request<string>("eth_blockNumber"));
}

function seconds(time: Date): bigint {
  return BigInt(Math.floor(time.getTime() / 1000));
}
