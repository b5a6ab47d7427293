/** Documents, verification verdicts, and the root fields that list documents and verify them. */
import { assertHash, documentHash, TraceGateError, type Hash } from "../../domain/index.js";
import { parseProofFile, ProofFileError, type BatchProofFile } from "../../sdk/anchoring/proof-file.js";
import type { Verdict } from "../../sdk/anchoring/verdict.js";
import type { AnchoredDocument } from "../../sdk/ledger.js";
import { badInput } from "../errors.js";
import { findDocuments } from "../read/documents.js";
import { builder } from "./builder.js";
import { connection, textKey } from "./pagination.js";
import { DocumentRef, LotRef, VerdictRef } from "./refs.js";
import { DocumentKindEnum, DocumentStatusEnum } from "./scalars.js";
import { quoted } from "../../domain/json-shapes.js";

/** Largest file accepted for verification by upload; larger documents are verified by their hash. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

DocumentRef.implement({
  description: "An anchored document version: what the ledger recorded, never its content.",
  // Customs sees every document: no promise to wait for on the common path.
  authScopes: (document, context) => context.viewer?.isAuditor || (context.visibility?.canSeeDocument(document) ?? false),
  fields: (t) => ({
    hash: t.exposeString("hash", { description: "SHA-256 of the document's exact bytes." }),
    id: t.exposeString("id", { description: "The issuer's document id (amendments keep it)." }),
    kind: t.field({ type: DocumentKindEnum, resolve: (document) => document.kind }),
    cid: t.exposeString("cid", { description: "Where the encrypted copy lives (IPFS)." }),
    issuer: t.exposeString("issuer"),
    version: t.exposeInt("version"),
    status: t.field({ type: DocumentStatusEnum, resolve: (document) => document.status }),
    supersedes: t.exposeString("supersedes", { nullable: true }),
    supersededBy: t.exposeString("supersededBy", { nullable: true }),
    anchoredAt: t.field({ type: "DateTime", resolve: (document) => document.anchoredAt }),
    tx: t.string({ description: "The ledger transaction that anchored it.", resolve: (document) => document.anchoredIn.tx }),
    block: t.string({ resolve: (document) => document.anchoredIn.block.toString() }),
    revocationReason: t.string({ nullable: true, resolve: (document) => document.revocation?.reason ?? null }),
    statusChangedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it was revoked, or amended (its successor anchored); null while valid. Tells what it was when an event relied on it.",
      resolve: async (document, _args, { loaders }) =>
        document.revocation?.revokedIn.time ??
        (document.supersededBy === null ? null : ((await loaders.document.load(document.supersededBy))?.anchoredAt ?? null)),
    }),
    subjects: t.stringList({
      description: "Ids of the lots the document names: all of them for customs and the issuer, the ones the caller may see for anyone else.",
      resolve: (document, _args, { visibility }) => visibility!.shownSubjects(document),
    }),
    lots: t.field({
      type: [LotRef],
      nullable: { list: false, items: true },
      description: "The lots the document names (null where the caller may not see the lot).",
      resolve: async (document, _args, { loaders, visibility }) =>
        (await loaders.lot.loadMany(await visibility!.shownSubjects(document))).map((lot) => (lot instanceof Error ? null : (lot ?? null))),
    }),
    verdict: t.field({ type: VerdictRef, resolve: (document, _args, { verifier }) => verifier.verifyHash(document.hash) }),
    versions: t.field({
      type: [DocumentRef],
      description: "Every version of this document the caller may see, oldest first: the chain of amendments (supersedes / supersededBy) it is part of.",
      resolve: async (document, _args, { loaders, visibility }) => {
        const chain = await versionChain(document, (hash) => loaders.document.load(hash));
        const seen = await Promise.all(chain.map((version) => visibility!.canSeeDocument(version)));
        return chain.filter((_version, index) => seen[index]);
      },
    }),
  }),
});

/** Versions followed at most this far each way: a chain the ledger made is short; a bound keeps a bad store from looping. */
const MAX_VERSIONS = 100;

async function versionChain(document: AnchoredDocument, load: (hash: string) => Promise<AnchoredDocument | undefined>): Promise<AnchoredDocument[]> {
  const chain = [document];
  for (let at: AnchoredDocument | undefined = document; at?.supersedes && chain.length < MAX_VERSIONS; ) {
    at = await load(at.supersedes);
    if (at !== undefined) chain.unshift(at);
  }
  for (let at: AnchoredDocument | undefined = document; at?.supersededBy && chain.length < 2 * MAX_VERSIONS; ) {
    at = await load(at.supersededBy);
    if (at !== undefined) chain.push(at);
  }
  return chain;
}

const CheckRef = builder.objectRef<{ name: string; outcome: string; reason: string }>("Check").implement({
  fields: (t) => ({
    name: t.field({
      type: builder.enumType("CheckName", { values: ["INTEGRITY", "STATUS", "ISSUER"] as const }),
      resolve: (check) => check.name as "INTEGRITY",
    }),
    outcome: t.field({
      type: builder.enumType("CheckOutcome", { values: ["PASSED", "FAILED", "SKIPPED"] as const }),
      resolve: (check) => check.outcome as "PASSED",
    }),
    reason: t.exposeString("reason", { description: "Why, in plain words." }),
  }),
});

type Anchor = NonNullable<Verdict["anchor"]>;

