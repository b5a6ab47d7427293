/**
 * Documents as the SDK's verifier knows them (AnchoredDocument: the anchor, where it was recorded,
 * why it was revoked), the lots they concern, and batches, read from the store.
 */
import { sql, type Kysely } from "kysely";
import type {
  BatchAnchoredEvent,
  BatchMemberRevokedEvent,
  DocumentKind,
  DocumentRevokedEvent,
  DocumentStatus,
  Hash,
  Organisation,
  OrgKind,
} from "../../domain/index.js";
import type { Database } from "../../indexer/store/index.js";
import { decodePayload } from "../../indexer/payload.js";
import { keyChunks } from "../../indexer/store/index.js";
import type { AnchoredBatch, AnchoredDocument, Revocation, Transaction } from "../../sdk/ledger.js";
import type { Viewer } from "../auth/viewer.js";
import { readCompiled } from "./compiled.js";
import { paged, type Page } from "./page.js";

type EventPlace = Pick<Database["events"], "id" | "block_number" | "tx_hash" | "time" | "payload">;

const transactionOf = (row: EventPlace): Transaction => ({ tx: row.tx_hash, block: row.block_number, time: row.time });

/** A document with its issuer's registration (undefined for an issuer the store does not know). */
export interface IssuedDocument {
  document: AnchoredDocument;
  issuer: Organisation | undefined;
}

export async function documentsByHash(db: Kysely<Database>, hashes: readonly string[]): Promise<IssuedDocument[]> {
  const documents: IssuedDocument[] = [];
  for (const chunk of keyChunks(hashes)) documents.push(...(await documentsIn(db, chunk)));
  return documents;
}

/**
 * The documents with these hashes with the events that anchored and revoked them and their issuer's
 * registration (a verdict checks it), beside their subjects: one round trip.
 */
async function documentsIn(db: Kysely<Database>, hashes: readonly string[]): Promise<IssuedDocument[]> {
  const [rows, subjects] = await Promise.all([
    readCompiled(db, `documents:${hashes.length}`, hashes, () =>
      db
        .selectFrom("documents")
        .innerJoin("events as anchored", "anchored.id", "documents.anchored_event")
        .leftJoin("events as revoked", (join) => join.onRef("revoked.id", "=", "documents.status_event").on("documents.status", "=", sql.lit("REVOKED")))
        .leftJoin("organisations as issuer", "issuer.id", "documents.issuer")
        .selectAll("documents")
        .select([
          "anchored.block_number as anchored_block",
          "anchored.tx_hash as anchored_tx",
          "anchored.time as anchored_time",
          "revoked.block_number as revoked_block",
          "revoked.tx_hash as revoked_tx",
          "revoked.time as revoked_time",
          "revoked.payload as revoked_payload",
          "issuer.kind as issuer_kind",
        ])
        .where("documents.hash", "in", hashes),
    ),
    readCompiled(db, `documentSubjects:${hashes.length}`, hashes, () => db.selectFrom("document_subjects").selectAll().where("hash", "in", hashes)),
  ]);
  // Each document's subjects in one pass: a chunk can hold thousands of documents.
  const subjectsOf = new Map<string, string[]>();
  for (const { hash, lot } of subjects) {
    const lots = subjectsOf.get(hash);
    if (lots === undefined) subjectsOf.set(hash, [lot]);
    else lots.push(lot);
  }
  return rows.map((row) => {
    const revocation: Revocation | null =
      row.revoked_payload === null
        ? null
        : {
            reason: (decodePayload(row.revoked_payload) as DocumentRevokedEvent).reason,
            revokedIn: { tx: row.revoked_tx!, block: row.revoked_block!, time: row.revoked_time! },
          };
    const document: AnchoredDocument = {
      hash: row.hash as Hash,
      id: row.id,
      kind: row.kind as DocumentKind,
      cid: row.cid,
      issuer: row.issuer,
      subjects: subjectsOf.get(row.hash) ?? [],
      version: Number(row.version),
      supersedes: row.supersedes as Hash | null,
      supersededBy: row.superseded_by as Hash | null,
      status: row.status as DocumentStatus,
      anchoredAt: row.anchored_at,
      anchoredIn: { tx: row.anchored_tx, block: row.anchored_block, time: row.anchored_time },
      revocation,
    };
    return { document, issuer: row.issuer_kind === null ? undefined : { id: row.issuer, kind: row.issuer_kind as OrgKind } };
  });
}

