/**
 * Writes one block per time slot at the slot's ledger time, several slots in one JSON-RPC batch: with
 * automine off, each transaction of a slot is signed with a fixed gas price and limit and the sender's
 * next nonce (counted here), sent in order, then `evm_mine` seals them at the slot's timestamp; the
 * next slot's follow in the same batch, which the node runs in order. Signatures are deterministic, so
 * the same transactions from the same chain give the same blocks, however many slots share a batch.
 * Every transaction must succeed: the rules accepted each step before it was sent, so a revert means
 * the chain and the scenario disagree, and loading stops, naming the step and the contract's reason.
 */
import { keccak256, Wallet } from "ethers";
import { BatchRefusedError, type Actor, type LedgerTime } from "../../domain/index.js";
import { decodeRevert, EvmRevertError, revertDataOf, type OrganisationDirectory } from "../../sdk/evm/codec.js";
import type { BatchRpc } from "../../sdk/evm/batch-rpc.js";
import { signLegacyTransaction } from "../../sdk/evm/legacy-transaction.js";
import type { Receipt } from "../../sdk/evm/transactor.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import type { Step } from "../step.js";

/** 1 gwei: Hardhat's initial base fee, which blocks under half full (as these are) only lower. */
export const GAS_PRICE = 1_000_000_000n;
/** Per step: several times the largest step of a scenario (a transform of a dozen lots). */
export const GAS_LIMIT = 1_000_000n;

/** One transaction: a step's call, or a batch carrying several steps' calls (`CustodyRegistry.batch`). */
export interface Transaction {
  actor: Actor;
  to: string;
  data: string;
  /** The steps it records, in order: one, or a batch's, whose refusal names the action by its index here. */
  steps: readonly Step[];
}

/** A block to mine at `time`. */
export interface Slot {
  time: LedgerTime;
  transactions: readonly Transaction[];
}

interface Sent {
  transaction: Transaction;
  hash: string;
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
   * Mines each of `slots` into its block in one batch: per slot the sends, the mining and the new
   * block, then the receipts of all (by the hashes of the signed transactions).
   */
  async write(slots: readonly Slot[]): Promise<void> {
    const sent: Sent[] = [];
    const calls: Array<[string, unknown[]]> = [];
    const blockAnswers: number[] = [];
    for (const { time, transactions } of slots) {
      for (const transaction of transactions) {
        const raw = await this.sign(transaction);
        sent.push({ transaction, hash: keccak256(raw) });
        calls.push(["eth_sendRawTransaction", [raw]]);
      }
      calls.push(["evm_mine", [`0x${time.toString(16)}`]]);
      blockAnswers.push(calls.length);
      calls.push(["eth_getBlockByNumber", ["latest", false]]);
    }
    const receiptsFrom = calls.length;
    for (const { hash } of sent) calls.push(["eth_getTransactionReceipt", [hash]]);
    const answers = await this.rpc.batch<unknown>(calls);
    for (const [index, slot] of slots.entries()) {
      const block = answers[blockAnswers[index]!] as { number: string; transactions: string[] };
      const count = slot.transactions.length;
      if (block.transactions.length !== count) {
        throw new Error(
          `block ${BigInt(block.number)} holds ${block.transactions.length} of the slot's ${count} transactions: is the block gas limit below the slot's ${gasLimitOf(slot)} gas?`,
        );
      }
      this.blocks++;
    }
    const receipts = answers.slice(receiptsFrom) as Receipt[];
    const failed = receipts.findIndex((receipt) => BigInt(receipt.status) !== 1n);
    if (failed !== -1) await this.explain(receipts[failed]!, sent[failed]!.transaction);
  }

  private async sign({ actor, to, data, steps }: Transaction): Promise<string> {
    const sender = await this.sender(actor);
    const raw = signLegacyTransaction(sender.wallet.signingKey, {
      chainId: this.chainId,
      nonce: sender.nonce!,
      to,
      data,
      gasLimit: GAS_LIMIT * BigInt(steps.length),
      gasPrice: GAS_PRICE,
    });
    sender.nonce!++;
    return raw;
  }

  private async sender(actor: Actor) {
    const key = `${actor.org}/${actor.role}`;
    let sender = this.wallets.get(key);
    if (sender === undefined) this.wallets.set(key, (sender = { wallet: new Wallet(this.keyOf(actor)), nonce: undefined }));
    sender.nonce ??= Number(BigInt(await this.rpc.request<string>("eth_getTransactionCount", [sender.wallet.address, "pending"])));
    return sender;
  }

  /** Replays the failed transaction on its block's parent state for its revert reason, and names the step refused. */
  private async explain(receipt: Receipt, transaction: Transaction): Promise<never> {
    const { actor, to, data, steps } = transaction;
    const from = (await this.sender(actor)).wallet.address;
    const block = BigInt(receipt.blockNumber);
    let reason: Error | string = "no revert data";
    try {
      await this.rpc.request("eth_call", [{ from, to, data, gas: `0x${(GAS_LIMIT * BigInt(steps.length)).toString(16)}` }, `0x${(block - 1n).toString(16)}`]);
    } catch (error) {
      const revert = revertDataOf(error);
      reason = revert === undefined ? String(error) : decodeRevert(revert, this.orgs);
    }
    const step = steps[refusedIndex(reason)] ?? steps[0]!;
    const batch = steps.length === 1 ? "" : `, action ${steps.indexOf(step)} of a batch of ${steps.length}`;
    throw new Error(
      `the step ${describeStep(step)} reverted in block ${block} (transaction ${receipt.transactionHash}${batch}): ${reason instanceof Error ? reason.message : reason}`,
    );
  }
}

/** The action a batch's revert names: a domain refusal's index, or the batchIndex of a stale state. */
function refusedIndex(reason: Error | string): number {
  if (reason instanceof BatchRefusedError) return reason.index;
  return reason instanceof EvmRevertError && reason.details.batchIndex !== undefined ? Number(reason.details.batchIndex) : 0;
}

/** The slot's gas: GAS_LIMIT per step. */
function gasLimitOf(slot: Slot): bigint {
  return GAS_LIMIT * BigInt(slot.transactions.reduce((sum, transaction) => sum + transaction.steps.length, 0));
}

/** "declare of lot L by ORG/ROLE at <ISO time>": enough to find the step in the scenario. */
function describeStep({ action, actor, time }: Step): string {
  const lot = "lot" in action ? ` of lot ${action.lot}` : "";
  return `${action.type}${lot} by ${actor.org}/${actor.role} at ${ledgerTimeIso(time)}`;
}
