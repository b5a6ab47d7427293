/**
 * Writes one block per time slot at the slot's ledger time: with automine off, each call of the slot
 * is signed with a fixed gas price and limit and the sender's next nonce (counted here), sent in order,
 * then `evm_mine` seals them at the slot's timestamp. Signatures are deterministic, so the same calls
 * from the same chain give the same blocks. Every transaction must succeed: the rules accepted each
 * step before it was sent, so a revert means the chain and the scenario disagree, and loading stops.
 */
import { keccak256, Wallet } from "ethers";
import type { Actor, LedgerTime } from "../../domain/index.js";
import { decodeRevert, revertDataOf, type OrganisationDirectory } from "../../sdk/evm/codec.js";
import type { BatchRpc } from "../../sdk/evm/batch-rpc.js";
import { signLegacyTransaction } from "../../sdk/evm/legacy-transaction.js";
import type { Receipt } from "../../sdk/evm/transactor.js";

/** 1 gwei: Hardhat's initial base fee, which blocks under half full (as these are) only lower. */
export const GAS_PRICE = 1_000_000_000n;
/** Several times the largest transaction of a scenario (a transform of a dozen lots). */
export const GAS_LIMIT = 1_000_000n;

export interface Call {
  actor: Actor;
  to: string;
  data: string;
}

export class BlockWriter {
  private readonly wallets = new Map<string, { wallet: Wallet; nonce: number | undefined }>();
  blocks = 0;

  constructor(
    private readonly rpc: BatchRpc,
    private readonly chainId: bigint,
    private readonly keyOf: (actor: Actor) => string,
    private readonly orgs: OrganisationDirectory,
  ) {}

  /**
   * Mines `calls` into one block at `time` in one round trip: a node runs a batch in order, so the
   * sends, the mining, then the new block and the receipts (by the hashes of the signed transactions).
   */
  async write(time: LedgerTime, calls: readonly Call[]): Promise<void> {
    const raws: string[] = [];
    for (const { actor, to, data } of calls) {
      const sender = await this.sender(actor);
      raws.push(signLegacyTransaction(sender.wallet.signingKey, { chainId: this.chainId, nonce: sender.nonce!, to, data, gasLimit: GAS_LIMIT, gasPrice: GAS_PRICE }));
      sender.nonce!++;
    }
    const hashes = raws.map((raw) => keccak256(raw));
    const answers = await this.rpc.batch<unknown>([
      ...raws.map((raw): [string, unknown[]] => ["eth_sendRawTransaction", [raw]]),
      ["evm_mine", [`0x${time.toString(16)}`]],
      ["eth_getBlockByNumber", ["latest", false]],
      ...hashes.map((hash): [string, unknown[]] => ["eth_getTransactionReceipt", [hash]]),
    ]);
    this.blocks++;
    const block = answers[raws.length + 1] as { number: string; transactions: string[] };
    const receipts = answers.slice(raws.length + 2) as Receipt[];
    if (block.transactions.length !== hashes.length) {
      throw new Error(`block ${BigInt(block.number)} holds ${block.transactions.length} of the slot's ${hashes.length} transactions: is the block gas limit below ${hashes.length} × ${GAS_LIMIT}?`);
    }
    const failed = receipts.find((receipt) => BigInt(receipt.status) !== 1n);
    if (failed !== undefined) await this.explain(failed, calls[hashes.indexOf(failed.transactionHash)]!, block.number);
  }

  private async sender(actor: Actor) {
    const key = `${actor.org}/${actor.role}`;
    let sender = this.wallets.get(key);
    if (sender === undefined) this.wallets.set(key, (sender = { wallet: new Wallet(this.keyOf(actor)), nonce: undefined }));
    sender.nonce ??= Number(BigInt(await this.rpc.request<string>("eth_getTransactionCount", [sender.wallet.address, "pending"])));
    return sender;
  }

  /** Replays the failed call on the block's parent state for its revert reason. */
  private async explain(receipt: Receipt, call: Call, block: string): Promise<never> {
    const from = (await this.sender(call.actor)).wallet.address;
    const parent = `0x${(BigInt(block) - 1n).toString(16)}`;
    let reason = "no revert data";
    try {
      await this.rpc.request("eth_call", [{ from, to: call.to, data: call.data, gas: `0x${GAS_LIMIT.toString(16)}` }, parent]);
    } catch (error) {
      const data = revertDataOf(error);
      reason = data === undefined ? String(error) : decodeRevert(data, this.orgs).message;
    }
    throw new Error(`transaction ${receipt.transactionHash} of ${call.actor.org}/${call.actor.role} reverted in block ${BigInt(block)}: ${reason}`);
  }
}
