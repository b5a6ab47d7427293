/**
 * The chain journal: one file of newline-delimited JSON that holds everything needed to rebuild an
 * embedded chain. Its first line is the header (the chain's id, hardfork, genesis timestamp and
 * genesis hash), then one line per block in order: number, hash, timestamp and the block's raw signed
 * transactions. A line counts once its newline is written, and the request that made a block is
 * answered only once its line is on disk (fdatasync, shared by concurrent requests). So a last line
 * without a newline is a block no one was told of: it is reported, the journal is copied aside, and
 * only then is the line cut, once the start has succeeded. Damage anywhere else refuses the start.
 */
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";

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

/** A last line without its newline: where it starts and how long it is. */
export interface TornTail {
  /** Its line number (1: the header). */
  line: number;
  /** The byte it starts at: the journal's intact length. */
  offset: number;
  bytes: number;
}

/** A torn last line that was cut, and the copy of the journal as it was before. */
export interface SetAsideTail extends TornTail {
  copy: string;
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

/** A damaged line: where it is, and, for a block, what of the journal before it can still be used. */
function corrupt(path: string, line: number, from: number, to: number, detail: string): ChainDataError {
  const where = `the chain journal ${path} is unreadable at line ${line} (bytes ${from} to ${to}): ${detail}`;
  if (line === 1) return new ChainDataError(path, `${where}. ${CHAIN_DATA_REMEDY}`);
  const intact = line - 2;
  return new ChainDataError(
    path,
    `${where}. Nothing was changed. Blocks 1 to ${intact} before it (bytes 0 to ${from}) are intact: restore the journal from a backup; ` +
      `or keep a copy of it, cut it to them (truncate -s ${from} ${path}) and move the index aside to rebuild it, losing every block after ${intact}; ` +
      "or move the data directory aside to start a new chain",
  );
}

const HASH = /^0x[0-9a-f]{64}$/;
const QUANTITY = /^0x(0|[1-9a-f][0-9a-f]*)$/;
const DATA = /^0x([0-9a-f]{2})*$/;
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** A journal on disk, checked line by line as its blocks are read. Reading changes nothing. */
export class JournalReader {
  private constructor(
    readonly path: string,
    readonly header: JournalHeader,
    /** Complete block lines. */
    readonly blockCount: number,
    /** Bytes up to the last newline: what survives of the file. */
    readonly validBytes: number,
    /** Bytes of a torn last line, set aside when the journal is next written. */
    readonly tornBytes: number,
  ) {}

  static open(path: string): JournalReader {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      const { newlines, validBytes } = scanNewlines(fd, size);
      const first = lines(fd, validBytes).next();
      if (first.done) throw corrupt(path, 1, 0, size, "it has no complete header line");
      return new JournalReader(path, parseHeader(path, first.value), newlines - 1, validBytes, size - validBytes);
    } finally {
      closeSync(fd);
    }
  }

  get tornTail(): TornTail | undefined {
    return this.tornBytes === 0 ? undefined : { line: this.blockCount + 2, offset: this.validBytes, bytes: this.tornBytes };
  }

