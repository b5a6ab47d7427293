/**
 * The Fabric codec, shared by the chaincode and its clients: actions, ledger records and events as
 * JSON (bigints as decimal strings), and TraceGate errors carried in a chaincode error message.
 */
import {
  CUSTODY_ACTIONS,
  DIRECTIONS,
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  FACILITY_KINDS,
  ERROR_CODES,
  LOT_STATES,
  ORG_KINDS,
  ROLES,
  SEAL_ALERTS,
  BatchRefusedError,
  fail,
  MAX_BATCH_ACTIONS,
  TraceGateError,
  validateBatchSize,
  type Action,
  type Actor,
  type ErrorCode,
  type BatchAnchor,
  type DocumentAnchor,
  type Facility,
  type Hash,
  type LedgerEvent,
  type Lot,
  type Norm,
  type Organisation,
} from "../../domain/index.js";
import {
  anything,
  array,
  boolean,
  decimal,
  fromJson,
  hash,
  integer,
  nullable,
  object,
  oneOf,
  string,
  tagged,
  toJson,
  type Shape,
} from "../../domain/json-shapes.js";

export { toJson as encodeJson, fromJson as decodeJson, type Shape } from "../../domain/json-shapes.js";

const part = object({ lot: string, quantity: decimal });
const normInput = object({ material: string, quantity: decimal, wasteBps: integer });
/** A norm's fields but its owner: what registerNorm carries (the owner is the caller's organisation). */
const normFields = (hash: Shape<Hash>) => ({
  product: string,
  hsCode: string,
  unit: string,
  outputQuantity: decimal,
  inputs: array(normInput),
  document: hash,
});

/** An action as JSON, its hashes read by `hash` (the conformance vectors resolve named ones). */
export const actionShapeWith = (hash: Shape<Hash>): Shape<Action> =>
  tagged<Action>("type", {
    declare: object({
      type: oneOf(["declare"]),
      lot: string,
      goods: object({ material: string, hsCode: string, unit: string, quantity: decimal }),
      direction: oneOf(["IMPORT", "EXPORT"]),
      preferenceClaimed: boolean,
      permitRequired: boolean,
      declaration: hash,
    }),
    arrive: object({ type: oneOf(["arrive"]), lot: string, facility: string }),
    store: object({ type: oneOf(["store"]), lot: string, facility: string }),
    hold: object({ type: oneOf(["hold"]), lot: string, reason: string }),
    unhold: object({ type: oneOf(["unhold"]), lot: string }),
    clear: object({ type: oneOf(["clear"]), lot: string, co: nullable(hash), permit: nullable(hash) }),
    release: object({ type: oneOf(["release"]), lot: string }),
    depart: object({ type: oneOf(["depart"]), lot: string }),
    receive: object({ type: oneOf(["receive"]), lot: string, facility: string }),
    transform: object({ type: oneOf(["transform"]), product: string, inputs: array(part), outputs: array(part) }),
    split: object({ type: oneOf(["split"]), lot: string, parts: array(part) }),
    destroy: object({ type: oneOf(["destroy"]), lot: string, reason: string }),
    seal: object({ type: oneOf(["seal"]), lot: string, facility: string, seal: string, deadline: decimal, transit: hash }),
    unseal: object({ type: oneOf(["unseal"]), lot: string, facility: string, sealIntact: boolean, reason: string }),
    alert: object({ type: oneOf(["alert"]), lot: string, seal: string, alert: oneOf(SEAL_ALERTS), detail: string }),
    anchor: object({ type: oneOf(["anchor"]), hash, id: string, kind: oneOf(DOCUMENT_KINDS), cid: string, subjects: array(string) }),
    supersede: object({ type: oneOf(["supersede"]), previous: hash, hash, id: string, cid: string, subjects: array(string) }),
    revoke: object({ type: oneOf(["revoke"]), hash, reason: string }),
    anchorBatch: object({ type: oneOf(["anchorBatch"]), root: hash, kind: oneOf(DOCUMENT_KINDS), count: integer }),
    revokeBatchMember: object({ type: oneOf(["revokeBatchMember"]), root: hash, leaf: hash, proof: array(hash), reason: string }),
    registerNorm: object({ type: oneOf(["registerNorm"]), ...normFields(hash) }),
  });

export const actionShape = actionShapeWith(hash);

