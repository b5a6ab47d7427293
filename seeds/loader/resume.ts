/**
 * Resuming a load that stopped part-way (a killed process, a failed block): the chain's newest block is
 * the last slot loaded, since each slot is one block, mined whole (a node runs a JSON-RPC batch in
 * order, and a killed node keeps the blocks its journal holds, each whole). The steps up to that
 * block's time are on the chain; the rest are to load.
 */
import type { LedgerTime } from "../../domain/index.js";
import type { Rpc } from "../../sdk/evm/rpc.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";

/** The chain's newest block is not the scenario's: something else made blocks after the load stopped. */
export class LoadResumeError extends Error {
  override name = "LoadResumeError";
}

interface Head {
  number: bigint;
  time: LedgerTime;
  transactions: number;
}

/** The chain's newest block, when it lies in the scenario's period (some of it was loaded). */
export async function loadedHead(rpc: Rpc, from: LedgerTime): Promise<Head | undefined> {
  const block = await rpc.request<{ number: string; timestamp: string; transactions: string[] }>("eth_getBlockByNumber", ["latest", false]);
  const head = { number: BigInt(block.number), time: BigInt(block.timestamp), transactions: block.transactions.length };
  return head.time < from ? undefined : head;
}

/** Skips the steps the chain holds, and checks that its newest block is the scenario's slot at that time. */
export class LoadedPrefix {
  /** Steps on the chain already. */
  skipped = 0;
  private atHead = 0;
  private checked = false;

  constructor(private readonly head: Head) {}

  /** Whether the slot at `time` (its `steps` in `transactions`) is on the chain already (slots come in time order). */
  holds(time: LedgerTime, steps: number, transactions: number): boolean {
    if (time <= this.head.time) {
      this.skipped += steps;
      if (time === this.head.time) this.atHead = transactions;
      return true;
    }
    this.check();
    return false;
  }

  /** Throws unless the newest block held exactly the transactions of the slot at its time; once, after the last skipped slot. */
  check(): void {
    if (this.checked) return;
    this.checked = true;
    const { number, time, transactions } = this.head;
    if (this.atHead === 0 || this.atHead !== transactions) {
      throw new LoadResumeError(
        `the chain's newest block ${number} (${ledgerTimeIso(time)}, ${transactions} transactions) is not one of the scenario's: blocks were added after the load stopped, so it cannot be resumed on this chain`,
      );
    }
  }
}
