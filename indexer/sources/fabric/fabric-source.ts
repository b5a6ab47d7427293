/**
 * TraceGate on a Fabric channel, read through a Fabric Gateway: the channel's blocks from qscc
 * (sdk/fabric's ChannelBlocks), the chaincode events of their valid transactions decoded by the SDK's
 * codec, and the registry's registrations from their transactions' results (registrations.ts).
 * Committed Fabric blocks are final: the parent hashes always chain and nothing is ever rolled back,
 * so the indexer can run with finality 0 and simply resume after its saved block.
 */
import type { Client } from "@grpc/grpc-js";
import { connect, hash, type Gateway } from "@hyperledger/fabric-gateway";
import { ChannelBlocks, type ChannelBlock } from "../../../sdk/fabric/channel-blocks.js";
import { decodeChaincodeEvents } from "../../../chaincode/src/codec.js";
import type { FabricSigner } from "../../../sdk/fabric/index.js";
import { LedgerUnavailableError } from "../../../sdk/ledger.js";
import type { IndexedEvent } from "../../events.js";
import type { BlockHeader, LedgerSource, SourceEvent } from "../source.js";
import { classifyGatewayFailure } from "./gateway-failures.js";
import { registrationOf } from "./registrations.js";

/** Blocks read at once: one qscc query each. */
const CONCURRENT_READS = 16;

export interface FabricSourceOptions {
  /** A gRPC connection to a peer's Fabric Gateway; the caller owns it and closes it. */
  client: Client;
  channel: string;
  /** The name the chaincode was committed with. */
  chaincode: string;
  /** Any identity the channel lets read its blocks (qscc); it needs no TraceGate role. */
  reader: FabricSigner;
}

export class FabricSource implements LedgerSource {
  readonly id: string;

  private constructor(
    private readonly gateway: Gateway,
    private readonly blocks: ChannelBlocks,
    channel: string,
    chaincode: string,
  ) {
    this.id = `fabric:${channel}:${chaincode}`;
  }

  /** A gateway connection as `reader` (lazy: nothing is sent before the first read). */
  static connect({ client, channel, chaincode, reader }: FabricSourceOptions): FabricSource {
    const gateway = connect({ client, identity: reader.identity, signer: reader.signer, hash: hash.sha256 });
    return new FabricSource(gateway, new ChannelBlocks(gateway.getNetwork(channel), chaincode), channel, chaincode);
  }

  async head(): Promise<BlockHeader> {
    const height = await this.height();
    if (height === 0n) throw new LedgerUnavailableError(`${this.id} has no block, not even a genesis block`);
    return headerOf(await this.block(height - 1n));
  }

  async headers(from: bigint, to: bigint): Promise<Array<BlockHeader | undefined>> {
    const height = await this.height();
    return eachBlock(from, to, async (number) => (number < height ? headerOf(await this.block(number)) : undefined));
  }

  async events(from: bigint, to: bigint): Promise<SourceEvent[]> {
    return (await eachBlock(from, to, (number) => this.block(number))).flatMap(eventsOf);
  }

  private height(): Promise<bigint> {
    return this.blocks.height().catch((error: unknown) => Promise.reject(classifyGatewayFailure(error, `${this.id}'s reads of the chain height`)));
  }

  private block(number: bigint): Promise<ChannelBlock> {
    return this.blocks.block(number).catch((error: unknown) => Promise.reject(classifyGatewayFailure(error, `${this.id}'s read of block ${number}`)));
  }

  /** Closes the gateway connection (not the gRPC client, which belongs to the caller). */
  close(): void {
    this.gateway.close();
  }
}

function headerOf({ number, hash, previousHash, time }: ChannelBlock): BlockHeader {
  return { number, hash, parentHash: previousHash, time };
}

/**
 * The block's TraceGate events in transaction order; an event's index is its rank among them, as a
 * FabricLedger checkpoint counts (sdk/ledger.ts), registrations included.
 */
function eventsOf(block: ChannelBlock): SourceEvent[] {
  return block.transactions
    .flatMap((transaction) => {
      // An atomic batch's one chaincode event carries several custody events (its actions', in order).
      const registration = transaction.event === undefined ? registrationOf(transaction) : undefined;
      const events: IndexedEvent[] =
        transaction.event !== undefined ? decodeChaincodeEvents(transaction.event) : registration === undefined ? [] : [registration];
      return events.map((event) => ({ tx: transaction.txId, event }));
    })
    .map(({ tx, event }, index) => ({ block: block.number, index, tx, blockHash: block.hash, event }));
}

/** `read` of every block from `from` to `to`, in order, a few queries in flight at a time. */
async function eachBlock<T>(from: bigint, to: bigint, read: (number: bigint) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = from; start <= to; start += BigInt(CONCURRENT_READS)) {
    const window: Array<Promise<T>> = [];
    for (let number = start; number <= to && number < start + BigInt(CONCURRENT_READS); number++) window.push(read(number));
    results.push(...(await Promise.all(window)));
  }
  return results;
}
