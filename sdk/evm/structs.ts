/**
 * Lots and norms between the domain and the ABI, and their hashes computed exactly as the contracts
 * store them: `keccak256(abi.encode(lot))` and `keccak256(abi.encode(uint32 owner, norm))`.
 */
import { ParamType, ZeroHash } from "ethers";
import { DIRECTIONS, LOT_STATES, type Hash, type Id, type Lot, type Norm, type NormInput, type QuantityPart } from "../../domain/index.js";
import { abiHasher } from "./abi-encoder.js";
import { contractInterface } from "./artifacts.js";
import type { DecodedTuple } from "./log-decoder.js";
import {
  decodeHash,
  decodeId,
  decodeOptionalHash,
  decodeOptionalId,
  encodeHash,
  encodeId,
  encodeOptionalHash,
  encodeOptionalId,
  enumIndex,
  enumValue,
  type MalformedValueSink,
} from "./ids.js";
import type { OrganisationDirectory } from "./organisations.js";

/** The contracts' `Lot` struct. */
export interface AbiLot {
  id: string;
  material: string;
  hsCode: string;
  unit: string;
  quantity: bigint;
  owner: number;
  custodian: number;
  location: string;
  state: number;
  priorState: number;
  direction: number;
  preferenceClaimed: boolean;
  permitRequired: boolean;
  declaration: string;
  seal: string;
  destination: string;
  deadline: bigint;
}

/** The contracts' `Norm` struct: the domain Norm without its owner (the key it is stored under). */
export interface AbiNorm {
  product: string;
  hsCode: string;
  unit: string;
  outputQuantity: bigint;
  inputs: { material: string; quantity: bigint; wasteBps: number }[];
  document: string;
}

/** The contracts' `Part` struct. */
export interface AbiPart {
  lot: string;
  quantity: bigint;
}

const UINT32 = ParamType.from("uint32");

function structType(contract: "CustodyRegistry" | "TraceGateRegistry", event: string, param: string): ParamType {
  const type = contractInterface(contract)
    .getEvent(event)
    ?.inputs.find((input) => input.name === param);
  if (type === undefined) throw new Error(`${contract} has no event ${event} with a parameter ${param}`);
  return type;
}

const lotType = () => structType("CustodyRegistry", "CustodyRecorded", "next");
const normType = () => structType("TraceGateRegistry", "NormRegistered", "norm");

export function encodeLot(lot: Lot, orgs: OrganisationDirectory): AbiLot {
  return {
    id: encodeId(lot.id, "lot.id"),
    material: encodeId(lot.material, "lot.material"),
    hsCode: encodeId(lot.hsCode, "lot.hsCode"),
    unit: encodeId(lot.unit, "lot.unit"),
    quantity: lot.quantity,
    owner: orgs.indexOf(lot.owner),
    custodian: orgs.indexOf(lot.custodian),
    location: encodeOptionalId(lot.location, "lot.location"),
    state: enumIndex(LOT_STATES, lot.state),
    priorState: enumIndex(LOT_STATES, lot.priorState),
    direction: enumIndex(DIRECTIONS, lot.direction),
    preferenceClaimed: lot.preferenceClaimed,
    permitRequired: lot.permitRequired,
    declaration: encodeOptionalHash(lot.declaration, "lot.declaration"),
    seal: encodeOptionalId(lot.seal, "lot.seal"),
    destination: encodeOptionalId(lot.destination, "lot.destination"),
    deadline: lot.deadline,
  };
}

/** What a caller sends for a lot it believes does not exist: only the id is read (UNKNOWN_LOT). */
export function absentLot(id: Id): AbiLot {
  return {
    id: encodeId(id, "lot"),
    material: ZeroHash,
    hsCode: ZeroHash,
    unit: ZeroHash,
    quantity: 0n,
    owner: 0,
    custodian: 0,
    location: ZeroHash,
    state: 0,
    priorState: 0,
    direction: 0,
    preferenceClaimed: false,
    permitRequired: false,
    declaration: ZeroHash,
    seal: ZeroHash,
    destination: ZeroHash,
    deadline: 0n,
  };
}