/** Per document: the lots it concerns — its subjects and the lots of custody events that relied on it. */
export async function documentLots(db: Kysely<Database>, hashes: readonly string[]): Promise<Map<string, string[]>> {
  const lots = new Map<string, Set<string>>(hashes.map((hash) => [hash, new Set()]));
  for (const chunk of keyChunks(hashes)) {
    for (const { hash, lot } of await db.selectFrom("document_subjects").selectAll().where("hash", "in", chunk).execute()) lots.get(hash)!.add(lot);
    const relied = await db
      .selectFrom("event_documents")
      .innerJoin("lot_transitions", "lot_transitions.event_id", "event_documents.event_id")
      .select(["event_documents.hash", "lot_transitions.lot"])
      .where("event_documents.hash", "in", chunk)
      .execute();
    for (const { hash, lot } of relied) lots.get(hash)!.add(lot);
  }
  return new Map([...lots].map(([hash, set]) => [hash, [...set]]));
}

/** Hashes of the documents about a lot: those naming it, and those its custody events relied on. */
export async function documentHashesOfLot(db: Kysely<Database>, lot: string): Promise<string[]> {
  const named = await db.selectFrom("document_subjects").select("hash").where("lot", "=", lot).execute();
  const relied = await db
    .selectFrom("event_documents")
    .select("hash")
    .where("event_id", "in", (eb) => eb.selectFrom("lot_transitions").select("event_id").where("lot", "=", lot))
    .orderBy("event_id")
    .execute();
  return [...new Set([...relied, ...named].map((row) => row.hash))];
}

export interface DocumentFilter {
  issuer?: string | null;
  kind?: string | null;
  status?: string | null;
  /** Documents with this document id (issuers choose ids: several may share one). */
  id?: string | null;
}

/**
 * A page of documents by hash. Outside customs a caller lists what its organisation issued; it reaches
 * other documents through the lots it may see.
 */
export async function findDocuments(db: Kysely<Database>, viewer: Viewer, filter: DocumentFilter, page: Page<string>): Promise<string[]> {
  let query = db.selectFrom("documents").select("hash");
  if (!viewer.isAuditor) query = query.where("issuer", "=", viewer.org);
  if (filter.issuer) query = query.where("issuer", "=", filter.issuer);
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.id) query = query.where("id", "=", filter.id);
  return (await paged(query, "hash", page).execute()).map((row) => row.hash);
}

/** The batch anchored with this Merkle root (few events are batches: found by kind, then by root). */
export async function batchByRoot(db: Kysely<Database>, root: Hash): Promise<AnchoredBatch | undefined> {
  const row = await db
    .selectFrom("events")
    .select(["id", "block_number", "tx_hash", "time", "payload"])
    .where("kind", "=", "batchAnchored")
    .where("payload", "like", `%"root":"${root}"%`)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return { ...(decodePayload(row.payload) as BatchAnchoredEvent).batch, anchoredIn: transactionOf(row) };
}

export async function batchMemberRevocation(db: Kysely<Database>, root: Hash, leaf: Hash): Promise<Revocation | undefined> {
  const rows = await db
    .selectFrom("events")
    .select(["id", "block_number", "tx_hash", "time", "payload"])
    .where("kind", "=", "batchMemberRevoked")
    .where("payload", "like", `%"leaf":"${leaf}"%`)
    .execute();
  for (const row of rows) {
    const event = decodePayload(row.payload) as BatchMemberRevokedEvent;
    if (event.root === root) return { reason: event.reason, revokedIn: transactionOf(row) };
  }
  return undefined;
}
