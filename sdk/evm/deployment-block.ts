/**
 * The block contracts were deployed in, found on the chain: the first block at which any of them has
 * code, by binary search on eth_getCode (about log2(head) calls), confirmed by a creation receipt in
 * that block (a node without old state may answer "no code" instead of an error). It needs the node
 * to answer for old blocks' state (an archive node, or a young chain); a node that refuses throws
 * its RpcError.
 */
import { LedgerConfigurationError } from "../ledger.js";
import type { Rpc } from "./rpc.js";

const hex = (block: bigint) => `0x${block.toString(16)}`;

/**
 * The deployment block of the first of `addresses` deployed, or undefined when it cannot be confirmed
 * (the node's old state is unreliable, or a factory contract created them); throws
 * LedgerConfigurationError when none has code at `head`.
 */
export async function deploymentBlock(rpc: Rpc, addresses: readonly string[], head: bigint): Promise<bigint | undefined> {
  const deployedAt = async (block: bigint) => {
    const codes = await Promise.all(addresses.map((address) => rpc.request<string>("eth_getCode", [address, hex(block)])));
    return codes.some((code) => code !== "0x");
  };
  if (!(await deployedAt(head))) {
    throw new LedgerConfigurationError(
      `neither ${addresses.join(" nor ")} holds a contract at block ${head}: are the addresses those of this chain's TraceGate?`,
    );
  }
  let [low, high] = [0n, head]; // the first block with code is in [low, high]
  while (low < high) {
    const middle = (low + high) / 2n;
    if (await deployedAt(middle)) high = middle;
    else low = middle + 1n;
  }
  return (await createsOneOf(rpc, low, addresses)) ? low : undefined;
}

/** Whether a contract-creating transaction of `block` created one of `addresses`. */
async function createsOneOf(rpc: Rpc, block: bigint, addresses: readonly string[]): Promise<boolean> {
  const wanted = new Set(addresses.map((address) => address.toLowerCase()));
  const found = await rpc.request<{ transactions: Array<{ hash: string; to: string | null }> } | null>("eth_getBlockByNumber", [hex(block), true]);
  for (const { hash } of found?.transactions.filter(({ to }) => to === null) ?? []) {
    const receipt = await rpc.request<{ contractAddress: string | null } | null>("eth_getTransactionReceipt", [hash]);
    if (receipt?.contractAddress != null && wanted.has(receipt.contractAddress.toLowerCase())) return true;
  }
  return false;
}
