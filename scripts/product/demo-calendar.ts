/** When the demo's year of trade begins on a chain: ledger time only moves forward, and history should end by today. */
import { httpRpc } from "../../sdk/evm/rpc.js";

const DAY = 86_400n;

/** The chain's newest block time. */
export async function headOf(rpcUrl: string): Promise<bigint> {
  const block = await httpRpc(rpcUrl).request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  return BigInt(block.timestamp);
}

/** The first UTC midnight after the chain's head and after a year and a day before `now`. */
export function demoStart(head: bigint, now: Date): bigint {
  const yearBack = BigInt(Math.floor(now.getTime() / 1000)) - 366n * DAY;
  const after = head > yearBack ? head : yearBack;
  return after - (after % DAY) + DAY;
}
