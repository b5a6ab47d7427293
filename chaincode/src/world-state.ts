/**
 * The ledger as the rules see it, over Fabric world state: every read joins the transaction's read
 * set, so two transactions that read the same record conflict at commit (MVCC) and one of them fails.
 * One composite key per record, never a shared counter, so actions on unrelated lots never conflict.
 * Besides the rules' records it keeps what clients ask and the rules do not: an index of documents by
 * id, and revocation reasons.
 */
import type { Context } from "fabric-contract-api";
import type { BatchAnchor, DocumentAnchor, Facility, Hash, Id, LedgerEvent, LedgerView, Lot, Norm, Organisation, Outcome } from "../../domain/index.js";
import {
  batchShape,
  decodeJson,
  documentShape,
  encodeJson,
  facilityShape,
  lotShape,
  normShape,
  organisationShape,
  type LotChange,
  type Shape,
  type WritingTransaction,
} from "./codec.js";
import { hash as hashShape, string as text } from "../../domain/json-shapes.js";

/** The object type of each kind of record's composite key. */
const KEY = {
  organisation: "org",
  mspOrganisation: "msp",
  facility: "facility",
  document: "document",
  /** documentId/id/hash: the documents anchored with an id, found by a partial composite key query. */
  documentsById: "documentId",
  /** The reason a document was revoked. */
  documentRevocation: "documentRevocation",
  batch: "batch",
  /** The reason a batch member was revoked. */
  revokedBatchMember: "batchRevocation",
  norm: "norm",
  lot: "lot",
  registryInitialised: "registry",
} as const;

const INITIALISED = "initialised";

/** A kind of record, named as in KEY. */
export type RecordKind = keyof typeof KEY;

export class WorldState implements LedgerView {
  constructor(private readonly stub: Context["stub"]) {}

  organisation(id: Id): Promise<Organisation | undefined> {
    return this.get(organisationShape, KEY.organisation, id);
  }
  /** The id of the organisation whose members are the identities of MSP `mspId`. */
  organisationOfMsp(mspId: string): Promise<Id | undefined> {
    return this.get(text, KEY.mspOrganisation, mspId);
  }
  facility(id: Id): Promise<Facility | undefined> {
    return this.get(facilityShape, KEY.facility, id);
  }
  document(hash: Hash): Promise<DocumentAnchor | undefined> {
    return this.get(documentShape, KEY.document, hash);
  }
  batch(root: Hash): Promise<BatchAnchor | undefined> {
    return this.get(batchShape, KEY.batch, root);
  }
  async isBatchMemberRevoked(root: Hash, leaf: Hash): Promise<boolean> {
    return (await this.batchMemberRevocationReason(root, leaf)) !== undefined;
  }
  batchMemberRevocationReason(root: Hash, leaf: Hash): Promise<string | undefined> {
    return this.get(text, KEY.revokedBatchMember, root, leaf);
  }
  documentRevocationReason(hash: Hash): Promise<string | undefined> {
    return this.get(text, KEY.documentRevocation, hash);
  }
  /** The hashes of the documents anchored with id `id`, in key order (a range read). */
  async documentsWithId(id: Id): Promise<Hash[]> {
    const hashes: Hash[] = [];
    for await (const { value } of this.stub.getStateByPartialCompositeKey(KEY.documentsById, [id])) {
      hashes.push(decodeJson(hashShape, Buffer.from(value).toString("utf8")));
    }
    return hashes;
  }
  norm(owner: Id, product: Id): Promise<Norm | undefined> {
    return this.get(normShape, KEY.norm, owner, product);
  }
  lot(id: Id): Promise<Lot | undefined> {
    return this.get(lotShape, KEY.lot, id);
  }
  /** Every write of lot `id`, newest first, from the ledger's key history. */
  async lotHistory(id: Id): Promise<LotChange[]> {
    return (await this.history(KEY.lot, id)).map(({ value, ...transaction }) => ({ ...transaction, lot: value === null ? null : decodeJson(lotShape, value) }));
  }
  /** The transactions that wrote a record, newest first, from the key's history (not part of the read set). */
  async writers(kind: RecordKind, ...parts: string[]): Promise<WritingTransaction[]> {
    return (await this.history(KEY[kind], ...parts)).map(({ txId, time }) => ({ txId, time }));
  }

  async isRegistryInitialised(): Promise<boolean> {
    return (await this.get(text, KEY.registryInitialised, INITIALISED)) === INITIALISED;
  }

  /** Writes everything an accepted action decided, and what clients read of its event. */
  async write(outcome: Outcome): Promise<void> {
    for (const lot of outcome.lots) await this.put(lot, KEY.lot, lot.id);
    for (const document of outcome.documents) await this.put(document, KEY.document, document.hash);
    if (outcome.batch) await this.put(outcome.batch, KEY.batch, outcome.batch.root);
    if (outcome.norm) await this.put(outcome.norm, KEY.norm, outcome.norm.owner, outcome.norm.product);
    await this.writeForClients(outcome.event);
  }

  /** Writes the lots an accepted batch decided (custody actions write nothing else). */
  async writeLots(lots: readonly Lot[]): Promise<void> {
    for (const lot of lots) await this.put(lot, KEY.lot, lot.id);
  }

  /** What clients read and the rules do not: an anchored document's id index entry, revocation reasons (the event carries them). */
  private async writeForClients(event: LedgerEvent): Promise<void> {
    if (event.type === "documentAnchored") await this.put(event.document.hash, KEY.documentsById, event.document.id, event.document.hash);
    if (event.type === "documentRevoked") await this.put(event.reason, KEY.documentRevocation, event.hash);
    if (event.type === "batchMemberRevoked") await this.put(event.reason, KEY.revokedBatchMember, event.root, event.leaf);
  }

  async writeOrganisation(organisation: Organisation, mspId: string): Promise<void> {
    await this.put(organisation, KEY.organisation, organisation.id);
    await this.put(organisation.id, KEY.mspOrganisation, mspId);
  }
  async writeFacility(facility: Facility): Promise<void> {
    await this.put(facility, KEY.facility, facility.id);
  }
  async markRegistryInitialised(): Promise<void> {
    await this.put(INITIALISED, KEY.registryInitialised, INITIALISED);
  }

  /** A record, or undefined when absent; an empty key part names no record (createCompositeKey refuses it). */
  private async get<T>(shape: Shape<T>, type: string, ...parts: string[]): Promise<T | undefined> {
    if (parts.some((part) => part === "")) return undefined;
    const bytes = await this.stub.getState(this.stub.createCompositeKey(type, parts));
    return bytes.length === 0 ? undefined : decodeJson(shape, Buffer.from(bytes).toString("utf8"));
  }

  /** Every write of a key, newest first, with the value written (null: deleted). */
  private async history(type: string, ...parts: string[]): Promise<Array<WritingTransaction & { value: string | null }>> {
    const writes: Array<WritingTransaction & { value: string | null }> = [];
    for await (const change of this.stub.getHistoryForKey(this.stub.createCompositeKey(type, parts))) {
      const value = change.isDelete ? null : Buffer.from(change.value).toString("utf8");
      writes.push({ txId: change.txId, time: BigInt(change.timestamp.seconds.toString()), value });
    }
    return writes;
  }

  private put(value: unknown, type: string, ...parts: string[]): Promise<void> {
    return this.stub.putState(this.stub.createCompositeKey(type, parts), Buffer.from(encodeJson(value)));
  }
}
