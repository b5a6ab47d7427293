/**
 * A ledger source that keeps what it reads of final blocks in the ledger cache (cache-file.ts) and
 * answers from there the next time: a rebuild of the store reads the cache up to where it holds, then
 * the node. Only blocks at least `finality` below the newest head it saw are kept, so no orphaned block
 * ever enters it; blocks read while they were not final are read again, in chunks, once they are. Before
 * the cache serves anything in a process, the node must still have its newest kept block, hash for hash
 * (else the chain was reset under the same id, and that source's chunks are dropped). A damaged file or
 * chunk is a warning and the node is read instead: the cache can make a rebuild faster, never different.
 *
 * Reading ahead: each read asks a thread (chunk-reader.ts) for the kept chunks of the range and of as
 * many blocks after it, so the next batch's chunks are read while the store writes this one.
 */
import { ChainMovedError, type BlockHeader, type LedgerSource, type SourceEvent } from "../source.js";
import { LedgerCacheError, LedgerCacheFile, type Chunk, type Span, type StoredChunk } from "./cache-file.js";
import { ChunkReader } from "./chunk-reader.js";

export interface CacheOptions {
  /** Blocks this far below the head never change: only those are kept. */
  finality: number;
  /**
   * A chunk smaller than this grows by the next one (a head followed block by block is not kept block
   * by block), and blocks read before they were final are read again once this many are; default 1,000.
   */
  chunkBlocks?: number;
  warn(line: string): void;
}
/** Blocks read again at most per step to fill the cache behind the indexer (after a restart far from it). */
const CATCH_UP_BLOCKS = 10_000n;

/** The newest block kept before the reading position, and the chunk it ends (when loaded). */
interface Tail {
  last: bigint;
  chunk?: Chunk;
}

/** `inner` behind the ledger cache at `path`; a file that cannot be opened as one is a warning, and the source is read without it. */
export function withLedgerCache(inner: LedgerSource, path: string, options: CacheOptions): CachedSource {
  let file: LedgerCacheFile | undefined;
  try {
    file = LedgerCacheFile.open(path);
  } catch (error) {
    if (!(error instanceof LedgerCacheError)) throw error;
    options.warn(`${error.message}: the node is read without it (delete or move the file to start a new cache)`);
  }
  return new CachedSource(inner, file, options);
}

export class CachedSource implements LedgerSource {
  private spans: Span[] = [];
  private checked = false;
  private finalUpTo = -1n;
  private tail: Tail | undefined;
  /** The newest block the indexer has read. */
  private readTo = -1n;
  /** Where the inner source would read on without reading older blocks again (undefined: unknown). */
  private innerNext: bigint | undefined;
  private readonly knownHeaders = new Map<bigint, BlockHeader>();
  /** The chunk read last: reads smaller than a chunk come back to it. */
  private recent: Chunk | undefined;
  /** Rows of kept chunks asked of the reading thread, by first block. */
  private readonly ahead = new Map<bigint, Promise<StoredChunk | undefined>>();
  private reader: ChunkReader | undefined;

  private readonly finality: bigint;
  private readonly chunkBlocks: bigint;
  private readonly warn: (line: string) => void;

  constructor(
    private readonly inner: LedgerSource,
    private file: LedgerCacheFile | undefined,
    { finality, chunkBlocks = 1_000, warn }: CacheOptions,
  ) {
    [this.finality, this.chunkBlocks, this.warn] = [BigInt(finality), BigInt(chunkBlocks), warn];
  }

  get id(): string {
    return this.inner.id;
  }

  get firstBlock(): bigint | undefined {
    return this.inner.firstBlock;
  }

  async head(): Promise<BlockHeader> {
    const head = await this.inner.head();
    const finalUpTo = head.number - this.finality;
    if (finalUpTo > this.finalUpTo) this.finalUpTo = finalUpTo;
    return head;
  }

  async headers(from: bigint, to: bigint): Promise<Array<BlockHeader | undefined>> {
    const known: BlockHeader[] = [];
    for (let number = from; number <= to; number++) {
      const header = this.knownHeaders.get(number);
      if (header === undefined) return this.inner.headers(from, to);
      known.push(header);
    }
    return known;
  }