/**
 * A lot an event carries; `malformed` hears of ids the domain's format refuses (see decodeId). A lot
 * of an event emitted before transit under seal (legacy-events.ts) has no transit fields: it was not in transit.
 */
export function decodeLot(value: DecodedTuple, orgs: OrganisationDirectory, malformed?: MalformedValueSink): Lot {
  const lot = value.toObject();
  return {
    id: decodeId(lot.id, malformed),
    material: decodeId(lot.material, malformed),
    hsCode: decodeId(lot.hsCode, malformed),
    unit: decodeId(lot.unit, malformed),
    quantity: lot.quantity,
    owner: orgs.idOf(lot.owner),
    custodian: orgs.idOf(lot.custodian),
    location: decodeOptionalId(lot.location, malformed),
    state: enumValue(LOT_STATES, lot.state),
    priorState: enumValue(LOT_STATES, lot.priorState),
    direction: enumValue(DIRECTIONS, lot.direction),
    preferenceClaimed: lot.preferenceClaimed,
    permitRequired: lot.permitRequired,
    declaration: decodeOptionalHash(lot.declaration),
    seal: lot.seal === undefined ? "" : decodeOptionalId(lot.seal, malformed),
    destination: lot.destination === undefined ? "" : decodeOptionalId(lot.destination, malformed),
    deadline: lot.deadline ?? 0n,
  };
}

// Compiled on first use: the types come from the contracts' artifacts.
let hashLot: ((values: readonly unknown[]) => string) | undefined;
let hashNorm: ((values: readonly unknown[]) => string) | undefined;

/** `keccak256(abi.encode(lot))`: what CustodyRegistry stores as the lot's state. */
export function lotHash(lot: Lot, orgs: OrganisationDirectory): Hash {
  hashLot ??= abiHasher([lotType()]);
  return hashLot([encodeLot(lot, orgs)]) as Hash;
}

/** A norm's terms, as registered and as sent to transform (without the owner). */
export function encodeNorm(norm: Omit<Norm, "owner">): AbiNorm {
  return {
    product: encodeId(norm.product, "product"),
    hsCode: encodeId(norm.hsCode, "hsCode"),
    unit: encodeId(norm.unit, "unit"),
    outputQuantity: norm.outputQuantity,
    inputs: norm.inputs.map((input) => ({
      material: encodeId(input.material, "inputs.material"),
      quantity: input.quantity,
      wasteBps: input.wasteBps,
    })),
    document: encodeHash(norm.document, "document"),
  };
}

/** What a caller sends to transform when it knows no norm for the product (UNKNOWN_NORM). */
export const ABSENT_NORM: AbiNorm = {
  product: ZeroHash,
  hsCode: ZeroHash,
  unit: ZeroHash,
  outputQuantity: 0n,
  inputs: [],
  document: ZeroHash,
};

export function decodeNorm(owner: Id, value: DecodedTuple, malformed?: MalformedValueSink): Norm {
  const norm = value.toObject();
  return {
    owner,
    product: decodeId(norm.product, malformed),
    hsCode: decodeId(norm.hsCode, malformed),
    unit: decodeId(norm.unit, malformed),
    outputQuantity: norm.outputQuantity,
    inputs: (norm.inputs as DecodedTuple[]).map(
      (input): NormInput => ({
        material: decodeId(input.getValue("material"), malformed),
        quantity: input.getValue("quantity"),
        wasteBps: Number(input.getValue("wasteBps")),
      }),
    ),
    document: decodeHash(norm.document),
  };
}

/** `keccak256(abi.encode(uint32 owner, norm))`: what the registry stores for the owner's product norm. */
export function normHash(norm: Norm, orgs: OrganisationDirectory): Hash {
  hashNorm ??= abiHasher([UINT32, normType()]);
  return hashNorm([orgs.indexOf(norm.owner), encodeNorm(norm)]) as Hash;
}

export function encodePart(part: QuantityPart, field: string): AbiPart {
  return { lot: encodeId(part.lot, field), quantity: part.quantity };
}

export function decodePart(value: DecodedTuple, malformed?: MalformedValueSink): QuantityPart {
  return { lot: decodeId(value.getValue("lot"), malformed), quantity: value.getValue("quantity") };
}
