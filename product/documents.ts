/** The document store the product serves at /ipfs/<cid>: the embedded one in the data directory, or a Kubo node. */
import { cidOf } from "../sdk/documents/cids.js";
import { EmbeddedDocumentStore } from "../sdk/documents/embedded-store.js";
import { KuboDocumentStore } from "../sdk/documents/kubo-store.js";
import type { DocumentStore } from "../sdk/documents/store.js";
import type { DocumentStoreSettings } from "./settings.js";

export async function openDocumentStore(settings: DocumentStoreSettings): Promise<{ store: DocumentStore; close(): Promise<void> }> {
  if (settings.kind === "embedded") {
    const store = await EmbeddedDocumentStore.open(settings.directory);
    return { store, close: () => store.close() };
  }
  await probeKubo(settings.url);
  return { store: new KuboDocumentStore({ url: settings.url }), close: async () => undefined };
}

/** Asking for any block proves the node answers; better at the start than at the first auditor's request. */
export async function probeKubo(url: string): Promise<void> {
  try {
    await new KuboDocumentStore({ url, fetchTimeoutMs: 5_000 }).has((await cidOf(new Uint8Array())).toString());
  } catch (error) {
    throw new Error(`TRACEGATE_IPFS_API: the Kubo node at ${url} does not answer (${error instanceof Error ? error.message : String(error)})`);
  }
}