  async events(from: bigint, to: bigint): Promise<SourceEvent[]> {
    await this.check(from);
    this.readAhead(from, to + (to - from + 1n));
    const events: SourceEvent[] = [];
    let next = from;
    while (next <= to) {
      const span = this.spans.find(({ first, last }) => first <= next && next <= last);
      const chunk = span === undefined ? undefined : await this.loadAhead(span);
      if (chunk !== undefined) {
        events.push(...chunk.events.filter(({ block }) => block >= next && block <= to));
        if (chunk.last <= to) this.tail = { last: chunk.last, chunk };
        next = (chunk.last < to ? chunk.last : to) + 1n;
        continue;
      }
      // From the node, up to the next kept chunk: what is final is kept on the way.
      const following = this.spans.find(({ first }) => first > next);
      const limit = following !== undefined && following.first - 1n < to ? following.first - 1n : to;
      const final = limit < this.finalUpTo ? limit : this.finalUpTo;
      if (next <= final && this.tail?.last === next - 1n) {
        events.push(...(await this.readAndKeep(next, final)));
        next = final + 1n;
      }
      if (next <= limit) {
        events.push(...(await this.readInner(next, limit)));
        next = limit + 1n;
      }
    }
    if (to > this.readTo) this.readTo = to;
    await this.fillBehind();
    return events;
  }

  /** Closes the cache file (the inner source belongs to the caller). */
  close(): void {
    this.reader?.close();
    this.reader = undefined;
    this.ahead.clear();
    this.file?.close();
    this.file = undefined;
  }

  /** Once per process: the kept chunks, if the node still has the newest of them; where keeping goes on. */
  private async check(from: bigint): Promise<void> {
    if (this.checked) return;
    this.spans = this.guard(() => this.file?.spans(this.id)) ?? [];
    const newest = this.spans.at(-1);
    if (newest !== undefined) {
      const [header] = await this.inner.headers(newest.last, newest.last);
      if (header?.hash !== newest.lastHash) {
        this.warn(
          `the ledger cache ${this.file?.path} holds blocks of ${this.id} up to ${newest.last} that the node does not have (a chain reset?): they are dropped and read again`,
        );
        this.guard(() => this.file?.remove(this.id));
        this.spans = [];
        this.ahead.clear();
      }
    }
    // Keeping goes on after the newest chunk before the indexer (filling the gap up to it, if any), or
    // with nothing kept before it, where the indexer starts.
    const before = this.spans.filter(({ last }) => last < from).at(-1);
    const chunk = before === undefined ? undefined : this.load(before);
    this.tail = chunk === undefined ? { last: from - 1n } : { last: chunk.last, chunk };
    this.checked = true;
  }

  /** The chunk, or undefined (with a warning, the chunk forgotten) if the file cannot give it. */
  private load(span: Span): Chunk | undefined {
    if (this.recent?.first === span.first) return this.recent;
    return this.loaded(span, () => this.file?.read(this.id, span.first));
  }

  /** The same, from what the reading thread read ahead when it did. */
  private async loadAhead(span: Span): Promise<Chunk | undefined> {
    const row = this.ahead.get(span.first);
    this.ahead.delete(span.first);
    if (row === undefined || this.recent?.first === span.first) return this.load(span);
    let read: StoredChunk | undefined;
    try {
      read = await row;
    } catch {
      return this.load(span);
    }
    return this.loaded(span, () => {
      if (read === undefined) throw new LedgerCacheError(`${this.file?.path} has no chunk of ${this.id} from block ${span.first}`);
      return this.file?.decode(this.id, span.first, read);
    });
  }

  private loaded(span: Span, read: () => Chunk | undefined): Chunk | undefined {
    const chunk = this.guard(read);
    if (chunk === undefined) {
      this.spans = this.spans.filter((kept) => kept !== span);
      this.ahead.delete(span.first);
      this.guard(() => this.file?.remove(this.id, span.first));
      return undefined;
    }
    for (const header of chunk.headers) this.knownHeaders.set(header.number, header);
    this.recent = chunk;
    return chunk;
  }

