/** Domain actions as contract calls. */
import {
  CUSTODY_ACTIONS,
  DIRECTIONS,
  DOCUMENT_KINDS,
  SEAL_ALERTS,
  validateAction,
  type Action,
  type Actor,
  type CustodyActionType,
  type DocumentAction,
  type Id,
  type Lot,
  type Norm,
} from "../../domain/index.js";
import { encodeCall } from "./abi-encoder.js";
import { contractInterface, type TraceGateContractName } from "./artifacts.js";
import { encodeHash, encodeId, encodeOptionalHash, enumIndex } from "./ids.js";
import type { OrganisationDirectory } from "./organisations.js";
import { ABSENT_NORM, absentLot, encodeLot, encodeNorm, encodePart, type AbiLot } from "./structs.js";

/** What the caller knows of the ledger: the current state custody calls must send. */
export interface CallContext {
  orgs: OrganisationDirectory;
  /** The lot's current state, or undefined when it does not exist. */
  lot(id: Id): Lot | undefined;
  /** The owner's current norm for the product, or undefined when none is registered. */
  norm(owner: Id, product: Id): Norm | undefined;
}

/** A call to make: to which contract, with which calldata. */
export interface ContractCall {
  contract: TraceGateContractName;
  data: string;
}

/** Custody functions are named after their action, but for `receive` (a reserved name in Solidity). */
const CUSTODY_FUNCTIONS: Record<CustodyActionType, string> = {
  declare: "declare",
  arrive: "arrive",
  store: "store",
  hold: "hold",
  unhold: "unhold",
  clear: "clear",
  release: "release",
  depart: "depart",
  receive: "receiveIntoProduction",
  transform: "transform",
  split: "split",
  destroy: "destroy",
  seal: "seal",
  unseal: "unseal",
  alert: "alert",
};

/**
 * The call that performs `action` for `actor`. The arguments are validated first, like the domain
 * ledger does (TraceGateError); custody calls carry the current state of the lots (and norm) they read.
 */
export function encodeAction(actor: Actor, action: Action, context: CallContext): ContractCall {
  validateAction(action);
  if (isDocumentAction(action)) {
    return { contract: "TraceGateRegistry", data: encode("TraceGateRegistry", action.type, documentArguments(action)) };
  }
  const name = CUSTODY_FUNCTIONS[action.type];
  return { contract: "CustodyRegistry", data: encode("CustodyRegistry", name, custodyArguments(actor, action, context)) };
}

function encode(contract: TraceGateContractName, name: string, args: unknown[]): string {
  return encodeCall(contractInterface(contract), name, args);
}

function isDocumentAction(action: Action): action is DocumentAction {
  return !(CUSTODY_ACTIONS as readonly string[]).includes(action.type);
}

function custodyArguments(actor: Actor, action: Exclude<Action, DocumentAction>, context: CallContext): unknown[] {
  const current = (id: Id): AbiLot => {
    const lot = context.lot(id);
    return lot === undefined ? absentLot(id) : encodeLot(lot, context.orgs);
  };
  switch (action.type) {
    case "declare": {
      const existing = context.lot(action.lot);
      const declaration = {
        lot: encodeId(action.lot, "lot"),
        goods: {
          material: encodeId(action.goods.material, "goods.material"),
          hsCode: encodeId(action.goods.hsCode, "goods.hsCode"),
          unit: encodeId(action.goods.unit, "goods.unit"),
          quantity: action.goods.quantity,
        },
        direction: enumIndex(DIRECTIONS, action.direction),
        preferenceClaimed: action.preferenceClaimed,
        permitRequired: action.permitRequired,
        declaration: encodeHash(action.declaration, "declaration"),
      };
      return [declaration, existing === undefined ? [] : [encodeLot(existing, context.orgs)]];
    }
    case "arrive":
    case "store":
    case "receive":
      return [current(action.lot), encodeId(action.facility, "facility")];
    case "hold":
    case "destroy":
      return [current(action.lot), action.reason];
    case "unhold":
    case "release":
    case "depart":
      return [current(action.lot)];
    case "clear":
      return [current(action.lot), encodeOptionalHash(action.co, "co"), encodeOptionalHash(action.permit, "permit")];
    case "split":
      return [current(action.lot), action.parts.map((part) => encodePart(part, "parts.lot"))];
    case "seal":
      return [
        current(action.lot),
        encodeId(action.facility, "facility"),
        encodeId(action.seal, "seal"),
        action.deadline,
        encodeHash(action.transit, "transit"),
      ];
    case "unseal":
      return [current(action.lot), encodeId(action.facility, "facility"), action.sealIntact, action.reason];
    case "alert":
      return [current(action.lot), encodeId(action.seal, "seal"), enumIndex(SEAL_ALERTS, action.alert), action.detail];
    case "transform": {
      const norm = context.norm(actor.org, action.product);
      const transformation = {
        product: encodeId(action.product, "product"),
        inputs: action.inputs.map((part) => encodePart(part, "inputs.lot")),
        outputs: action.outputs.map((part) => encodePart(part, "outputs.lot")),
      };
      return [transformation, action.inputs.map((part) => current(part.lot)), norm === undefined ? ABSENT_NORM : encodeNorm(norm)];
    }
  }
}

function documentArguments(action: DocumentAction): unknown[] {
  switch (action.type) {
    case "anchor":
      return [
        encodeHash(action.hash),
        encodeId(action.id),
        enumIndex(DOCUMENT_KINDS, action.kind),
        action.cid,
        action.subjects.map((subject) => encodeId(subject, "subjects")),
      ];
    case "supersede":
      return [
        encodeHash(action.previous, "previous"),
        encodeHash(action.hash),
        encodeId(action.id),
        action.cid,
        action.subjects.map((subject) => encodeId(subject, "subjects")),
      ];
    case "revoke":
      return [encodeHash(action.hash), action.reason];
    case "anchorBatch":
      return [encodeHash(action.root, "root"), enumIndex(DOCUMENT_KINDS, action.kind), action.count];
    case "revokeBatchMember":
      return [encodeHash(action.root, "root"), encodeHash(action.leaf, "leaf"), action.proof.map((step) => encodeHash(step, "proof")), action.reason];
    case "registerNorm":
      return [encodeNorm(action)];
  }
}
