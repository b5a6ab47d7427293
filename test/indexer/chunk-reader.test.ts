/**
 * The ledger cache's reading thread (indexer/sources/cache/chunk-reader.ts): it gives the rows the file
 * holds, which decode to the chunks the file reads itself, in the order asked; a file it cannot read
 * stops it, once, with every read rejected; closing it rejects what was still asked for.
 */
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LedgerCacheFile, type Chunk } from "../../indexer/sources/cache/cache-file.js";
import { ChunkReader } from "../../indexer/sources/cache/chunk-reader.js";
import type { SourceEvent } from "../../indexer/sources/source.js";

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "tracegate-chunk-reader-"));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

/** A chunk of `blocks` blocks from `first`, one event each, with a body of some size. */
function chunkOf(first: bigint, blocks: bigint): Chunk {
  const events = Array.from({ length: Number(blocks) }, (_, offset) => ({
    block: first + BigInt(offset),
    index: 0,
    tx: `0x${"ab".repeat(32)}`,
    blockHash: `0x${(first + BigInt(offset)).toString(16).padStart(64, "0")}`,
    event: { type: "documentRevoked", hash: `0x${"cd".repeat(32)}`, issuer: "CUSTOMS", reason: "x".repeat(500), time: 1_800_000_000n + BigInt(offset) },
  })) as unknown as SourceEvent[];
  const last = first + blocks - 1n;
  return { first, last, events, headers: [{ number: last, hash: `0x${last.toString(16).padStart(64, "0")}`, parentHash: "0x00", time: 0n }], state: undefined };
}

it("reads the rows the file holds, which decode to the chunks the file reads, in the order asked", async () => {
  const path = join(directory, "cache.sqlite");
  const file = LedgerCacheFile.open(path);
  for (let first = 0n; first < 50_000n; first += 1_000n) file.write("chain", chunkOf(first, 1_000n));
  const reader = new ChunkReader(path, (reason) => expect.fail(`the thread stopped: ${reason}`));
  try {
    const firsts = Array.from({ length: 50 }, (_, index) => BigInt(index) * 1_000n);
    const rows = await Promise.all(firsts.map((first) => reader.read("chain", first)));
    for (const [index, first] of firsts.entries()) {
      expect(file.decode("chain", first, rows[index]!)).toEqual(file.read("chain", first));
    }
    expect(await reader.read("chain", 500n)).toBeUndefined();
    expect(await reader.read("another chain", 0n)).toBeUndefined();
  } finally {
    reader.close();
    file.close();
  }
});

it("stops once on a file it cannot read, and rejects every read then", async () => {
  const path = join(directory, "garbage.sqlite");
  writeFileSync(path, "not a database, not at all ".repeat(400));
  const reasons: string[] = [];
  let stopped: () => void = () => {};
  const stopping = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const reader = new ChunkReader(path, (reason) => {
    reasons.push(reason);
    stopped();
  });
  await expect(reader.read("chain", 0n)).rejects.toThrow(/reading thread stopped.*(not a database|file)/);
  await stopping;
  await expect(reader.read("chain", 1_000n)).rejects.toThrow(/reading thread stopped/);
  reader.close();
  expect(reasons).toHaveLength(1);
});

it("rejects what was still asked for when it is closed, as no stop", async () => {
  const path = join(directory, "closing.sqlite");
  const file = LedgerCacheFile.open(path);
  file.write("chain", chunkOf(0n, 2_000n));
  file.close();
  const reasons: string[] = [];
  const reader = new ChunkReader(path, (reason) => reasons.push(reason));
  const asked = reader.read("chain", 0n);
  reader.close();
  await expect(asked).rejects.toThrow(/closed/);
  await expect(reader.read("chain", 0n)).rejects.toThrow(/closed/);
  expect(reasons).toEqual([]);
});
