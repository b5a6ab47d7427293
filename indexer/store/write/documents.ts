/**
 * Documents: anchored versions with their current status (a document leaves VALID once, superseded or
 * revoked), the lots they concern, and which custody events relied on which document.
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import { chunks, insertRows } from "./insert-rows.js";
import { ofType, type Positioned } from "./positioned.js";

export async function applyDocuments(db: Kysely<Database>, events: readonly Positioned[]): Promise<void> {
  const anchored = ofType(events, "documentAnchored");
  await insertRows(
    db,
    "documents",
    anchored.map(({ id, event: { document } }) => ({
      hash: document.hash,
      id: document.id,
      kind: document.kind,
      cid: document.cid,
      issuer: document.issuer,
      version: BigInt(document.version),
      supersedes: document.supersedes,
      superseded_by: null,
      status: "VALID",
      anchored_at: document.anchoredAt,
      anchored_event: id,
      status_event: null,
    })),
  );
  await insertRows(
    db,
    "document_subjects",
    anchored.flatMap(({ event: { document } }) => [...new Set(document.subjects)].map((lot) => ({ hash: document.hash, lot }))),
  );
  for (const { id, event } of anchored) {
    const previous = event.document.supersedes;
    if (previous === null) continue;
    await db
      .updateTable("documents")
      .set({ status: "SUPERSEDED", superseded_by: event.document.hash, status_event: id })
      .where("hash", "=", previous)
      .execute();
  }
  for (const { id, event } of ofType(events, "documentRevoked")) {
    await db.updateTable("documents").set({ status: "REVOKED", status_event: id }).where("hash", "=", event.hash).execute();
  }
  await insertRows(
    db,
    "event_documents",
    ofType(events, "custody").flatMap(({ id, event }) => [...new Set(event.documents)].map((hash) => ({ event_id: id, hash }))),
  );
}

/** Takes back `removed`, the events from `firstId` on: their anchors, and the statuses they set. */
export async function revertDocuments(db: Kysely<Database>, removed: readonly Positioned[], firstId: bigint): Promise<void> {
  const anchored = ofType(removed, "documentAnchored").map(({ event }) => event.document);
  const statusChanged = [
    ...anchored.flatMap((document) => (document.supersedes === null ? [] : [document.supersedes])),
    ...ofType(removed, "documentRevoked").map(({ event }) => event.hash),
  ];
  for (const hashes of chunks(statusChanged)) {
    await db
      .updateTable("documents")
      .set({ status: "VALID", superseded_by: null, status_event: null })
      .where("hash", "in", hashes)
      .where("status_event", ">=", firstId)
      .execute();
  }
  for (const hashes of chunks(anchored.map(({ hash }) => hash))) {
    await db.deleteFrom("document_subjects").where("hash", "in", hashes).execute();
    await db.deleteFrom("documents").where("hash", "in", hashes).execute();
  }
  await db.deleteFrom("event_documents").where("event_id", ">=", firstId).execute();
}