  /** The blocks in order, each checked as it is read (a gap or a malformed line throws). */
  *blocks(): Generator<JournalBlock> {
    const fd = openSync(this.path, "r");
    try {
      for (const line of lines(fd, this.validBytes)) if (line.number > 1) yield parseBlock(this.path, line);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * The journal being written. Appends are synchronous writes at the journal's end; `commit` resolves
 * once every line written before it is on disk. One fdatasync runs at a time and covers every write
 * made before it began, so requests that wait together share one (group commit).
 */
export class ChainJournal {
  /** Writes made, and writes the last completed fdatasync covers. */
  private written = 0;
  private synced = 0;
  private syncing: Promise<void> | undefined;
  /** Set when an fdatasync failed: what was written since may never reach the disk, so nothing is acknowledged any more. */
  private failed: ChainDataError | undefined;
  private writable = false;
  /** fdatasyncs completed, to see how many writes each covers. */
  private syncs = 0;

  private constructor(
    readonly path: string,
    private fd: number | undefined,
    /** Where the next line goes: the end of the last complete line. */
    private end: number,
    private tornTail: TornTail | undefined,
  ) {}

  /** A new journal holding only `header`, owner-only; refuses to overwrite an existing file. */
  static create(path: string, header: JournalHeader): ChainJournal {
    const fd = openSync(path, "wx", 0o600);
    const bytes = Buffer.from(`${JSON.stringify(headerJson(header))}\n`, "utf8");
    writeAll(fd, bytes, 0);
    fdatasyncSync(fd);
    return new ChainJournal(path, fd, bytes.length, undefined);
  }

  /** Appends after the blocks `reader` read. Opening changes nothing on disk: see `beginWriting`. */
  static append(reader: JournalReader): ChainJournal {
    return new ChainJournal(reader.path, openSync(reader.path, "r+"), reader.validBytes, reader.tornTail);
  }

  /**
   * Makes the journal ready for writing, once the start has succeeded (and before the first write in
   * any case): makes it owner-only (older releases did not), and if its last line is torn, copies the
   * journal as it is to `<journal>.damaged-<time>` (owner-only, synced), then cuts that line.
   */
  beginWriting(): SetAsideTail | undefined {
    if (this.writable) return undefined;
    const fd = this.openFd();
    fchmodSync(fd, 0o600);
    const tail = this.tornTail;
    let setAside: SetAsideTail | undefined;
    if (tail !== undefined) {
      setAside = { ...tail, copy: `${this.path}.damaged-${new Date().toISOString().replaceAll(":", "-")}` };
      copyOwnerOnly(this.path, setAside.copy);
      ftruncateSync(fd, tail.offset);
      fdatasyncSync(fd);
      syncDirectory(dirname(this.path));
      this.tornTail = undefined;
    }
    this.writable = true;
    return setAside;
  }

  /** Appends `blocks` in one write (on its way to the disk: `commit` waits for it to be there). */
  write(blocks: readonly JournalBlock[]): void {
    if (blocks.length === 0) return;
    if (this.failed !== undefined) throw this.failed;
    this.beginWriting();
    const bytes = Buffer.from(blocks.map((block) => `${JSON.stringify(blockJson(block))}\n`).join(""), "utf8");
    writeAll(this.openFd(), bytes, this.end);
    this.end += bytes.length;
    this.written++;
  }

  get syncCount(): number {
    return this.syncs;
  }

  /** Resolves once everything written before the call is on disk. */
  async commit(): Promise<void> {
    const target = this.written;
    while (this.synced < target) {
      if (this.failed !== undefined) throw this.failed;
      this.syncing ??= this.syncOnce();
      await this.syncing;
    }
  }

  /** Waits for what was written to be on disk, then closes the file. */
  async close(): Promise<void> {
    if (this.fd === undefined) return;
    try {
      await this.commit();
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private async syncOnce(): Promise<void> {
    const covers = this.written;
    try {
      const fd = this.openFd();
      await new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error === null ? resolve() : reject(error))));
      this.synced = covers;
      this.syncs++;
    } catch (error) {
      this.failed = new ChainDataError(
        this.path,
        `the chain journal ${this.path} could not be synced to disk (${error instanceof Error ? error.message : error})`,
        { cause: error },
      );
    } finally {
      this.syncing = undefined;
    }
  }

  private openFd(): number {
    if (this.fd === undefined) throw new ChainDataError(this.path, `the chain journal ${this.path} is closed`);
    return this.fd;
  }
}

/** Makes a rename or a cut inside `directory` durable. */
export function syncDirectory(directory: string): void {
  const fd = openSync(directory, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A new, owner-only, synced copy of `from`; refuses to overwrite. */
function copyOwnerOnly(from: string, to: string): void {
  copyFileSync(from, to, constants.COPYFILE_EXCL);
  chmodSync(to, 0o600);
  const fd = openSync(to, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A short write would leave a torn line that later appends bury in the middle of the file. */
function writeAll(fd: number, bytes: Buffer, position: number): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written, position + written);
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

/** A complete line of the journal: its number (1: the header), text, and where its bytes start and end. */
interface Line {
  number: number;
  text: string;
  from: number;
  to: number;
}

const damaged = (path: string, line: Line, detail: string) => corrupt(path, line.number, line.from, line.to, detail);

function parseHeader(path: string, line: Line): JournalHeader {
  const json = parseObject(path, line);
  if (json.format !== JOURNAL_FORMAT) throw damaged(path, line, `its format is ${JSON.stringify(json.format)}, not ${JOURNAL_FORMAT}`);
  if (typeof json.hardfork !== "string" || json.hardfork === "") throw damaged(path, line, "the header has no hardfork");
  return {
    chainId: field(path, line, json, "chainId", QUANTITY, BigInt),
    hardfork: json.hardfork,
    genesisTimestamp: field(path, line, json, "genesisTimestamp", QUANTITY, BigInt),
    genesisHash: field(path, line, json, "genesisHash", HASH, String),
  };
}

function parseBlock(path: string, line: Line): JournalBlock {
  const json = parseObject(path, line);
  const number = field(path, line, json, "number", QUANTITY, BigInt);
  const expected = BigInt(line.number - 1);
  if (number !== expected) throw damaged(path, line, `it records block ${number} where block ${expected} belongs`);
  const txs = json.txs;
  if (!Array.isArray(txs) || !txs.every((tx) => typeof tx === "string" && tx.length > 2 && DATA.test(tx))) {
    throw damaged(path, line, "its txs are not a list of raw transactions in hex");
  }
  return { number, hash: field(path, line, json, "hash", HASH, String), timestamp: field(path, line, json, "timestamp", QUANTITY, BigInt), txs };
}

function parseObject(path: string, line: Line): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(line.text);
  } catch {
    throw damaged(path, line, "it is not JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw damaged(path, line, "it is not a JSON object");
  return json as Record<string, unknown>;
}

function field<T>(path: string, line: Line, json: Record<string, unknown>, name: string, pattern: RegExp, convert: (text: string) => T): T {
  const value = json[name];
  if (typeof value !== "string" || !pattern.test(value)) throw damaged(path, line, `its ${name} is ${JSON.stringify(value)}`);
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
function* lines(fd: number, end: number): Generator<Line> {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry = Buffer.alloc(0);
  let number = 0;
  /** The file offset of `data[0]`. */
  let base = 0;
  for (let position = 0; position < end; ) {
    const read = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, end - position), position);
    if (read === 0) break; // the file shrank while being read
    position += read;
    const data = carry.length === 0 ? chunk.subarray(0, read) : Buffer.concat([carry, chunk.subarray(0, read)]);
    let start = 0;
    for (let at = data.indexOf(NEWLINE); at !== -1; at = data.indexOf(NEWLINE, start)) {
      yield { number: ++number, text: data.toString("utf8", start, at), from: base + start, to: base + at + 1 };
      start = at + 1;
    }
    carry = Buffer.from(data.subarray(start));
    base += start;
  }
}
