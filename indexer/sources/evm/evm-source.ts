/**
 * TraceGate on an EVM chain, read over JSON-RPC: logs of the registry and custody contracts by block
 * range (eth_getLogs, split as the node's caps require: sdk/evm/log-ranges.ts), decoded by the SDK's
 * codec, timed by their block's timestamp, from the contracts' deployment block on.
 *
 * A log carrying a value the domain's format refuses (an id that is not a short string, a reason that
 * is not UTF-8: only contracts deployed before the contracts checked them emit these) is indexed all
 * the same, never retried forever: the codec decodes such an id as its raw word in 0x hex and such a
 * string with U+FFFD, and the source reports each value, raw, with the log's place on the chain.
 */
import { toQuantity } from "ethers";
import {
  contractInterface,
  decodeLedgerEvent,
  decodeRegistryEvent,
  OrganisationDirectory,
  type MalformedValueSink,
  type RawLog,
} from "../../../sdk/evm/codec.js";
import type { IndexedEvent } from "../../events.js";
import { ChainMovedError, SourceRefusedError, type BlockHeader, type LedgerSource, type ReadingState, type SourceEvent } from "../source.js";
import type { BatchRpc } from "../../../sdk/evm/batch-rpc.js";
import { deploymentBlock } from "../../../sdk/evm/deployment-block.js";
import type { EndpointStatus } from "../../../sdk/evm/endpoints.js";
import { LogReader, LogRangeRefusedError } from "../../../sdk/evm/log-ranges.js";
import { RpcError } from "../../../sdk/evm/rpc.js";

export interface TraceGateAddresses {
  registry: string;
  custody: string;
}

/** A value of a log that the domain's format refuses, indexed in the marked form the codec gives it. */
export interface MalformedValue {
  block: bigint;
  tx: string;
  /** The log's index in its block. */
  index: number;
  what: Parameters<MalformedValueSink>[0];
  /** The value's raw bytes, 0x hex. */
  raw: string;
}

/** By default a malformed value is a warning on stderr, where the indexer's progress goes. */
const warnOnStderr = ({ block, tx, index, what, raw }: MalformedValue) =>
  process.stderr.write(`warning: block ${block} tx ${tx} log ${index} carries a malformed ${what} ${raw}; indexed in marked form\n`);

export interface EvmSourceOptions {
  /** The first block read: the contracts' deployment block. Default: found on the chain (sdk/evm/deployment-block.ts), else 0. */
  fromBlock?: bigint;
  /** Hears of every malformed value of every log read (see above); default: a warning on stderr. */
  onMalformed?: (value: MalformedValue) => void;
}

interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
}

interface RpcLog extends RawLog {
  address: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
}

const REGISTRATIONS = ["OrganisationRegistered", "MemberRegistered", "MemberRemoved", "FacilityRegistered"];

const header = (block: RpcBlock): BlockHeader => ({
  number: BigInt(block.number),
  hash: block.hash,
  parentHash: block.parentHash,
  time: BigInt(block.timestamp),
});

export class EvmSource implements LedgerSource {
  /**
   * Organisation numbers → ids, as registered in the blocks before `directoryUpTo`. Logs name
   * organisations by number, so reading a range needs every registration before it.
   */
  private directory = new OrganisationDirectory();
  private directoryUpTo: bigint;
  /** Topics of the registry's registration events (every other TraceGate log is a domain event). */
  private readonly registrationTopics = new Set(REGISTRATIONS.map((name) => contractInterface("TraceGateRegistry").getEvent(name)!.topicHash));

  private readonly logReader: LogReader;

  private constructor(
    private readonly rpc: BatchRpc,
    readonly id: string,
    private readonly addresses: TraceGateAddresses,
    /** No TraceGate log is older: the contracts' deployment block. */
    readonly firstBlock: bigint,
    private readonly onMalformed: (value: MalformedValue) => void,
  ) {
    this.logReader = new LogReader(rpc);
    this.directoryUpTo = firstBlock;
  }

  /** Throws LedgerConfigurationError when neither address holds a contract at the head (unless `fromBlock` is given). */
  static async connect(rpc: BatchRpc, addresses: TraceGateAddresses, options: EvmSourceOptions = {}): Promise<EvmSource> {
    const chainId = BigInt(await rpc.request<string>("eth_chainId", []));
    const registry = addresses.registry.toLowerCase();
    const custody = addresses.custody.toLowerCase();
    const firstBlock = options.fromBlock ?? (await discoverFirstBlock(rpc, [registry, custody]));
    return new EvmSource(rpc, `evm:${chainId}:${registry}:${custody}`, { registry, custody }, firstBlock, options.onMalformed ?? warnOnStderr);
  }

  endpoints(): readonly EndpointStatus[] {
    return this.rpc.status?.() ?? [];
  }

  async head(): Promise<BlockHeader> {
    return header(await this.rpc.request<RpcBlock>("eth_getBlockByNumber", ["latest", false]));
  }

  async headers(from: bigint, to: bigint): Promise<Array<BlockHeader | undefined>> {
    const numbers: bigint[] = [];
    for (let number = from; number <= to; number++) numbers.push(number);
    return this.blocks(numbers);
  }

