/**
 * A vector's world: the named setup file plus the vector's `extend`, resolved into domain values
 * (document hashes, batch roots and proofs) and into the actions that bring it onto a ledger.
 */
import {
  buildBatch,
  documentHash,
  DOCUMENT_KINDS,
  FACILITY_KINDS,
  ORG_KINDS,
  type Action,
  type Actor,
  type DocumentKind,
  type Facility,
  type Hash,
  type Id,
  type Norm,
  type Organisation,
} from "../../domain/index.js";
import { array, at, boolean, decimal, integer, mismatch, object, oneOf, ShapeError, string, type Shape } from "../../domain/json-shapes.js";

const organisation = object({ id: string, kind: oneOf(ORG_KINDS) });
const facility = object({ id: string, kind: oneOf(FACILITY_KINDS), operator: string });
const documentSpec = object(
  { name: string, id: string, kind: oneOf(DOCUMENT_KINDS), issuer: string, content: string },
  { subjects: array(string), anchored: boolean, cid: string },
);
const batchSpec = object({ name: string, issuer: string, kind: oneOf(DOCUMENT_KINDS), documents: array(string, 1) }, { anchored: boolean });
const normSpec = object({
  owner: string,
  product: string,
  hsCode: string,
  unit: string,
  outputQuantity: decimal,
  inputs: array(object({ material: string, quantity: decimal, wasteBps: integer }), 1),
  document: string,
});

/** A setup file, and a vector's `extend`: every section optional. */
export const setupSpec = object(
  {},
  {
    organisations: array(organisation),
    facilities: array(facility),
    documents: array(documentSpec),
    batches: array(batchSpec),
    norms: array(normSpec),
  },
);
export type SetupSpec = ReturnType<typeof setupSpec>;

export interface SetupDocument {
  name: string;
  id: Id;
  kind: DocumentKind;
  issuer: Id;
  subjects: Id[];
  cid: string;
  anchored: boolean;
  /** SHA-256 of the document's content (UTF-8 bytes). */
  hash: Hash;
}

export interface SetupBatch {
  name: string;
  issuer: Id;
  kind: DocumentKind;
  documents: string[];
  anchored: boolean;
  root: Hash;
  /** Proof of each member document, by document name. */
  proofs: ReadonlyMap<string, Hash[]>;
}

export interface Setup {
  organisations: Organisation[];
  facilities: Facility[];
  documents: ReadonlyMap<string, SetupDocument>;
  batches: ReadonlyMap<string, SetupBatch>;
  norms: Norm[];
}

/** The setup with the vector's additions appended to each section. */
export function extendSetup(base: SetupSpec, extension: SetupSpec): SetupSpec {
  return {
    organisations: [...(base.organisations ?? []), ...(extension.organisations ?? [])],
    facilities: [...(base.facilities ?? []), ...(extension.facilities ?? [])],
    documents: [...(base.documents ?? []), ...(extension.documents ?? [])],
    batches: [...(base.batches ?? []), ...(extension.batches ?? [])],
    norms: [...(base.norms ?? []), ...(extension.norms ?? [])],
  };
}

function requireUnique(values: readonly string[], what: string, path: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new ShapeError(path, `${what} ${JSON.stringify(value)} appears twice`);
    seen.add(value);
  }
}

