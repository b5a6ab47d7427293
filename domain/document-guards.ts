import { fail } from "./errors.js";
import type { DocumentAnchor, DocumentKind, Hash } from "./types.js";
import type { LedgerView } from "./view.js";

/** Loads an anchored document and checks its kind (UNKNOWN_DOCUMENT, DOCUMENT_KIND_MISMATCH). */
export async function requireDocument(view: LedgerView, hash: Hash, kind: DocumentKind, role: string): Promise<DocumentAnchor> {
  const document = await view.document(hash);
  if (document === undefined) fail("UNKNOWN_DOCUMENT", `the ${role} ${hash} is not anchored`, { hash });
  if (document.kind !== kind) {
    fail("DOCUMENT_KIND_MISMATCH", `the ${role} ${document.id} is a ${document.kind}, not a ${kind}`, { hash });
  }
  return document;
}

export function requireValid(document: DocumentAnchor, role: string): void {
  if (document.status !== "VALID") {
    const successor = document.supersededBy === null ? "" : `; its current version is ${document.supersededBy}`;
    fail("DOCUMENT_INVALID", `the ${role} ${document.id} is ${document.status}${successor}`, { hash: document.hash });
  }
}

/** Follows amendments from `hash` to the current version, which must be VALID (not revoked). */
export async function currentVersion(view: Pick<LedgerView, "document">, hash: Hash, role: string): Promise<DocumentAnchor> {
  let document = await view.document(hash);
  while (document?.status === "SUPERSEDED" && document.supersededBy !== null) {
    document = await view.document(document.supersededBy);
  }
  if (document === undefined) fail("UNKNOWN_DOCUMENT", `the ${role} ${hash} is not anchored`, { hash });
  requireValid(document, role);
  return document;
}
