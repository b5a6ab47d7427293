/**
 * The vocabulary of TraceGate. Enum arrays are ordered: a value's index is its number on the EVM
 * (Solidity enums) and in events, so append only.
 */

export const ORG_KINDS = ["CUSTOMS", "ENTERPRISE", "WAREHOUSE", "ISSUER"] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Roles a member account holds inside its organisation. */
export const ROLES = ["ADMIN", "OFFICER", "AUDITOR", "OPERATOR", "SIGNER"] as const;
export type Role = (typeof ROLES)[number];

/** Which roles each organisation kind may grant its members (enforced by the registry). */
export const ROLES_BY_ORG_KIND: Record<OrgKind, readonly Role[]> = {
  CUSTOMS: ["ADMIN", "OFFICER", "AUDITOR", "SIGNER"],
  ENTERPRISE: ["OPERATOR", "SIGNER"],
  WAREHOUSE: ["OPERATOR", "SIGNER"],
  ISSUER: ["SIGNER"],
};

export const FACILITY_KINDS = ["BORDER_GATE", "WAREHOUSE", "FACTORY"] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export const DOCUMENT_KINDS = [
  "DECLARATION",
  "MANIFEST",
  "CO",
  "PERMIT",
  "INSPECTION",
  "CLEARANCE",
  "NORM",
  "BALANCE_REPORT",
  "TRANSIT",
  "SEAL_TRACK",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_STATUSES = ["VALID", "SUPERSEDED", "REVOKED"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Index 0 is "no state": a lot that does not exist yet, or a HELD lot's empty prior state. */
export const LOT_STATES = [
  "NONE",
  "DECLARED",
  "ARRIVED",
  "IN_WAREHOUSE",
  "HELD",
  "CLEARED",
  "RELEASED",
  "EXPORTED",
  "IN_PRODUCTION",
  "PRODUCED",
  "SPLIT",
  "DESTROYED",
  "IN_TRANSIT",
] as const;
export type LotState = (typeof LOT_STATES)[number];

export const DIRECTIONS = ["NONE", "IMPORT", "EXPORT"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const CUSTODY_ACTIONS = [
  "declare",
  "arrive",
  "store",
  "hold",
  "unhold",
  "clear",
  "release",
  "depart",
  "receive",
  "transform",
  "split",
  "destroy",
  "seal",
  "unseal",
  "alert",
] as const;
export type CustodyActionType = (typeof CUSTODY_ACTIONS)[number];

/**
 * What an electronic seal reports during a transit: opened (the seal's wire cut or its lock forced), a
 * deviation from the declared route, a stop longer than the corridor allows, a battery running low.
 */
export const SEAL_ALERTS = ["OPENED", "ROUTE_DEVIATION", "LONG_STOP", "LOW_BATTERY"] as const;
export type SealAlert = (typeof SEAL_ALERTS)[number];

/** A stable identifier: 1 to 31 printable ASCII characters (it fits a bytes32 on the EVM). */
export type Id = string;
/** A 32-byte hash as 0x-prefixed lowercase hex (a document's SHA-256, a Merkle root). */
export type Hash = `0x${string}`;
/** Ledger time in seconds since the Unix epoch. */
export type LedgerTime = bigint;

export interface Organisation {
  id: Id;
  kind: OrgKind;
}

/** Whoever submits an action, as the ledger established it (EVM account, Fabric certificate). */
export interface Actor {
  org: Id;
  role: Role;
}

export interface Facility {
  id: Id;
  kind: FacilityKind;
  operator: Id;
}

export interface DocumentAnchor {
  hash: Hash;
  id: Id;
  kind: DocumentKind;
  cid: string;
  issuer: Id;
  subjects: Id[];
  version: number;
  supersedes: Hash | null;
  supersededBy: Hash | null;
  status: DocumentStatus;
  anchoredAt: LedgerTime;
}

export interface BatchAnchor {
  root: Hash;
  kind: DocumentKind;
  issuer: Id;
  count: number;
  anchoredAt: LedgerTime;
}

export interface NormInput {
  material: Id;
  /** Net quantity of material consumed to make `outputQuantity` units of product. */
  quantity: bigint;
  /** Allowed waste on top of the net quantity, in basis points (1/100 of a percent). */
  wasteBps: number;
}

/** A registered consumption norm (bill of materials) of one enterprise for one product. */
export interface Norm {
  owner: Id;
  product: Id;
  hsCode: Id;
  unit: Id;
  outputQuantity: bigint;
  inputs: NormInput[];
  document: Hash;
}

export interface Lot {
  id: Id;
  material: Id;
  hsCode: Id;
  unit: Id;
  quantity: bigint;
  owner: Id;
  custodian: Id;
  /** Facility where the goods are; "" before arrival. */
  location: Id | "";
  state: LotState;
  /** State to return to on unhold; NONE unless HELD. */
  priorState: LotState;
  direction: Direction;
  preferenceClaimed: boolean;
  permitRequired: boolean;
  declaration: Hash | null;
  /** Under customs seal in transit (IN_TRANSIT, or HELD on the way): the seal's id; "" otherwise. */
  seal: Id | "";
  /** Where the sealed lot must arrive: a facility id; "" when not in transit. */
  destination: Id | "";
  /** Ledger time by which the sealed lot must arrive; 0 when not in transit. */
  deadline: LedgerTime;
}

export interface QuantityPart {
  lot: Id;
  quantity: bigint;
}

/** Per material: what the norm allows for the output versus what the inputs consumed. */
export interface NormDeviation {
  material: Id;
  expected: bigint;
  consumed: bigint;
}
