/**
 * Documents and batches with the transactions that anchored and revoked them, for clients: the
 * transactions come from key history (the anchoring transaction is the record's first write, the
 * revoking one the single write of its reason), since chaincode sees no block.
 */
import type { Hash, Id } from "../../domain/index.js";
import type { BatchRecord, DocumentRecord, RevocationRecord, WritingTransaction } from "./codec.js";
import type { RecordKind, WorldState } from "./world-state.js";

export async function documentRecord(state: WorldState, hash: Hash): Promise<DocumentRecord | undefined> {
  const document = await state.document(hash);
  if (document === undefined) return undefined;
  const reason = await state.documentRevocationReason(hash);
  return {
    document,
    anchoredIn: await firstWriter(state, "document", hash),
    revocation: reason === undefined ? null : { reason, revokedIn: await firstWriter(state, "documentRevocation", hash) },
  };
}

/** Every document anchored with id `id`. */
export async function documentRecordsWithId(state: WorldState, id: Id): Promise<DocumentRecord[]> {
  const records = await Promise.all((await state.documentsWithId(id)).map((hash) => documentRecord(state, hash)));
  return records.filter((record) => record !== undefined);
}

export async function batchRecord(state: WorldState, root: Hash): Promise<BatchRecord | undefined> {
  const batch = await state.batch(root);
  return batch === undefined ? undefined : { batch, anchoredIn: await firstWriter(state, "batch", root) };
}

export async function batchMemberRevocation(state: WorldState, root: Hash, leaf: Hash): Promise<RevocationRecord | undefined> {
  const reason = await state.batchMemberRevocationReason(root, leaf);
  return reason === undefined ? undefined : { reason, revokedIn: await firstWriter(state, "revokedBatchMember", root, leaf) };
}

async function firstWriter(state: WorldState, kind: RecordKind, ...parts: string[]): Promise<WritingTransaction> {
  const writers = await state.writers(kind, ...parts);
  const first = writers.at(-1);
  if (first === undefined) throw new Error(`${kind} ${parts.join("/")} is recorded but its key has no history: is the peer's history database disabled?`);
  return first;
}
