/**
 * Signs and sends transactions from accounts whose private keys it holds, so that many can be in
 * flight: each account's sends go out one after the other with nonces counted locally (no
 * eth_getTransactionCount per send; nodes that mine on arrival refuse out-of-order nonces), while
 * waiting for receipts and confirmations overlaps freely.
 */
import { keccak256, Transaction, type Wallet } from "ethers";
import { LedgerUnavailableError, type SignedTransaction } from "../ledger.js";
import { revertDataOf } from "./errors.js";
import { signLegacyTransaction } from "./legacy-transaction.js";
import type { RawLog } from "./events.js";
import type { Rpc } from "./rpc.js";

export interface Receipt {
  transactionHash: string;
  blockNumber: string;
  status: string;
  gasUsed: string;
  logs: Array<RawLog & { address: string; logIndex: string }>;
}

export interface TransactorOptions {
  chainId: bigint;
  /** Gas limit of every transaction: enough for the largest transform; no estimate round trip. */
  gasLimit: bigint;
  /** Fixed gas price (0 on free-gas permissioned networks); by default twice the node's eth_gasPrice. */
  gasPrice?: bigint;
  /** Blocks that must include or follow a transaction before it counts as final (1: mined). */
  confirmations: number;
  pollIntervalMs: number;
  /** How long to wait for a transaction to be mined. */
  timeoutMs: number;
}

/** The transaction was mined and reverted; `data` is its revert data when the node could give it. */
export class TransactionReverted extends Error {
  constructor(
    readonly hash: string,
    readonly data: string | undefined,
  ) {
    super(`transaction ${hash} reverted`);
    this.name = "TransactionReverted";
  }
}

interface Account {
  /** The next nonce to use; undefined until read from the node (again after a failed send). */
  nonce: number | undefined;
  /** The previous send of this account: the next one starts when it has been handed to the node. */
  queue: Promise<unknown>;
}

const GAS_PRICE_TTL_MS = 10_000;

export class Transactor {
  private readonly accounts = new Map<string, Account>();
  private gasPrice: { value: bigint; at: number } | undefined;

  constructor(
    private readonly rpc: Rpc,
    private readonly options: TransactorOptions,
  ) {}

  /**
   * Sends `data` to `to` from `wallet` and returns the receipt once final; a revert throws
   * TransactionReverted. `onSigned` sees the signed transaction before the node does.
   */
  async send(wallet: Wallet, to: string, data: string, onSigned?: (transaction: SignedTransaction) => Promise<void>): Promise<Receipt> {
    const hash = await this.enqueue(wallet, to, data, onSigned);
    const receipt = await this.receipt(hash);
    if (BigInt(receipt.status) !== 1n) throw new TransactionReverted(hash, await this.replay(wallet.address, to, data, receipt));
    await this.confirmations(BigInt(receipt.blockNumber));
    return receipt;
  }

