import { documentHash } from "../../domain/hashing.js";
import type { Hash } from "../../domain/types.js";
import { open, seal, type Recipient } from "./envelope.js";
import { DocumentError } from "./errors.js";
import type { KeyInput } from "./keys.js";
import type { DocumentStore } from "./store.js";

/** What an issuer anchors for a stored document. */
export interface StoredDocument {
  /** SHA-256 of the plaintext: anyone holding the file can check it against the anchor. */
  hash: Hash;
  /** CID of the envelope: the only form in which the document reaches IPFS. */
  cid: string;
  /** Plaintext size in bytes. */
  size: number;
}

/** Documents stored only as envelopes, in any DocumentStore (embedded or Kubo). */
export class EncryptedDocumentStore {
  constructor(private readonly store: DocumentStore) {}

  async putDocument(plaintext: Uint8Array, recipients: readonly Recipient[]): Promise<StoredDocument> {
    const { cid } = await this.store.put(seal(plaintext, recipients));
    return { hash: documentHash(plaintext), cid, size: plaintext.byteLength };
  }

  /** The plaintext; with `expectedHash` (the anchored hash), INTEGRITY unless it is exactly that document. */
  async getDocument(cid: string, orgId: string, privateKey: KeyInput, expectedHash?: Hash): Promise<Uint8Array> {
    const plaintext = open(await this.store.get(cid), orgId, privateKey);
    if (expectedHash !== undefined && documentHash(plaintext) !== expectedHash.toLowerCase()) {
      plaintext.fill(0);
      throw new DocumentError("INTEGRITY", `document ${cid} does not match the anchored hash ${expectedHash}`, {
        cid,
        expectedHash,
      });
    }
    return plaintext;
  }
}