export function resolveSetup(spec: SetupSpec, path: string): Setup {
  const organisations = spec.organisations ?? [];
  const facilities = spec.facilities ?? [];
  const documentSpecs = spec.documents ?? [];
  requireUnique(
    organisations.map((o) => o.id),
    "organisation",
    path,
  );
  requireUnique(
    facilities.map((f) => f.id),
    "facility",
    path,
  );
  requireUnique(
    documentSpecs.map((d) => d.name),
    "document name",
    path,
  );
  requireUnique(
    documentSpecs.map((d) => d.content),
    "document content",
    path,
  );

  const documents = new Map<string, SetupDocument>();
  for (const { content, ...document } of documentSpecs) {
    documents.set(document.name, {
      ...document,
      subjects: document.subjects ?? [],
      cid: document.cid ?? `bafy-${document.name}`,
      anchored: document.anchored ?? true,
      hash: documentHash(content),
    });
  }
  const documentNamed = (name: string, where: string): SetupDocument => documents.get(name) ?? mismatch("the name of a setup document", name, where);

  const batchSpecs = spec.batches ?? [];
  requireUnique(
    batchSpecs.map((b) => b.name),
    "batch name",
    path,
  );
  const batches = new Map<string, SetupBatch>();
  for (const batch of batchSpecs) {
    const hashes = batch.documents.map((name) => documentNamed(name, at(path, `batch ${batch.name}`)).hash);
    const { root, proofs } = buildBatch(hashes);
    batches.set(batch.name, {
      ...batch,
      anchored: batch.anchored ?? true,
      root,
      proofs: new Map(batch.documents.map((name, index) => [name, proofs[index]!])),
    });
  }

  const norms = (spec.norms ?? []).map(({ document, ...norm }) => ({
    ...norm,
    document: documentNamed(document, at(path, `norm ${norm.owner}/${norm.product}`)).hash,
  }));
  return { organisations, facilities, documents, batches, norms };
}

/**
 * The actions that put a setup on a ledger, in order: anchored documents, anchored batches, norms, each
 * submitted by a SIGNER of its issuer or owner.
 */
export function setupActions(setup: Setup): Array<{ actor: Actor; action: Action }> {
  const signer = (org: Id): Actor => ({ org, role: "SIGNER" });
  const documents = [...setup.documents.values()].filter((d) => d.anchored);
  const batches = [...setup.batches.values()].filter((b) => b.anchored);
  return [
    ...documents.map(({ issuer, hash, id, kind, cid, subjects }) => ({
      actor: signer(issuer),
      action: { type: "anchor", hash, id, kind, cid, subjects } as const,
    })),
    ...batches.map(({ issuer, root, kind, documents: members }) => ({
      actor: signer(issuer),
      action: { type: "anchorBatch", root, kind, count: members.length } as const,
    })),
    ...setup.norms.map(({ owner, ...norm }) => ({ actor: signer(owner), action: { type: "registerNorm", ...norm } as const })),
  ];
}

/**
 * A hash written in a vector: `"@document"` (SHA-256 of that setup document), `"#batch"` (Merkle root
 * of that setup batch), or a literal `0x…` hex string, kept as written so that vectors can send
 * malformed hashes on purpose.
 */
export function hashReference(setup: Setup): Shape<Hash> {
  return (value, path) => {
    const text = string(value, path);
    const name = text.slice(1);
    if (text.startsWith("@")) return setup.documents.get(name)?.hash ?? mismatch("the name of a setup document after @", text, path);
    if (text.startsWith("#")) return setup.batches.get(name)?.root ?? mismatch("the name of a setup batch after #", text, path);
    if (/^0x[0-9a-fA-F]*$/.test(text)) return text as Hash;
    return mismatch('"@document", "#batch" or 0x hex', text, path);
  };
}

/** Only `"@document"`: a key of the `documents` expectation. */
export function documentReference(setup: Setup): Shape<Hash> {
  return (value, path) => {
    const text = string(value, path);
    const document = text.startsWith("@") ? setup.documents.get(text.slice(1)) : undefined;
    return document?.hash ?? mismatch('"@name" of a setup document', text, path);
  };
}

/** Where a ledger's failure messages can say `@name` instead of a bare hash. */
export function hashNames(setup: Setup): Map<string, string> {
  const names = new Map<string, string>();
  for (const document of setup.documents.values()) names.set(document.hash, `@${document.name}`);
  for (const batch of setup.batches.values()) names.set(batch.root, `#${batch.name}`);
  return names;
}
