import { create, type HTTPRPCOptions, type KuboRPCClient } from "kubo-rpc-client";
import { collect } from "./bytes.js";
import { cidOf, KUBO_ADD_OPTIONS, parseCid } from "./cids.js";
import { DocumentError } from "./errors.js";
import type { PinningDocumentStore } from "./store.js";

export interface KuboStoreOptions {
  /** Kubo RPC API, e.g. http://127.0.0.1:5001 (IPFS Cluster's Kubo proxy endpoint works too). */
  url: string | URL;
  /** Sent with every request, e.g. Authorization when Kubo's API.Authorizations is set. */
  headers?: Record<string, string>;
  /** How long the node may search the network for a document before NOT_FOUND. */
  fetchTimeoutMs?: number;
}

/** Kubo's global --offline flag: answer from the node's own blockstore only (sent as a query parameter). */
const LOCAL_ONLY: HTTPRPCOptions & { offline: true } = { offline: true };

/** Documents on a Kubo node (or IPFS Cluster) through its HTTP RPC API. */
export class KuboDocumentStore implements PinningDocumentStore {
  private readonly client: KuboRPCClient;
  private readonly timeout: number;

  constructor(options: KuboStoreOptions) {
    this.client = create({ url: options.url, headers: options.headers });
    this.timeout = options.fetchTimeoutMs ?? 60_000;
  }

  /** Adds and pins. The node's CID is checked against the local computation, so anchors stay portable. */
  async put(bytes: Uint8Array): Promise<{ cid: string }> {
    const expected = (await cidOf(bytes)).toString();
    const added = await this.call(undefined, () => this.client.add(bytes, { ...KUBO_ADD_OPTIONS, pin: true }));
    const actual = added.cid.toString();
    if (actual !== expected) {
      const message = `the node stored the document as ${actual}, not ${expected}`;
      throw new DocumentError("CID_MISMATCH", message, { expected, actual });
    }
    return { cid: expected };
  }

  async get(cid: string): Promise<Uint8Array> {
    const root = parseCid(cid);
    return this.call(cid, () => collect(this.client.cat(root, { timeout: this.timeout })));
  }

  async has(cid: string): Promise<boolean> {
    const root = parseCid(cid);
    try {
      await this.client.block.stat(root, LOCAL_ONLY);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw asDocumentError(error, cid);
    }
  }

  async pin(cid: string): Promise<void> {
    const root = parseCid(cid);
    await this.call(cid, () => this.client.pin.add(root, { timeout: this.timeout }));
  }

  async unpin(cid: string): Promise<void> {
    const root = parseCid(cid);
    try {
      await this.client.pin.rm(root);
    } catch (error) {
      if (error instanceof Error && /not pinned/i.test(error.message)) return;
      throw asDocumentError(error, cid);
    }
  }

  async *exportCar(cid: string): AsyncGenerator<Uint8Array> {
    const root = parseCid(cid);
    try {
      yield* this.client.dag.export(root, { timeout: this.timeout });
    } catch (error) {
      throw asDocumentError(error, cid);
    }
  }

  private async call<T>(cid: string | undefined, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw asDocumentError(error, cid);
    }
  }
}

/** Kubo reports a missing block as an error message; a search that outlasts the timeout is missing too. */
function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || /not found|could not find/i.test(error.message));
}

function asDocumentError(error: unknown, cid: string | undefined): DocumentError {
  const details: Record<string, string> = cid === undefined ? {} : { cid };
  if (cid !== undefined && isNotFound(error)) {
    return new DocumentError("NOT_FOUND", `document ${cid} was not found by the IPFS node`, details);
  }
  // Node's fetch reports a refused or unreachable connection as TypeError("fetch failed").
  if (error instanceof TypeError && error.message === "fetch failed") {
    return new DocumentError("STORE_UNAVAILABLE", "the IPFS node's RPC API is unreachable", details, error);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DocumentError("STORE_FAILED", `the IPFS node refused the request: ${reason}`, details, error);
}
