/**
 * Where a loader keeps the scenario's documents: the embedded document store of a data directory
 * (DIR/documents), each document sealed for its issuer, customs and the organisations it concerns
 * (seeds/step.ts says which) with the organisations' X25519
 * keys from DIR/keys (ORG.public.pem; a missing pair is made and kept there, as `npm start` does for
 * the demo organisations). The anchor then records the envelope's CID.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Id } from "../../domain/index.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import { ensureKeyFiles } from "../../sdk/documents/key-files.js";
import { x25519PublicKey } from "../../sdk/documents/keys.js";
import type { KeyObject } from "node:crypto";
import { CUSTOMS } from "../registry.js";

export class DocumentSink {
  private readonly publicKeys = new Map<Id, KeyObject>();

  private constructor(
    private readonly blocks: EmbeddedDocumentStore,
    private readonly keysDir: string,
  ) {}

  static async open(dataDir: string): Promise<DocumentSink> {
    const keysDir = join(dataDir, "keys");
    await mkdir(keysDir, { recursive: true });
    return new DocumentSink(await EmbeddedDocumentStore.open(join(dataDir, "documents")), keysDir);
  }

  /** Stores `bytes` encrypted for `issuer`, customs and `readers`; returns the CID to anchor. */
  async put(issuer: Id, bytes: Uint8Array, readers: readonly Id[] = []): Promise<string> {
    const recipients = [...new Set([issuer, CUSTOMS, ...readers])];
    const sealed = await new EncryptedDocumentStore(this.blocks).putDocument(
      bytes,
      await Promise.all(recipients.map(async (orgId) => ({ orgId, publicKey: await this.publicKey(orgId) }))),
    );
    return sealed.cid;
  }

  close(): Promise<void> {
    return this.blocks.close();
  }

  private async publicKey(org: Id): Promise<KeyObject> {
    let key = this.publicKeys.get(org);
    if (key === undefined) {
      const path = join(this.keysDir, `${org}.public.pem`);
      await ensureKeyFiles(this.keysDir, [org]);
      key = x25519PublicKey(await readFile(path, "utf8"));
      this.publicKeys.set(org, key);
    }
    return key;
  }
}