  /**
   * The final receipt of a transaction signed earlier (by this node, maybe before a restart), sending
   * its bytes again in case the node never got them; undefined once its sender's nonce has moved past it
   * without it (another transaction took its place, so it can never be mined).
   */
  async settle(raw: string): Promise<Receipt | undefined> {
    const hash = keccak256(raw);
    const { from, nonce } = Transaction.from(raw);
    if (from === null) throw new LedgerUnavailableError(`transaction ${hash} is not signed`);
    try {
      await this.rpc.request("eth_sendRawTransaction", [raw]);
    } catch {
      // Known already, mined already (nonce too low), or reverted on arrival: the receipt tells.
    }
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      const receipt = await this.rpc.request<Receipt | null>("eth_getTransactionReceipt", [hash]);
      if (receipt !== null) {
        this.forgetNonce(from);
        await this.confirmations(BigInt(receipt.blockNumber));
        return receipt;
      }
      const mined = Number(BigInt(await this.rpc.request<string>("eth_getTransactionCount", [from, "latest"])));
      if (mined > nonce && (await this.rpc.request<Receipt | null>("eth_getTransactionReceipt", [hash])) === null) return undefined;
      if (Date.now() > deadline)
        throw new LedgerUnavailableError(
          `transaction ${hash} is neither mined nor replaced after ${this.options.timeoutMs / 1000} s: check that the network produces blocks`,
        );
      await sleep(this.options.pollIntervalMs);
    }
  }

  /** A transaction sent outside the queue used a nonce: read it from the node before the account's next send. */
  private forgetNonce(address: string): void {
    const account = this.account(address);
    account.queue = account.queue.then(() => {
      account.nonce = undefined;
    });
  }

  private enqueue(wallet: Wallet, to: string, data: string, onSigned?: (transaction: SignedTransaction) => Promise<void>): Promise<string> {
    const account = this.account(wallet.address);
    const sent = account.queue.then(() => this.sendNext(wallet, account, to, data, onSigned));
    account.queue = sent.catch(() => undefined);
    return sent;
  }

  private async sendNext(
    wallet: Wallet,
    account: Account,
    to: string,
    data: string,
    onSigned?: (transaction: SignedTransaction) => Promise<void>,
    nonceTaken = false,
  ): Promise<string> {
    account.nonce ??= Number(BigInt(await this.rpc.request<string>("eth_getTransactionCount", [wallet.address, "pending"])));
    const raw = signLegacyTransaction(wallet.signingKey, {
      chainId: this.options.chainId,
      nonce: account.nonce,
      to,
      data,
      gasLimit: this.options.gasLimit,
      gasPrice: await this.currentGasPrice(),
    });
    const hash = keccak256(raw); // a signed transaction's hash (parsing it would recover the sender: slow)
    await onSigned?.({ id: hash, raw });
    try {
      await this.rpc.request("eth_sendRawTransaction", [raw]);
      account.nonce++;
      return hash;
    } catch (error) {
      // Nodes that mine on arrival (Hardhat) report a revert here, with its data: the nonce is used.
      const revert = revertDataOf(error);
      if (revert !== undefined) {
        account.nonce++;
        throw new TransactionReverted(hash, revert);
      }
      // Whether the node kept the transaction is unknown: read the nonce again before the next send.
      account.nonce = undefined;
      // Another client of the same key used this nonce (the transaction can never be mined): once more,
      // signed anew on the node's count.
      if (!nonceTaken && /nonce too low/i.test(message(error))) return this.sendNext(wallet, account, to, data, onSigned, true);
      throw error instanceof LedgerUnavailableError
        ? error
        : new LedgerUnavailableError(`the node refused transaction ${hash}: ${message(error)}`, { cause: error });
    }
  }

  private account(address: string): Account {
    let account = this.accounts.get(address);
    if (account === undefined) {
      account = { nonce: undefined, queue: Promise.resolve() };
      this.accounts.set(address, account);
    }
    return account;
  }

  private async currentGasPrice(): Promise<bigint> {
    if (this.options.gasPrice !== undefined) return this.options.gasPrice;
    if (this.gasPrice === undefined || Date.now() - this.gasPrice.at > GAS_PRICE_TTL_MS) {
      // Twice the node's price: the base fee may rise for several blocks before the transaction is mined.
      this.gasPrice = { value: 2n * BigInt(await this.rpc.request<string>("eth_gasPrice")), at: Date.now() };
    }
    return this.gasPrice.value;
  }

  private async receipt(hash: string): Promise<Receipt> {
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      const receipt = await this.rpc.request<Receipt | null>("eth_getTransactionReceipt", [hash]);
      if (receipt !== null) return receipt;
      if (Date.now() > deadline) {
        throw new LedgerUnavailableError(`transaction ${hash} was not mined within ${this.options.timeoutMs / 1000} s: check that the network produces blocks`);
      }
      await sleep(this.options.pollIntervalMs);
    }
  }

  /** The revert data of a mined, failed transaction: the same call on the state before its block. */
  private async replay(from: string, to: string, data: string, receipt: Receipt): Promise<string | undefined> {
    const parent = `0x${(BigInt(receipt.blockNumber) - 1n).toString(16)}`;
    try {
      await this.rpc.request("eth_call", [{ from, to, data, gas: `0x${this.options.gasLimit.toString(16)}` }, parent]);
      return undefined;
    } catch (error) {
      return revertDataOf(error);
    }
  }

  private async confirmations(block: bigint): Promise<void> {
    if (this.options.confirmations === 1) return; // mined is final: no round trip for the head
    const final = block + BigInt(this.options.confirmations) - 1n;
    const deadline = Date.now() + this.options.timeoutMs;
    while (BigInt(await this.rpc.request<string>("eth_blockNumber")) < final) {
      if (Date.now() > deadline) {
        throw new LedgerUnavailableError(`block ${block} did not reach ${this.options.confirmations} confirmations within ${this.options.timeoutMs / 1000} s`);
      }
      await sleep(this.options.pollIntervalMs);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