/**
 * The longest action argument the chaincode reads. Every field of an action is bounded
 * (domain/validate.ts), so the largest valid one — a transform of 32 inputs and 32 outputs, or a batch
 * revocation with a 32-step proof and a 500-byte reason, every character escaped — is under 8 KiB
 * (test/fabric/action-size.test.ts); a longer argument is refused before it is parsed. Like the
 * EVM's block gas limit, it bounds what no valid action comes near.
 */
export const MAX_ACTION_JSON_BYTES = 16 * 1024;

/** An action as the chaincode receives it: bounded in size (TEXT_TOO_LONG), then strictly decoded. */
export function decodeAction(json: string): Action {
  refuseLongerThanAnyAction(json);
  return fromJson(actionShape, json);
}

function refuseLongerThanAnyAction(json: string): void {
  const length = Buffer.byteLength(json, "utf8");
  if (length > MAX_ACTION_JSON_BYTES) {
    fail("TEXT_TOO_LONG", `the action is ${length} bytes of JSON, more than the ${MAX_ACTION_JSON_BYTES} any valid action fits in`, {
      field: "action",
      length: String(length),
      maximum: String(MAX_ACTION_JSON_BYTES),
    });
  }
}

/** A batch as the chaincode's `Batch` receives it: a JSON array of 1 to MAX_BATCH_ACTIONS actions, each as `Submit` takes it. */
export function decodeBatch(json: string): Action[] {
  const length = Buffer.byteLength(json, "utf8");
  const maximum = MAX_BATCH_ACTIONS * MAX_ACTION_JSON_BYTES;
  if (length > maximum) {
    fail("TEXT_TOO_LONG", `the batch is ${length} bytes of JSON, more than the ${maximum} any valid batch fits in`, {
      field: "actions",
      length: String(length),
      maximum: String(maximum),
    });
  }
  const actions = fromJson(array(anything), json);
  validateBatchSize(actions);
  return actions.map((raw, index) => {
    try {
      // Decoded before it is measured: its shape bounds its depth, so writing it back cannot overflow the stack.
      const action = actionShape(raw, "");
      refuseLongerThanAnyAction(toJson(action));
      return action;
    } catch (error) {
      throw error instanceof TraceGateError ? new BatchRefusedError(index, error) : error;
    }
  });
}

/** The name of the one chaincode event an atomic batch sets (a single action's is its event's type). */
export const BATCH_EVENT = "batch";

/** A chaincode event's payload as events: a batch's event (`batch`) carries its actions' events in order. */
export function decodeChaincodeEvents(payload: string): LedgerEvent[] {
  return fromJson((value, path) => (Array.isArray(value) ? array(ledgerEventShape)(value, path) : [ledgerEventShape(value, path)]), payload);
}

export const organisationShape: Shape<Organisation> = object({ id: string, kind: oneOf(ORG_KINDS) });
export const facilityShape: Shape<Facility> = object({ id: string, kind: oneOf(FACILITY_KINDS), operator: string });

/** A lot's fields as JSON, its hashes read by `hashShape` (the conformance vectors resolve named ones). */
export const lotFields = (hashShape: Shape<Hash> = hash) => ({
  id: string,
  material: string,
  hsCode: string,
  unit: string,
  quantity: decimal,
  owner: string,
  custodian: string,
  location: string,
  state: oneOf(LOT_STATES),
  priorState: oneOf(LOT_STATES),
  direction: oneOf(DIRECTIONS),
  preferenceClaimed: boolean,
  permitRequired: boolean,
  declaration: nullable(hashShape),
  seal: string,
  destination: string,
  deadline: decimal,
});

export const lotShape: Shape<Lot> = object(lotFields());

/**
 * The transaction that wrote a key, as the key's history gives it to chaincode: its id and timestamp
 * (the ledger time). Chaincode cannot see its block; clients learn it from the transaction's commit status.
 */
export interface WritingTransaction {
  txId: string;
  time: bigint;
}

const writingTransaction = { txId: string, time: decimal };

/** One write of a lot in the ledger's history: the transaction, its time, the lot as written. */
export interface LotChange extends WritingTransaction {
  lot: Lot | null;
}

export const lotHistoryShape: Shape<LotChange[]> = array(object({ ...writingTransaction, lot: nullable(lotShape) }));

