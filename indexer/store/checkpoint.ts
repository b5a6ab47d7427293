/**
 * The checkpoint (how far the store got on its ledger) and the window of recent block hashes that
 * reorganisations are checked against. Both change only inside the transaction that writes the events
 * they cover.
 */
import type { Kysely } from "kysely";
import type { BlockHeader } from "../sources/source.js";
import type { Database } from "./schema.js";
import { insertRows } from "./write/insert-rows.js";

export interface BlockRef {
  number: bigint;
  hash: string;
}

export interface Checkpoint {
  /** The chain's number in this store. */
  chain: bigint;
  /** The last block whose events are all in the store (number -1: none yet). */
  block: BlockRef;
}

export const GENESIS_PARENT: BlockRef = { number: -1n, hash: "" };

/** Another writer moved the checkpoint since this one read it; nothing was written. */
export class StaleCheckpointError extends Error {}

/** The store's checkpoint on ledger `ledgerId`, created on first use; a store bound to another ledger is refused. */
export async function openCheckpoint(db: Kysely<Database>, ledgerId: string): Promise<Checkpoint> {
  const rows = await db.selectFrom("chains").selectAll().execute();
  const other = rows.find(({ id }) => id !== ledgerId);
  if (other !== undefined) throw new Error(`this store follows ${other.id}, not ${ledgerId}`);
  const row = rows[0];
  if (row !== undefined) return { chain: row.number, block: { number: row.block_number, hash: row.block_hash } };
  await db.insertInto("chains").values({ number: 1n, id: ledgerId, block_number: GENESIS_PARENT.number, block_hash: GENESIS_PARENT.hash }).execute();
  return { chain: 1n, block: GENESIS_PARENT };
}

/**
 * Moves the checkpoint from `from` to `to` if nobody else moved it (compare and set: the first
 * statement of every write transaction, so a second writer waits on it, then finds it moved and aborts).
 */
export async function moveCheckpoint(db: Kysely<Database>, from: Checkpoint, to: BlockRef): Promise<Checkpoint> {
  const { numUpdatedRows } = await db
    .updateTable("chains")
    .set({ block_number: to.number, block_hash: to.hash })
    .where("number", "=", from.chain)
    .where("block_number", "=", from.block.number)
    .where("block_hash", "=", from.block.hash)
    .executeTakeFirstOrThrow();
  if (numUpdatedRows !== 1n) throw new StaleCheckpointError(`the checkpoint moved from block ${from.block.number} under this writer`);
  return { chain: from.chain, block: to };
}

/** Records headers of blocks near the head and forgets those at or below `forgetUpTo`. */
export async function recordBlocks(db: Kysely<Database>, headers: readonly BlockHeader[], forgetUpTo: bigint): Promise<void> {
  await insertRows(
    db,
    "blocks",
    headers.map(({ number, hash, parentHash }) => ({ number, hash, parent_hash: parentHash })),
  );
  await db.deleteFrom("blocks").where("number", "<=", forgetUpTo).execute();
}

/** Recorded block hashes from the newest down. */
export async function recordedBlocks(db: Kysely<Database>): Promise<BlockRef[]> {
  return db.selectFrom("blocks").select(["number", "hash"]).orderBy("number", "desc").execute();
}

export async function forgetBlocksAfter(db: Kysely<Database>, number: bigint): Promise<void> {
  await db.deleteFrom("blocks").where("number", ">", number).execute();
}
