/**
 * The document rules: anchoring, amendment, revocation, Merkle batches and norm registration.
 * Checks run in this order on every ledger: arguments, referenced record, authorisation,
 * entitlement, status, uniqueness.
 */
import type { DocumentAction } from "./actions.js";
import { fail } from "./errors.js";
import { verifyBatchProof } from "./merkle.js";
import { requireDocument, requireValid } from "./document-guards.js";
import type { Actor, DocumentAnchor, DocumentKind, LedgerTime, OrgKind, Organisation } from "./types.js";
import {
  assertDistinct,
  assertDocumentHash,
  assertHash,
  assertId,
  assertQuantity,
  assertReason,
  MAX_CID_LENGTH,
  MAX_PARTS,
  MAX_PROOF_STEPS,
  MAX_WASTE_BPS,
} from "./validate.js";
import { memberOrganisation, type LedgerView, type Outcome } from "./view.js";

/** Which organisation kinds may issue each document kind: a rule of the ledger. */
export const ISSUERS_BY_DOCUMENT_KIND: Readonly<Record<DocumentKind, readonly OrgKind[]>> = {
  DECLARATION: ["ENTERPRISE"],
  MANIFEST: ["ENTERPRISE", "WAREHOUSE"],
  CO: ["ISSUER"],
  PERMIT: ["ISSUER"],
  INSPECTION: ["CUSTOMS", "ISSUER"],
  CLEARANCE: ["CUSTOMS"],
  NORM: ["ENTERPRISE"],
  BALANCE_REPORT: ["ENTERPRISE"],
  /** A transit declaration (conveyance, route, corridor): the declarant, or customs for goods it sends on. */
  TRANSIT: ["ENTERPRISE", "CUSTOMS"],
  /** A batch of an electronic seal's messages on one trip segment: customs' monitoring centre. */
  SEAL_TRACK: ["CUSTOMS"],
};

const CID_PATTERN = new RegExp(`^[\\x21-\\x7e]{1,${MAX_CID_LENGTH}}$`);

export async function decideDocument(view: LedgerView, actor: Actor, action: DocumentAction, time: LedgerTime): Promise<Outcome> {
  validateDocumentArguments(action);
  const org = await memberOrganisation(view, actor);
  switch (action.type) {
    case "anchor": {
      requireSigner(actor, org, actor.org);
      requireEntitled(org!, action.kind);
      await requireNew(view, action.hash);
      const document: DocumentAnchor = {
        hash: action.hash,
        id: action.id,
        kind: action.kind,
        cid: action.cid,
        issuer: actor.org,
        subjects: action.subjects,
        version: 1,
        supersedes: null,
        supersededBy: null,
        status: "VALID",
        anchoredAt: time,
      };
      return { lots: [], documents: [document], event: { type: "documentAnchored", document, time } };
    }

    case "supersede": {
      const previous = await view.document(action.previous);
      if (previous === undefined) fail("UNKNOWN_DOCUMENT", `${action.previous} is not anchored`, { hash: action.previous });
      requireSigner(actor, org, previous.issuer);
      requireValid(previous, "document to amend");
      await requireNew(view, action.hash);
      const document: DocumentAnchor = {
        hash: action.hash,
        id: action.id,
        kind: previous.kind,
        cid: action.cid,
        issuer: previous.issuer,
        subjects: action.subjects,
        version: previous.version + 1,
        supersedes: previous.hash,
        supersededBy: null,
        status: "VALID",
        anchoredAt: time,
      };
      const superseded: DocumentAnchor = { ...previous, status: "SUPERSEDED", supersededBy: action.hash };
      return { lots: [], documents: [superseded, document], event: { type: "documentAnchored", document, time } };
    }

    case "revoke": {
      const document = await view.document(action.hash);
      if (document === undefined) fail("UNKNOWN_DOCUMENT", `${action.hash} is not anchored`, { hash: action.hash });
      requireSigner(actor, org, document.issuer);
      requireValid(document, "document to revoke");
      return {
        lots: [],
        documents: [{ ...document, status: "REVOKED" }],
        event: { type: "documentRevoked", hash: document.hash, issuer: document.issuer, reason: action.reason, time },
      };
    }

    case "anchorBatch": {
      requireSigner(actor, org, actor.org);
      requireEntitled(org!, action.kind);
      if ((await view.batch(action.root)) !== undefined) {
        fail("DOCUMENT_EXISTS", `batch ${action.root} is already anchored`, { hash: action.root });
      }
      const batch = { root: action.root, kind: action.kind, issuer: actor.org, count: action.count, anchoredAt: time };
      return { lots: [], documents: [], batch, event: { type: "batchAnchored", batch, time } };
    }

    case "revokeBatchMember": {
      const batch = await view.batch(action.root);
      if (batch === undefined) fail("UNKNOWN_BATCH", `batch ${action.root} is not anchored`, { hash: action.root });
      requireSigner(actor, org, batch.issuer);
      if (!verifyBatchProof(action.root, action.leaf, action.proof)) {
        fail("INVALID_PROOF", `the proof does not place ${action.leaf} in batch ${action.root}`);
      }
      if (await view.isBatchMemberRevoked(action.root, action.leaf)) {
        fail("DOCUMENT_INVALID", `${action.leaf} in batch ${action.root} is already REVOKED`, { hash: action.leaf });
      }
      return {
        lots: [],
        documents: [],
        revokedBatchMember: { root: action.root, leaf: action.leaf },
        event: {
          type: "batchMemberRevoked",
          root: action.root,
          leaf: action.leaf,
          issuer: batch.issuer,
          kind: batch.kind,
          reason: action.reason,
          time,
        },
      };
    }

    case "registerNorm": {
      if (org?.kind !== "ENTERPRISE" || actor.role !== "SIGNER") {
        fail("NOT_AUTHORIZED", `only an enterprise's SIGNER registers norms, not ${actor.role} of ${actor.org}`);
      }
      const document = await requireDocument(view, action.document, "NORM", "norm document");
      if (document.issuer !== actor.org) {
        fail("DOCUMENT_ISSUER_MISMATCH", `norm document ${document.id} was issued by ${document.issuer}, not ${actor.org}`);
      }
      requireValid(document, "norm document");
      const { type: _type, ...fields } = action;
      const norm = { owner: actor.org, ...fields };
      return { lots: [], documents: [], norm, event: { type: "normRegistered", norm, time } };
    }
  }
}