const VerdictAnchorRef = builder.objectRef<Anchor>("VerdictAnchor").implement({
  description: "What the ledger recorded for the verified document (or for its batch).",
  fields: (t) => ({
    id: t.exposeString("id", { nullable: true, description: "The issuer's document id; null for a caller who may not see the document." }),
    kind: t.field({ type: DocumentKindEnum, resolve: (anchor) => anchor.kind }),
    issuer: t.exposeString("issuer"),
    status: t.field({ type: DocumentStatusEnum, resolve: (anchor) => anchor.status }),
    version: t.exposeInt("version", { nullable: true }),
    supersedes: t.exposeString("supersedes", { nullable: true }),
    supersededBy: t.exposeString("supersededBy", { nullable: true }),
    current: t.exposeString("current", { nullable: true, description: "The current version's hash, when this one was amended." }),
    subjects: t.exposeStringList("subjects", {
      description: "Ids of the lots the document concerns (single anchors only; none for a caller who may not see the document).",
    }),
    cid: t.exposeString("cid", { nullable: true, description: "Null for a caller who may not see the document." }),
    batchRoot: t.string({ nullable: true, resolve: (anchor) => anchor.batch?.root ?? null }),
    batchCount: t.int({ nullable: true, resolve: (anchor) => anchor.batch?.count ?? null }),
    anchoredAt: t.field({ type: "DateTime", resolve: (anchor) => BigInt(Date.parse(anchor.anchoredAt) / 1000) }),
    tx: t.exposeString("tx"),
    block: t.exposeString("block"),
  }),
});

VerdictRef.implement({
  description: "The verification verdict: VALID only when INTEGRITY, STATUS and ISSUER all passed.",
  fields: (t) => ({
    verdict: t.field({ type: builder.enumType("VerdictValue", { values: ["VALID", "INVALID"] as const }), resolve: (verdict) => verdict.verdict }),
    hash: t.exposeString("hash", { description: "The SHA-256 verified." }),
    // Every path to a verdict (verification, a document's verdict, a balance report's) discloses it here.
    checks: t.field({ type: [CheckRef], resolve: async (verdict, _args, { visibility }) => (await visibility!.disclosed(verdict)).checks }),
    anchor: t.field({
      type: VerdictAnchorRef,
      nullable: true,
      resolve: async (verdict, _args, { visibility }) => (await visibility!.disclosed(verdict)).anchor ?? null,
    }),
  }),
});

const DocumentFilter = builder.inputType("DocumentFilter", {
  fields: (t) => ({
    issuer: t.string(),
    kind: t.field({ type: DocumentKindEnum }),
    status: t.field({ type: DocumentStatusEnum }),
    id: t.string({ description: "The issuer's document id." }),
  }),
});

function hashArgument(value: string): Hash {
  try {
    return assertHash(value.toLowerCase(), "hash");
  } catch (error) {
    if (error instanceof TraceGateError) throw badInput(`${quoted(value)} is not a SHA-256 hash (0x and 64 hex digits)`);
    throw error;
  }
}

function proofArgument(text: string): BatchProofFile {
  try {
    return parseProofFile(text);
  } catch (error) {
    if (error instanceof ProofFileError) throw badInput(error.message);
    throw error;
  }
}

builder.queryFields((t) => ({
  document: t.field({
    type: DocumentRef,
    nullable: true,
    description: "One anchored document version by its SHA-256; null when none is anchored or the caller may not see it (the two answer alike).",
    authScopes: { authenticated: true },
    args: { hash: t.arg.string({ required: true }) },
    resolve: async (_root, { hash }, { loaders, visibility }) => {
      const document = await loaders.document.load(hashArgument(hash));
      return document !== undefined && (await visibility!.canSeeDocument(document)) ? document : null;
    },
  }),
  documents: t.connection(
    {
      type: DocumentRef,
      description: "Anchored documents by filter. Customs lists all; anyone else what its organisation issued.",
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: DocumentFilter }) },
      resolve: (_root, args, { db, viewer, loaders }) =>
        connection(
          args,
          textKey((document: AnchoredDocument) => document.hash),
          async (page) => loaders.documents(await findDocuments(db, viewer!, args.filter ?? {}, page)),
        ),
    },
    { name: "DocumentConnection" },
    { name: "DocumentEdge" },
  ),
  verifyDocument: t.field({
    type: VerdictRef,
    description:
      "Verifies a document by its SHA-256 (hashed by the caller: the file never leaves it), or a batch member by its proof file (JSON text), with the file's hash when the caller has the file.",
    authScopes: { authenticated: true },
    args: { hash: t.arg.string(), proof: t.arg.string() },
    resolve: (_root, { hash, proof }, { verifier }) => {
      if (proof) return verifier.verifyProof(proofArgument(proof), hash ? hashArgument(hash) : undefined);
      if (!hash) throw badInput("give the document's hash, or its proof file");
      return verifier.verifyHash(hashArgument(hash));
    },
  }),
  verifyFile: t.field({
    type: VerdictRef,
    description: `Verifies an uploaded file (at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB), with its proof file (JSON text) if it belongs to a batch.`,
    authScopes: { authenticated: true },
    args: { file: t.arg({ type: "File", required: true }), proof: t.arg.string() },
    resolve: async (_root, { file, proof }, { verifier }) => {
      if (file.size > MAX_UPLOAD_BYTES) throw badInput(`the file is larger than ${MAX_UPLOAD_BYTES} bytes: verify it by its hash`);
      const bytes = new Uint8Array(await file.arrayBuffer());
      return proof ? verifier.verifyProof(proofArgument(proof), documentHash(bytes)) : verifier.verifyFile(bytes);
    },
  }),
}));