  /** Asks the reading thread for the kept chunks of blocks `from` to `to` not asked for yet. */
  private readAhead(from: bigint, to: bigint): void {
    const path = this.file?.path;
    if (path === undefined) return;
    for (const { first, last } of this.spans) {
      if (last < from || first > to || this.ahead.has(first) || this.recent?.first === first) continue;
      this.reader ??= new ChunkReader(path, (reason) => {
        this.warn(`the ledger cache ${path} is read on the indexer's thread from now on: its reading thread stopped (${reason})`);
        this.reader = undefined;
      });
      const row = this.reader.read(this.id, first);
      // A row nobody comes for (its chunk replaced, the source closed) must not be an unhandled rejection.
      row.catch(() => undefined);
      this.ahead.set(first, row);
    }
  }

  private async readInner(from: bigint, to: bigint): Promise<SourceEvent[]> {
    const state = this.tail?.chunk?.state;
    if (this.innerNext !== from && state?.next === from) {
      this.inner.resumeReading?.(state);
      this.innerNext = from;
    }
    const events = await this.inner.events(from, to);
    this.innerNext = to + 1n;
    return events;
  }

  /** Reads final blocks `from` to `to` from the node and keeps them, after the tail. */
  private async readAndKeep(from: bigint, to: bigint): Promise<SourceEvent[]> {
    const events = await this.readInner(from, to);
    const [header] = await this.inner.headers(to, to);
    if (header === undefined || events.some(({ block, blockHash }) => block === to && blockHash !== header.hash)) {
      throw new ChainMovedError(`block ${to} changed while it was read`);
    }
    const state = this.inner.readingState?.();
    this.keep({ first: from, last: to, events, headers: [header], state: state?.next === to + 1n ? state : undefined });
    return events;
  }

  /** Writes the chunk, merged into the tail's when that one is small; the tail moves to it. */
  private keep(chunk: Chunk): void {
    this.knownHeaders.set(chunk.headers.at(-1)!.number, chunk.headers.at(-1)!);
    this.tail = { last: chunk.last, chunk };
    if (this.file === undefined) return;
    const previous = this.spans.find(({ last }) => last === chunk.first - 1n);
    const small = previous !== undefined && previous.last - previous.first + 1n < this.chunkBlocks ? this.load(previous) : undefined;
    const kept =
      small === undefined ? chunk : { ...chunk, first: small.first, events: [...small.events, ...chunk.events], headers: [...small.headers, ...chunk.headers] };
    this.ahead.delete(kept.first);
    this.guard(() => {
      this.file?.write(this.id, kept, small === undefined ? [] : [small.first]);
      this.spans = [
        ...this.spans.filter(({ first }) => first !== kept.first),
        { first: kept.first, last: kept.last, lastHash: kept.headers.at(-1)!.hash },
      ].sort((a, b) => (a.first < b.first ? -1 : 1));
      this.recent = kept;
      this.tail = { last: kept.last, chunk: kept };
    });
  }

  /**
   * Blocks the indexer read before they were final (it follows the head), read again once they are,
   * a chunk at a time; the inner source is put back where the indexer left it.
   */
  private async fillBehind(): Promise<void> {
    const tail = this.tail;
    if (this.file === undefined || tail === undefined) return;
    const from = tail.last + 1n;
    const behind = this.readTo < this.finalUpTo ? this.readTo : this.finalUpTo;
    if (behind - from + 1n < this.chunkBlocks || this.spans.some(({ first, last }) => first <= from && from <= last)) return;
    const following = this.spans.find(({ first }) => first > from);
    let to = from + CATCH_UP_BLOCKS - 1n < behind ? from + CATCH_UP_BLOCKS - 1n : behind;
    if (following !== undefined && following.first <= to) to = following.first - 1n;
    const saved = this.inner.readingState?.();
    try {
      await this.readAndKeep(from, to);
    } finally {
      if (saved !== undefined) {
        this.inner.resumeReading?.(saved);
        this.innerNext = saved.next;
      } else this.innerNext = undefined;
    }
  }

  /** Runs a file operation; a failure turns the cache off for this process, with a warning. */
  private guard<T>(operation: () => T): T | undefined {
    if (this.file === undefined) return undefined;
    try {
      return operation();
    } catch (error) {
      if (error instanceof LedgerCacheError) {
        this.warn(`${error.message}: it is read from the node instead`);
        return undefined;
      }
      this.warn(
        `the ledger cache ${this.file.path} failed (${error instanceof Error ? error.message : String(error)}): the node is read without it from now on`,
      );
      this.close();
      return undefined;
    }
  }
}