/** Step 1: the action's own arguments, before anything is read from the ledger. */
export function validateDocumentArguments(action: DocumentAction): void {
  switch (action.type) {
    case "anchor":
    case "supersede":
      if (action.type === "supersede") assertHash(action.previous, "previous");
      // An empty document is refused here, not at revocation: one anchored before the rule can still be revoked.
      assertDocumentHash(action.hash, "hash");
      assertId(action.id, "id");
      if (!CID_PATTERN.test(action.cid)) {
        fail("INVALID_ARGUMENT", `cid must be 1 to ${MAX_CID_LENGTH} printable ASCII characters`, { field: "cid" });
      }
      if (action.subjects.length > MAX_PARTS) fail("INVALID_ARGUMENT", `at most ${MAX_PARTS} subjects`, { field: "subjects" });
      for (const subject of action.subjects) assertId(subject, "subjects");
      return;
    case "revoke":
      assertHash(action.hash, "hash");
      assertReason(action.reason);
      return;
    case "anchorBatch":
      assertHash(action.root, "root");
      if (!Number.isSafeInteger(action.count) || action.count < 1 || action.count > 0xffffffff) {
        fail("INVALID_ARGUMENT", "count must be a whole number from 1 to 2^32-1", { field: "count" });
      }
      return;
    case "revokeBatchMember":
      assertHash(action.root, "root");
      assertHash(action.leaf, "leaf");
      if (action.proof.length > MAX_PROOF_STEPS) fail("INVALID_ARGUMENT", `a proof has at most ${MAX_PROOF_STEPS} steps`, { field: "proof" });
      for (const step of action.proof) assertHash(step, "proof");
      assertReason(action.reason);
      return;
    case "registerNorm":
      assertId(action.product, "product");
      assertId(action.hsCode, "hsCode");
      assertId(action.unit, "unit");
      assertQuantity(action.outputQuantity, "outputQuantity");
      if (action.inputs.length < 1 || action.inputs.length > MAX_PARTS) {
        fail("INVALID_ARGUMENT", `inputs must have 1 to ${MAX_PARTS} entries`, { field: "inputs" });
      }
      for (const input of action.inputs) {
        assertId(input.material, "inputs.material");
        assertQuantity(input.quantity, "inputs.quantity");
        if (!Number.isInteger(input.wasteBps) || input.wasteBps < 0 || input.wasteBps > MAX_WASTE_BPS) {
          fail("INVALID_ARGUMENT", `wasteBps must be a whole number from 0 to ${MAX_WASTE_BPS}`, { field: "inputs.wasteBps" });
        }
      }
      assertDistinct(
        action.inputs.map((input) => input.material),
        "inputs.material",
      );
      assertHash(action.document, "document");
      return;
  }
}

/** A SIGNER of `issuer`: only an organisation's own signers act on its documents. */
function requireSigner(actor: Actor, org: Organisation | undefined, issuer: string): void {
  if (org === undefined || actor.role !== "SIGNER" || actor.org !== issuer) {
    fail("NOT_AUTHORIZED", `${actor.role} of ${actor.org} may not sign documents of ${issuer}`, { org: actor.org, role: actor.role });
  }
}

function requireEntitled(org: Organisation, kind: DocumentKind): void {
  if (!ISSUERS_BY_DOCUMENT_KIND[kind].includes(org.kind)) {
    fail("ISSUER_NOT_ENTITLED", `a ${org.kind} organisation may not issue a ${kind}`, { org: org.id, kind });
  }
}

async function requireNew(view: LedgerView, hash: DocumentAnchor["hash"]): Promise<void> {
  if ((await view.document(hash)) !== undefined) fail("DOCUMENT_EXISTS", `${hash} is already anchored`, { hash });
}
