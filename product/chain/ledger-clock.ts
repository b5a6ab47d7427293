/**
 * An EIP-1193 provider in front of the embedded chain that refuses block times out of a sane range
 * where they enter: evm_mine or evm_setNextBlockTimestamp at a time, evm_increaseTime, hardhat_mine
 * with an interval. Ledger time only moves forward, so one block mined in the year 318857 (evm_mine
 * 1e13) would date everything after it, forever, on a journaled chain; EDR itself panics beyond
 * 2^64 - 1. A chain's clock may run ahead of the wall clock by at most LEDGER_CLOCK_MAX_LEAD_SECONDS.
 * The time arguments are read as EDR reads them (a number, a hex or decimal string) and passed on as
 * a hex quantity, so the chain mines at the time that was checked.
 */
import { toQuantity } from "ethers";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";
import { quoted } from "../../domain/json-shapes.js";

/** How far a block's time may run ahead of the wall clock: a day covers any clock skew and the demo's last day. */
export const LEDGER_CLOCK_MAX_LEAD_SECONDS = 86_400n;

/** EIP-1474 "invalid params". */
const INVALID_PARAMS = -32602;

/** A block time refused; `code` and `message` go back as the JSON-RPC error. */
export class LedgerClockError extends Error {
  readonly code = INVALID_PARAMS;

  constructor(message: string) {
    super(message);
    this.name = "LedgerClockError";
  }
}

export class LedgerClockGuard implements Eip1193Provider {
  constructor(
    private readonly chain: Eip1193Provider,
    /** The wall clock, seconds. */
    private readonly now: () => bigint = () => BigInt(Math.floor(Date.now() / 1000)),
  ) {}

  async request(request: { method: string; params?: readonly unknown[] }): Promise<unknown> {
    const { method, params = [] } = request;
    switch (method) {
      case "evm_mine":
      case "evm_setNextBlockTimestamp": {
        if (params[0] === undefined && method === "evm_mine") break;
        const time = seconds(method, "timestamp", params[0]);
        this.check(method, time);
        return this.chain.request({ method, params: [toQuantity(time), ...params.slice(1)] });
      }
      case "evm_increaseTime": {
        const step = seconds(method, "seconds", params[0]);
        this.check(method, this.now() + (await this.offset()) + step);
        return this.chain.request({ method, params: [toQuantity(step)] });
      }
      case "hardhat_mine": {
        const blocks = params[0] === undefined ? 1n : seconds(method, "block count", params[0]);
        const interval = params[1] === undefined ? 1n : seconds(method, "interval", params[1]);
        const head = (await this.chain.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { timestamp: string };
        const first = max(BigInt(head.timestamp) + 1n, this.now() + (await this.offset()));
        if (blocks > 0n) this.check(method, first + (blocks - 1n) * interval);
        return this.chain.request({ method, params: [toQuantity(blocks), toQuantity(interval)] });
      }
    }
    return this.chain.request(request);
  }

  /** How far the chain's clock runs ahead of the wall clock (evm_increaseTime 0 answers it and changes nothing). */
  private async offset(): Promise<bigint> {
    return BigInt(Number(await this.chain.request({ method: "evm_increaseTime", params: ["0x0"] })));
  }

  private check(method: string, time: bigint): void {
    const now = this.now();
    if (time <= now + LEDGER_CLOCK_MAX_LEAD_SECONDS) return;
    throw new LedgerClockError(
      `${method} refused: it would date a block ${ledgerTimeIso(time)} (${time} s), more than ${LEDGER_CLOCK_MAX_LEAD_SECONDS / 3600n} hours ahead of the wall clock (${ledgerTimeIso(now)}); ledger time only moves forward, so every later block would carry that date`,
    );
  }
}

/** A non-negative whole number of seconds (or blocks) as EDR accepts it: a number, a hex quantity, a decimal string. */
function seconds(method: string, what: string, value: unknown): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/.test(value)) return BigInt(value);
  throw new LedgerClockError(`${method} refused: its ${what} must be a non-negative whole number (a hex quantity such as 0x6553f100), not ${quoted(value)}`);
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