/** An anchored document's fields as JSON but its time, its hashes read by `hashShape`. */
export const anchorFields = (hashShape: Shape<Hash> = hash) => ({
  hash: hashShape,
  id: string,
  kind: oneOf(DOCUMENT_KINDS),
  cid: string,
  issuer: string,
  subjects: array(string),
  version: integer,
  supersedes: nullable(hashShape),
  supersededBy: nullable(hashShape),
  status: oneOf(DOCUMENT_STATUSES),
});

export const documentShape: Shape<DocumentAnchor> = object({ ...anchorFields(), anchoredAt: decimal });

export const batchShape: Shape<BatchAnchor> = object({ root: hash, kind: oneOf(DOCUMENT_KINDS), issuer: string, count: integer, anchoredAt: decimal });

/** A revocation's reason, which the chaincode keeps, and the transaction that revoked. */
export interface RevocationRecord {
  reason: string;
  revokedIn: WritingTransaction;
}

/** A document with the transactions that anchored it and, if it is revoked, revoked it. */
export interface DocumentRecord {
  document: DocumentAnchor;
  anchoredIn: WritingTransaction;
  revocation: RevocationRecord | null;
}

export interface BatchRecord {
  batch: BatchAnchor;
  anchoredIn: WritingTransaction;
}

export const revocationRecordShape: Shape<RevocationRecord> = object({ reason: string, revokedIn: object(writingTransaction) });
export const documentRecordShape: Shape<DocumentRecord> = object({
  document: documentShape,
  anchoredIn: object(writingTransaction),
  revocation: nullable(revocationRecordShape),
});
export const batchRecordShape: Shape<BatchRecord> = object({ batch: batchShape, anchoredIn: object(writingTransaction) });
export const actorShape: Shape<Actor> = object({ org: string, role: oneOf(ROLES) });

export const normShape: Shape<Norm> = object({ owner: string, ...normFields(hash) });

export const ledgerEventShape: Shape<LedgerEvent> = tagged<LedgerEvent>("type", {
  custody: object({
    type: oneOf(["custody"]),
    action: oneOf(CUSTODY_ACTIONS),
    actor: string,
    facility: string,
    documents: array(hash),
    reason: string,
    deviations: array(object({ material: string, expected: decimal, consumed: decimal })),
    flagged: boolean,
    consumed: array(part),
    transitions: array(object({ from: oneOf(LOT_STATES), lot: lotShape })),
    time: decimal,
  }),
  documentAnchored: object({ type: oneOf(["documentAnchored"]), document: documentShape, time: decimal }),
  documentRevoked: object({ type: oneOf(["documentRevoked"]), hash, issuer: string, reason: string, time: decimal }),
  batchAnchored: object({ type: oneOf(["batchAnchored"]), batch: batchShape, time: decimal }),
  batchMemberRevoked: object({
    type: oneOf(["batchMemberRevoked"]),
    root: hash,
    leaf: hash,
    issuer: string,
    kind: oneOf(DOCUMENT_KINDS),
    reason: string,
    time: decimal,
  }),
  normRegistered: object({ type: oneOf(["normRegistered"]), norm: normShape, time: decimal }),
});

/** A ledger read's answer: the record's JSON, or "" when there is none. */
export function decodeOptional<T>(shape: Shape<T>, json: string): T | undefined {
  return json === "" ? undefined : fromJson(shape, json);
}

export function encodeOptional(value: unknown): string {
  return value === undefined ? "" : toJson(value);
}

const CODED_MESSAGE = new RegExp(`\\b(${ERROR_CODES.join("|")}): (.*)$`, "s");
/** What BatchRefusedError puts before the refused action's own message. */
const BATCH_ACTION = /^batch action (\d+): (.*)$/s;
/** The next step TraceGateError appends to its message; stripped so that it is not repeated. */
const NEXT_STEP = / \([^()]*\)$/;

/**
 * The TraceGateError in a chaincode error message (the chaincode fails with the error's message,
 * which starts with its code), or undefined when the message carries no TraceGate code.
 */
export function decodeError(message: string): TraceGateError | undefined {
  const match = CODED_MESSAGE.exec(message);
  if (match === null) return undefined;
  const string = match[2]!.replace(NEXT_STEP, "");
  const batch = BATCH_ACTION.exec(string);
  if (batch === null) return new TraceGateError(match[1] as ErrorCode, string);
  return new BatchRefusedError(Number(batch[1]), new TraceGateError(match[1] as ErrorCode, batch[2]!));
}
