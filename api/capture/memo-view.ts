/**
 * A ledger view for one look at the ledger (a job's dry run): what does not change in the meantime for
 * the job's own decision (organisations, facilities, documents, batches, norms) is read once, not once
 * per event. Lots are read through: the decision overlays the ones the job itself writes.
 */
import type { LedgerView } from "../../domain/index.js";

export function memoizedView(view: LedgerView): LedgerView {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let value = cache.get(key) as Promise<T> | undefined;
    if (value === undefined) {
      value = read();
      cache.set(key, value);
    }
    return value;
  };
  return {
    organisation: (id) => once(`organisation ${id}`, () => view.organisation(id)),
    facility: (id) => once(`facility ${id}`, () => view.facility(id)),
    document: (hash) => once(`document ${hash}`, () => view.document(hash)),
    batch: (root) => once(`batch ${root}`, () => view.batch(root)),
    isBatchMemberRevoked: (root, leaf) => once(`revoked ${root} ${leaf}`, () => view.isBatchMemberRevoked(root, leaf)),
    norm: (owner, product) => once(`norm ${owner} ${product}`, () => view.norm(owner, product)),
    lot: (id) => view.lot(id),
  };
}
