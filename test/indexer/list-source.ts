/** A ledger source over a list of events on a made-up chain (headers from ledger-events.ts), up to block `top`. */
import type { ChainEvent } from "../../indexer/events.js";
import type { BlockHeader, LedgerSource, SourceEvent } from "../../indexer/sources/source.js";
import { headerOf } from "./ledger-events.js";

export class ListSource implements LedgerSource {
  readonly id = "list chain";
  constructor(
    private readonly chain: readonly ChainEvent[],
    private readonly top: bigint,
  ) {}

  async head(): Promise<BlockHeader> {
    return headerOf(this.top);
  }

  async headers(from: bigint, to: bigint): Promise<Array<BlockHeader | undefined>> {
    const headers: Array<BlockHeader | undefined> = [];
    for (let block = from; block <= to; block++) headers.push(block <= this.top ? headerOf(block) : undefined);
    return headers;
  }

  async events(from: bigint, to: bigint): Promise<SourceEvent[]> {
    return this.chain
      .filter(({ block }) => block >= from && block <= to && block <= this.top)
      .map((event) => ({ ...event, blockHash: headerOf(event.block).hash }));
  }
}
