/**
 * The ledger as the rules see it, over Fabric world state: every read joins the transaction's read
 * set, so two transactions that read the same record conflict at commit (MVCC) and one of them fails.
 * One composite key per record, never a shared counter, so actions on unrelated lots never conflict.
 */
import type { Context } from "fabric-contract-api";
import type { BatchAnchor, DocumentAnchor, Facility, Hash, Id, LedgerView, Lot, Norm, Organisation, Outcome } from "../../domain/index.js";
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
} from "../../sdk/fabric/codec.js";
import { text } from "../../sdk/fabric/json-shapes.js";

/** The object type of each kind of record's composite key. */
const KEY = {
  organisation: "org",
  mspOrganisation: "msp",
  facility: "facility",
  document: "document",
  batch: "batch",
  revokedBatchMember: "batchRevocation",
  norm: "norm",
  lot: "lot",
  registryInitialised: "registry",
} as const;

const REVOKED = "revoked";
const INITIALISED = "initialised";

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
    return (await this.get(text, KEY.revokedBatchMember, root, leaf)) === REVOKED;
  }
  norm(owner: Id, product: Id): Promise<Norm | undefined> {
    return this.get(normShape, KEY.norm, owner, product);
  }
  lot(id: Id): Promise<Lot | undefined> {
    return this.get(lotShape, KEY.lot, id);
  }
  /** Every write of lot `id`, newest first, from the ledger's key history (not part of the read set). */
  async lotHistory(id: Id): Promise<LotChange[]> {
    const changes: LotChange[] = [];
    for await (const change of this.stub.getHistoryForKey(this.stub.createCompositeKey(KEY.lot, [id]))) {
      const lot = change.isDelete ? null : decodeJson(lotShape, Buffer.from(change.value).toString("utf8"));
      changes.push({ txId: change.txId, time: BigInt(change.timestamp.seconds.toString()), lot });
    }
    return changes;
  }

  async isRegistryInitialised(): Promise<boolean> {
    return (await this.get(text, KEY.registryInitialised, INITIALISED)) === INITIALISED;
  }

  /** Writes everything an accepted action decided. */
  async write(outcome: Outcome): Promise<void> {
    for (const lot of outcome.lots) await this.put(lot, KEY.lot, lot.id);
    for (const document of outcome.documents) await this.put(document, KEY.document, document.hash);
    if (outcome.batch) await this.put(outcome.batch, KEY.batch, outcome.batch.root);
    if (outcome.revokedBatchMember) {
      const { root, leaf } = outcome.revokedBatchMember;
      await this.put(REVOKED, KEY.revokedBatchMember, root, leaf);
    }
    if (outcome.norm) await this.put(outcome.norm, KEY.norm, outcome.norm.owner, outcome.norm.product);
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

  private put(value: unknown, type: string, ...parts: string[]): Promise<void> {
    return this.stub.putState(this.stub.createCompositeKey(type, parts), Buffer.from(encodeJson(value)));
  }
}
