/**
 * Deterministic gzipped tar (ustar) archives, as Fabric chaincode packages are: same inputs, same
 * bytes, so the package ID (label and SHA-256 of the package) is reproducible.
 */
import { gzipSync } from "node:zlib";

export interface TarEntry {
  path: string;
  content: Uint8Array;
  /** Octal file mode; 0o644 unless given. */
  mode?: number;
}

const BLOCK = 512;

function header({ path, content, mode = 0o644 }: TarEntry): Buffer {
  if (Buffer.byteLength(path) > 100) throw new Error(`tar path longer than 100 bytes: ${path}`);
  const block = Buffer.alloc(BLOCK);
  const octal = (value: number, length: number) => `${value.toString(8).padStart(length - 1, "0")}\0`;
  block.write(path, 0, "utf8");
  block.write(octal(mode, 8), 100);
  block.write(octal(0, 8), 108); // uid
  block.write(octal(0, 8), 116); // gid
  block.write(octal(content.length, 12), 124);
  block.write(octal(0, 12), 136); // mtime: the epoch, for reproducible packages
  block.write("        ", 148); // checksum placeholder: eight spaces
  block.write("0", 156); // regular file
  block.write("ustar\u000000", 257);
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  block.write(`${checksum.toString(8).padStart(6, "0")}\0 `, 148);
  return block;
}

export function tarGz(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    parts.push(header(entry), Buffer.from(entry.content), Buffer.alloc((BLOCK - (entry.content.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(parts));
}