  async events(from: bigint, to: bigint): Promise<SourceEvent[]> {
    if (from < this.firstBlock) from = this.firstBlock;
    if (from > to) return [];
    if (from !== this.directoryUpTo) await this.rebuildDirectory(from);
    // Until this range is read whole, the directory may hold part of it: rebuild it next time.
    this.directoryUpTo = -1n;
    const logs = await this.logs(from, to, [this.addresses.registry, this.addresses.custody]);
    const blocks = new Map<string, BlockHeader | undefined>();
    const numbers = [...new Set(logs.map((log) => log.blockNumber))];
    for (const [index, block] of (await this.blocks(numbers.map(BigInt))).entries()) blocks.set(numbers[index]!, block);
    const events: SourceEvent[] = [];
    for (const log of logs) {
      const block = blocks.get(log.blockNumber);
      if (block?.hash !== log.blockHash) throw new ChainMovedError(`block ${BigInt(log.blockNumber)} changed while its logs were read`);
      const event = this.decode(log, block.time);
      if (event === undefined) continue;
      events.push({ block: block.number, index: Number(BigInt(log.logIndex)), tx: log.transactionHash, blockHash: block.hash, event });
    }
    this.directoryUpTo = to + 1n;
    return events;
  }

  /** The organisation directory, as of the block after the last range read. */
  readingState(): ReadingState | undefined {
    return this.directoryUpTo < 0n ? undefined : { next: this.directoryUpTo, state: JSON.stringify(this.directory.entries()) };
  }

  resumeReading({ next, state }: ReadingState): void {
    const directory = new OrganisationDirectory();
    for (const [id, index] of JSON.parse(state) as Array<[string, number]>) directory.add(id, index);
    this.directory = directory;
    this.directoryUpTo = next;
  }

  /** Every organisation registered before block `upTo`, read again (the start, a restart, or a rollback). */
  private async rebuildDirectory(upTo: bigint): Promise<void> {
    this.directory = new OrganisationDirectory();
    const topic = contractInterface("TraceGateRegistry").getEvent("OrganisationRegistered")!.topicHash;
    for (const log of await this.logs(this.firstBlock, upTo - 1n, [this.addresses.registry], [topic])) {
      const event = decodeRegistryEvent(log);
      if (event?.type === "organisationRegistered") this.directory.add(event.id, event.index);
    }
    this.directoryUpTo = upTo;
  }

  private decode(log: RpcLog, time: bigint): IndexedEvent | undefined {
    const malformed: MalformedValueSink = (what, raw) =>
      this.onMalformed({ block: BigInt(log.blockNumber), tx: log.transactionHash, index: Number(BigInt(log.logIndex)), what, raw });
    if (this.registrationTopics.has(log.topics[0]!) && log.address.toLowerCase() === this.addresses.registry) {
      const registration = decodeRegistryEvent(log, malformed);
      switch (registration?.type) {
        case "organisationRegistered":
          this.directory.add(registration.id, registration.index);
          return { type: "organisationRegistered", id: registration.id, kind: registration.kind, time };
        case "memberRegistered":
        case "memberRemoved":
          return { type: registration.type, member: registration.account, org: this.directory.idOf(registration.org), role: registration.role, time };
        case "facilityRegistered":
          return { type: "facilityRegistered", id: registration.id, kind: registration.kind, operator: this.directory.idOf(registration.operator), time };
      }
    }
    return decodeLedgerEvent(log, time, this.directory, malformed);
  }

  /** A range no node cap allows (a single block refused) stops the indexer: retrying cannot help. */
  private async logs(from: bigint, to: bigint, address: string[], topics?: string[]): Promise<RpcLog[]> {
    let logs: RpcLog[];
    try {
      logs = await this.logReader.read<RpcLog>({ address, ...(topics ? { topics: [topics] } : {}) }, from, to);
    } catch (error) {
      throw error instanceof LogRangeRefusedError ? new SourceRefusedError(error.message, { cause: error }) : error;
    }
    return logs.sort((a, b) => Number(BigInt(a.blockNumber) - BigInt(b.blockNumber)) || Number(BigInt(a.logIndex) - BigInt(b.logIndex)));
  }

  private async blocks(numbers: readonly bigint[]): Promise<Array<BlockHeader | undefined>> {
    const blocks = await this.rpc.batch<RpcBlock | null>(numbers.map((number) => ["eth_getBlockByNumber", [toQuantity(number), false]]));
    return blocks.map((block) => (block === null ? undefined : header(block)));
  }
}

/** The contracts' deployment block, or 0 (with a warning) when the node cannot tell. */
async function discoverFirstBlock(rpc: BatchRpc, addresses: readonly string[]): Promise<bigint> {
  const head = BigInt(await rpc.request<string>("eth_blockNumber", []));
  let first: bigint | undefined;
  let reason = "its answers for old blocks do not confirm a deployment";
  try {
    first = await deploymentBlock(rpc, addresses, head);
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    reason = error.message;
  }
  if (first !== undefined) return first;
  process.stderr.write(
    `warning: the node cannot tell when the contracts were deployed (${reason}); reading from block 0: set TRACEGATE_FROM_BLOCK to skip the blocks before\n`,
  );
  return 0n;
}
