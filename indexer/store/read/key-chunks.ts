/**
 * Keys to look up with `in (…)`, in slices a statement can bind, each short slice padded to a power of
 * two by repeating its last key (a key twice in an `in` list matches its rows once). A lookup of 1 to 64
 * keys then has 7 SQL texts rather than 64: on PostgreSQL each text is prepared and planned per
 * connection before its plan is reused (prepared-reads.ts), on SQLite each is a cached statement.
 */
import { MAX_PREPARED_PARAMETERS } from "../prepared-reads.js";
import { chunks } from "../write/insert-rows.js";

export function keyChunks<K>(keys: readonly K[]): K[][] {
  return chunks(keys).map((chunk) => (chunk.length > MAX_PREPARED_PARAMETERS ? chunk : padded(chunk)));
}

function padded<K>(chunk: K[]): K[] {
  let size = 1;
  while (size < chunk.length) size *= 2;
  return size === chunk.length ? chunk : [...chunk, ...Array<K>(size - chunk.length).fill(chunk.at(-1)!)];
}
