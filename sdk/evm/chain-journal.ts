/**
 * The chain journal: one file of newline-delimited JSON that holds everything needed to rebuild an
 * embedded chain. Its first line is the header (the chain's id, hardfork, genesis timestamp and
 * genesis hash), then one line per block in order: number, hash, timestamp and the block's raw signed
 * transactions. A line counts once its newline is written: a last line without one is torn (the
 * request that wrote it never got an answer) and is dropped when the journal is next opened.
 */
import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, truncateSync, writeSync } from "node:fs";

export const JOURNAL_FORMAT = "tracegate-chain-journal/1";

export interface JournalHeader {
  chainId: bigint;
  hardfork: string;
  /** The genesis block's timestamp, in seconds: fixed so that a replay rebuilds the same genesis. */
  genesisTimestamp: bigint;
  genesisHash: string;
}

export interface JournalBlock {
  number: bigint;
  hash: string;
  timestamp: bigint;
  /** The block's transactions in order, signed and serialised as eth_sendRawTransaction takes them. */
  txs: string[];
}

/** A chain data directory that cannot be used as it is; the message says what to do. */
export class ChainDataError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ChainDataError";
  }
}

/** What to do when a data directory cannot be used. */
export const CHAIN_DATA_REMEDY = "Nothing was changed: restore the journal from a backup, or move the data directory aside to start a new chain";

function corrupt(path: string, line: number, detail: string): ChainDataError {
  return new ChainDataError(path, `the chain journal ${path} is unreadable at line ${line}: ${detail}. ${CHAIN_DATA_REMEDY}`);
}

const HASH = /^0x[0-9a-f]{64}$/;
const QUANTITY = /^0x(0|[1-9a-f][0-9a-f]*)$/;
const DATA = /^0x([0-9a-f]{2})*$/;
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** A journal on disk, checked line by line as its blocks are read. */
export class JournalReader {
  private constructor(
    readonly path: string,
    readonly header: JournalHeader,
    /** Complete block lines. */
    readonly blockCount: number,
    /** Bytes up to the last newline: what survives of the file. */
    readonly validBytes: number,
    /** Bytes of a torn last line, dropped when the journal is opened for appending. */
    readonly tornBytes: number,
  ) {}

