/**
 * Where document bytes live: a content-addressed store whose CIDs are those Kubo computes for
 * `ipfs add --cid-version=1 --raw-leaves` (see cids.ts), so a CID anchored on the ledger can be
 * fetched from any IPFS node. CIDs are passed as strings, as anchors record them.
 * Every method throws DocumentError: INVALID_CID, NOT_FOUND, CORRUPT_BLOCK, STORE_UNAVAILABLE, …
 */
export interface DocumentStore {
  /** Stores the bytes as one UnixFS file and returns its CID (base32 CIDv1). */
  put(bytes: Uint8Array): Promise<{ cid: string }>;
  /** The exact bytes stored under `cid`; NOT_FOUND if this store cannot produce them. */
  get(cid: string): Promise<Uint8Array>;
  /** Whether this store holds the document's root block locally (never asks the network). */
  has(cid: string): Promise<boolean>;
  /**
   * The document's whole DAG as a CARv1 stream (root first, then every block once), ready for
   * `ipfs dag import` on any node. Errors surface while iterating.
   */
  exportCar(cid: string): AsyncIterable<Uint8Array>;
}

/**
 * A store whose node garbage-collects unpinned content (Kubo, IPFS Cluster). `put` pins; `unpin`
 * lets the node drop the document, and is idempotent. The embedded store never collects garbage,
 * so it has nothing to pin.
 */
export interface PinningDocumentStore extends DocumentStore {
  pin(cid: string): Promise<void>;
  unpin(cid: string): Promise<void>;
}
