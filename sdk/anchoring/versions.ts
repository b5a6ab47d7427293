import type { Hash } from "../../domain/index.js";
import type { AnchoredDocument, Ledger } from "../ledger.js";

/** Every version of the document `hash` belongs to, first to current, following amendments both ways. */
export async function versionChain(ledger: Pick<Ledger, "document">, hash: Hash): Promise<AnchoredDocument[]> {
  const start = await ledger.document(hash);
  if (start === undefined) return [];
  const chain = [start];
  for (let earlier = start.supersedes; earlier !== null; ) {
    const document = await ledger.document(earlier);
    if (document === undefined) break;
    chain.unshift(document);
    earlier = document.supersedes;
  }
  for (let later = start.supersededBy; later !== null; ) {
    const document = await ledger.document(later);
    if (document === undefined) break;
    chain.push(document);
    later = document.supersededBy;
  }
  return chain;
}

/** Several issuers anchored documents under one id: the caller must say which, by hash. */
export class AmbiguousDocumentIdError extends Error {
  constructor(
    readonly id: string,
    readonly hashes: readonly Hash[],
  ) {
    super(`document id ${id} is used by several issuers (${hashes.join(", ")}): ask for one by its hash`);
    this.name = "AmbiguousDocumentIdError";
  }
}

/** The current version of the document with id `id`: the latest anchor with that id that no later version amended. */
export async function currentDocumentWithId(ledger: Pick<Ledger, "documentsWithId">, id: string): Promise<AnchoredDocument | undefined> {
  const anchors = await ledger.documentsWithId(id);
  if (new Set(anchors.map((anchor) => anchor.issuer)).size > 1)
    throw new AmbiguousDocumentIdError(
      id,
      anchors.map((anchor) => anchor.hash),
    );
  return anchors.filter((anchor) => anchor.status !== "SUPERSEDED").at(-1) ?? anchors.at(-1);
}