  static open(path: string): JournalReader {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      const { newlines, validBytes } = scanNewlines(fd, size);
      const first = lines(fd, validBytes).next();
      if (first.done) throw corrupt(path, 1, "it has no complete header line");
      return new JournalReader(path, parseHeader(path, first.value), newlines - 1, validBytes, size - validBytes);
    } finally {
      closeSync(fd);
    }
  }

  /** The blocks in order, each checked as it is read (a gap or a malformed line throws). */
  *blocks(): Generator<JournalBlock> {
    const fd = openSync(this.path, "r");
    try {
      let lineNumber = 0;
      for (const text of lines(fd, this.validBytes)) {
        if (++lineNumber === 1) continue;
        yield parseBlock(this.path, lineNumber, text, BigInt(lineNumber - 1));
      }
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * The journal being written. Appends are synchronous writes (they reach the operating system before
 * the request that made the blocks is answered); fdatasync runs every `syncIntervalMs` when something
 * was written, and on close.
 */
export class ChainJournal {
  private dirty = false;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    readonly path: string,
    private fd: number | undefined,
    syncIntervalMs: number,
  ) {
    this.timer = setInterval(() => this.sync(), syncIntervalMs).unref();
  }

  /** A new journal holding only `header`; refuses to overwrite an existing file. */
  static create(path: string, header: JournalHeader, syncIntervalMs = 1_000): ChainJournal {
    const fd = openSync(path, "wx");
    writeAll(fd, `${JSON.stringify(headerJson(header))}\n`);
    fdatasyncSync(fd);
    return new ChainJournal(path, fd, syncIntervalMs);
  }

  /** Appends after the journal `reader` read, first dropping its torn last line. */
  static reopen(reader: JournalReader, syncIntervalMs = 1_000): ChainJournal {
    if (reader.tornBytes > 0) truncateSync(reader.path, reader.validBytes);
    return new ChainJournal(reader.path, openSync(reader.path, "a"), syncIntervalMs);
  }

  /** Appends `blocks` in one write. */
  write(blocks: readonly JournalBlock[]): void {
    if (blocks.length === 0) return;
    writeAll(this.openFd(), blocks.map((block) => `${JSON.stringify(blockJson(block))}\n`).join(""));
    this.dirty = true;
  }

  sync(): void {
    if (!this.dirty || this.fd === undefined) return;
    fdatasyncSync(this.fd);
    this.dirty = false;
  }

  close(): void {
    clearInterval(this.timer);
    this.sync();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new ChainDataError(this.path, `the chain journal ${this.path} is closed`);
    return this.fd;
  }
}

/** A short write would leave a torn line that later appends bury in the middle of the file. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
}

function headerJson(header: JournalHeader) {
  return {
    format: JOURNAL_FORMAT,
    chainId: quantity(header.chainId),
    hardfork: header.hardfork,
    genesisTimestamp: quantity(header.genesisTimestamp),
    genesisHash: header.genesisHash,
  };
}

function blockJson(block: JournalBlock) {
  return { number: quantity(block.number), hash: block.hash, timestamp: quantity(block.timestamp), txs: block.txs };
}

function quantity(value: bigint): string {
  return `0x${value.toString(16)}`;
}

function parseHeader(path: string, text: string): JournalHeader {
  const json = parseObject(path, 1, text);
  if (json.format !== JOURNAL_FORMAT) throw corrupt(path, 1, `its format is ${JSON.stringify(json.format)}, not ${JOURNAL_FORMAT}`);
  if (typeof json.hardfork !== "string" || json.hardfork === "") throw corrupt(path, 1, "the header has no hardfork");
  return {
    chainId: field(path, 1, json, "chainId", QUANTITY, BigInt),
    hardfork: json.hardfork,
    genesisTimestamp: field(path, 1, json, "genesisTimestamp", QUANTITY, BigInt),
    genesisHash: field(path, 1, json, "genesisHash", HASH, String),
  };
}

function parseBlock(path: string, line: number, text: string, expectedNumber: bigint): JournalBlock {
  const json = parseObject(path, line, text);
  const number = field(path, line, json, "number", QUANTITY, BigInt);
  if (number !== expectedNumber) throw corrupt(path, line, `it records block ${number} where block ${expectedNumber} belongs`);
  const txs = json.txs;
  if (!Array.isArray(txs) || !txs.every((tx) => typeof tx === "string" && tx.length > 2 && DATA.test(tx))) {
    throw corrupt(path, line, "its txs are not a list of raw transactions in hex");
  }
  return { number, hash: field(path, line, json, "hash", HASH, String), timestamp: field(path, line, json, "timestamp", QUANTITY, BigInt), txs };
}

function parseObject(path: string, line: number, text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw corrupt(path, line, "it is not JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw corrupt(path, line, "it is not a JSON object");
  return json as Record<string, unknown>;
}

function field<T>(path: string, line: number, json: Record<string, unknown>, name: string, pattern: RegExp, convert: (text: string) => T): T {
  const value = json[name];
  if (typeof value !== "string" || !pattern.test(value)) throw corrupt(path, line, `its ${name} is ${JSON.stringify(value)}`);
  return convert(value);
}

/** How many newlines the first `size` bytes hold, and where the last one ends. */
function scanNewlines(fd: number, size: number): { newlines: number; validBytes: number } {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let newlines = 0;
  let validBytes = 0;
  for (let position = 0; position < size; ) {
    const read = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, size - position), position);
    if (read === 0) break; // the file shrank while being read
    for (let at = chunk.indexOf(NEWLINE); at !== -1 && at < read; at = chunk.indexOf(NEWLINE, at + 1)) {
      newlines++;
      validBytes = position + at + 1;
    }
    position += read;
  }
  return { newlines, validBytes };
}

/** The lines of the first `end` bytes (which end with a newline), without their newlines. */
function* lines(fd: number, end: number): Generator<string> {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry = Buffer.alloc(0);
  for (let position = 0; position < end; ) {
    const read = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, end - position), position);
    if (read === 0) break; // the file shrank while being read
    position += read;
    const data = carry.length === 0 ? chunk.subarray(0, read) : Buffer.concat([carry, chunk.subarray(0, read)]);
    let start = 0;
    for (let at = data.indexOf(NEWLINE); at !== -1; at = data.indexOf(NEWLINE, start)) {
      yield data.toString("utf8", start, at);
      start = at + 1;
    }
    carry = Buffer.from(data.subarray(start));
  }
}
