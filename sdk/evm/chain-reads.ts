/** Reads from the TraceGate contracts: view calls, their logs by event and topics, block times. */
import type { Result } from "ethers";
import type { LedgerTime } from "../../domain/index.js";
import type { Transaction } from "../ledger.js";
import { encodeCall } from "./abi-encoder.js";
import { contractInterface, type TraceGateContractName } from "./artifacts.js";
import type { RawLog } from "./events.js";
import { LogReader } from "./log-ranges.js";
import type { Rpc } from "./rpc.js";

export type ContractAddresses = Readonly<Record<TraceGateContractName, string>>;

export interface Log extends RawLog {
  address: string;
  blockNumber: string;
  transactionHash: string;
  logIndex: string;
}

const BLOCK_TIMES_KEPT = 1_024;

export class ChainReader {
  private readonly blockTimes = new Map<bigint, LedgerTime>();
  /** Block ranges as the node's eth_getLogs caps allow. */
  private readonly logReader: LogReader;

  constructor(
    readonly rpc: Rpc,
    readonly addresses: ContractAddresses,
    /** Where log searches start: the contracts' deployment block. */
    readonly fromBlock: bigint,
  ) {
    this.logReader = new LogReader(rpc);
  }

  async call(contract: TraceGateContractName, name: string, args: readonly unknown[]): Promise<Result> {
    const iface = contractInterface(contract);
    const data = encodeCall(iface, name, args);
    return iface.decodeFunctionResult(name, await this.rpc.request<string>("eth_call", [{ to: this.addresses[contract], data }, "latest"]));
  }

  /** Logs of `event` whose indexed arguments match `topics` (null: any), oldest first. */
  async logs(contract: TraceGateContractName, event: string, topics: ReadonlyArray<string | null> = [], from = this.fromBlock): Promise<Log[]> {
    const topic = contractInterface(contract).getEvent(event)!.topicHash;
    const logs: Log[] = [];
    for await (const page of this.logPages([this.addresses[contract]], [topic, ...topics], from, await this.head())) logs.push(...page);
    return logs;
  }

  /** The logs of `addresses` in blocks [from, to], oldest first, a range of blocks at a time. */
  logPages(addresses: readonly string[], topics: ReadonlyArray<string | null>, from: bigint, to: bigint): AsyncGenerator<Log[]> {
    return this.logReader.pages<Log>({ address: addresses, topics }, from, to);
  }

  async head(): Promise<bigint> {
    return BigInt(await this.rpc.request<string>("eth_blockNumber"));
  }

  async blockTime(block: bigint): Promise<LedgerTime> {
    let time = this.blockTimes.get(block);
    if (time === undefined) {
      const header = await this.rpc.request<{ timestamp: string } | null>("eth_getBlockByNumber", [hex(block), false]);
      if (header === null) throw new Error(`the node has no block ${block}`);
      time = BigInt(header.timestamp);
      if (this.blockTimes.size >= BLOCK_TIMES_KEPT) this.blockTimes.clear();
      this.blockTimes.set(block, time);
    }
    return time;
  }

  /**
   * The time of the block a transaction sent now is expected in: the node's pending block's (the time
   * set for it where block times are set, as on the product's chain), or the latest block's when the
   * node has no pending block.
   */
  async pendingTime(): Promise<LedgerTime> {
    const pending = await this.rpc.request<{ timestamp: string } | null>("eth_getBlockByNumber", ["pending", false]);
    const header = pending ?? (await this.rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]));
    return BigInt(header.timestamp);
  }

  /** Where a log (or a receipt) was recorded. */
  async transaction(record: { transactionHash: string; blockNumber: string }): Promise<Transaction> {
    const block = BigInt(record.blockNumber);
    return { tx: record.transactionHash, block, time: await this.blockTime(block) };
  }
}

export function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}
