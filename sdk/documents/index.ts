export type { DocumentStore, PinningDocumentStore } from "./store.js";
export { EmbeddedDocumentStore } from "./embedded-store.js";
export { KuboDocumentStore, type KuboStoreOptions } from "./kubo-store.js";
export { EncryptedDocumentStore, type StoredDocument } from "./encrypted-store.js";
export { seal, open, type Recipient } from "./envelope.js";
export {
  generateOrganisationKeyPair,
  x25519PrivateKey,
  x25519PublicKey,
  type OrganisationKeyPair,
  type KeyInput,
} from "./keys.js";
export { cidOf } from "./cids.js";
export { DocumentError, DOCUMENT_ERROR_CODES, type DocumentErrorCode } from "./errors.js";
