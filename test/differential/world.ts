/**
 * A small fixed world for random action sequences: few lots, facilities and documents, so random
 * choices collide often and reach deep states.
 */
import { documentHash, type Action, type Actor, type DocumentKind, type Facility, type Hash, type NormInput, type Organisation } from "../../domain/index.js";

export const ORGANISATIONS: Organisation[] = [
  { id: "CUSTOMS", kind: "CUSTOMS" },
  { id: "GARMENT", kind: "ENTERPRISE" },
  { id: "ELECTRO", kind: "ENTERPRISE" },
  { id: "TERMINAL", kind: "WAREHOUSE" },
  { id: "VCCI", kind: "ISSUER" },
];

export const FACILITIES: Facility[] = [
  { id: "GATE-HUUNGHI", kind: "BORDER_GATE", operator: "CUSTOMS" },
  { id: "GATE-CATLAI", kind: "BORDER_GATE", operator: "TERMINAL" },
  { id: "BONDED-WH", kind: "WAREHOUSE", operator: "TERMINAL" },
  // A second warehouse, of another operator: a transit under seal goes from one facility to a warehouse.
  { id: "ICD-GARMENT", kind: "WAREHOUSE", operator: "GARMENT" },
  { id: "FACTORY-G", kind: "FACTORY", operator: "GARMENT" },
  { id: "FACTORY-E", kind: "FACTORY", operator: "ELECTRO" },
];

export const ACTORS: Actor[] = [
  { org: "CUSTOMS", role: "OFFICER" },
  { org: "CUSTOMS", role: "AUDITOR" },
  { org: "CUSTOMS", role: "SIGNER" },
  { org: "GARMENT", role: "OPERATOR" },
  { org: "GARMENT", role: "SIGNER" },
  { org: "ELECTRO", role: "OPERATOR" },
  { org: "ELECTRO", role: "SIGNER" },
  { org: "TERMINAL", role: "OPERATOR" },
  { org: "TERMINAL", role: "SIGNER" },
  { org: "VCCI", role: "SIGNER" },
  { org: "GHOST", role: "OPERATOR" },
];

export const MATERIALS = ["FABRIC", "THREAD", "CHIP"] as const;
export const PRODUCTS = ["SHIRT", "BOARD"] as const;

export interface WorldDocument {
  name: string;
  kind: DocumentKind;
  issuer: string;
  hash: Hash;
}

function document(name: string, kind: DocumentKind, issuer: string): WorldDocument {
  return { name, kind, issuer, hash: documentHash(`world document ${name}`) };
}

/** Anchored during setup, in this order. */
export const SETUP_DOCUMENTS: WorldDocument[] = [
  document("decl-g1", "DECLARATION", "GARMENT"),
  document("decl-g2", "DECLARATION", "GARMENT"),
  document("decl-e1", "DECLARATION", "ELECTRO"),
  document("co-1", "CO", "VCCI"),
  document("co-2", "CO", "VCCI"),
  document("permit-1", "PERMIT", "VCCI"),
  document("manifest-1", "MANIFEST", "TERMINAL"),
  document("norm-g", "NORM", "GARMENT"),
  document("norm-e", "NORM", "ELECTRO"),
  document("transit-g", "TRANSIT", "GARMENT"),
  document("transit-c", "TRANSIT", "CUSTOMS"),
];

export interface WorldNorm {
  owner: string;
  product: (typeof PRODUCTS)[number];
  hsCode: string;
  unit: string;
  outputQuantity: bigint;
  inputs: NormInput[];
  document: string;
}

export const SETUP_NORMS: WorldNorm[] = [
  {
    owner: "GARMENT",
    product: "SHIRT",
    hsCode: "62052000",
    unit: "PCE",
    outputQuantity: 10n,
    inputs: [
      { material: "FABRIC", quantity: 12n, wasteBps: 500 },
      { material: "THREAD", quantity: 3n, wasteBps: 0 },
    ],
    document: "norm-g",
  },
  {
    owner: "ELECTRO",
    product: "BOARD",
    hsCode: "85340000",
    unit: "PCE",
    outputQuantity: 1n,
    inputs: [{ material: "CHIP", quantity: 4n, wasteBps: 250 }],
    document: "norm-e",
  },
];

function declaration(name: string): Hash {
  return SETUP_DOCUMENTS.find((doc) => doc.name === name)!.hash;
}

/** Lots on the ledger before the random steps begin. */
const SETUP_DECLARATIONS: Array<{ actor: Actor; action: Action }> = [
  ["GARMENT", "LOT-A", "FABRIC", "52085200", 1200n, true, false, "decl-g1"],
  ["GARMENT", "LOT-B", "THREAD", "52041100", 300n, false, true, "decl-g2"],
  ["ELECTRO", "LOT-C", "CHIP", "85423100", 800n, false, false, "decl-e1"],
].map(([org, lot, material, hsCode, quantity, preferenceClaimed, permitRequired, doc]) => ({
  actor: { org: org as string, role: "OPERATOR" },
  action: {
    type: "declare",
    lot: lot as string,
    goods: { material: material as string, hsCode: hsCode as string, unit: "KGM", quantity: quantity as bigint },
    direction: "IMPORT",
    preferenceClaimed: preferenceClaimed as boolean,
    permitRequired: permitRequired as boolean,
    declaration: declaration(doc as string),
  },
}));

/** The setup as a list of actions (documents, norms, first lots), for any ledger. */
export function setupActions(): Array<{ actor: Actor; action: Action }> {
  const anchors = SETUP_DOCUMENTS.map((doc) => ({
    actor: { org: doc.issuer, role: "SIGNER" as const },
    action: { type: "anchor" as const, hash: doc.hash, id: doc.name.toUpperCase(), kind: doc.kind, cid: `bafy-${doc.name}`, subjects: [] },
  }));
  const norms = SETUP_NORMS.map(({ owner, document: name, ...norm }) => ({
    actor: { org: owner, role: "SIGNER" as const },
    action: { type: "registerNorm" as const, ...norm, document: declaration(name) },
  }));
  return [...anchors, ...norms, ...SETUP_DECLARATIONS];
}
