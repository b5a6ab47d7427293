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
  type LedgerEvent,
  type Lot,
  type Norm,
  type Organisation,
} from "../../domain/index.js";
import { bool, fromJson, hash, integer, list, nullable, number, oneOf, record, tagged, text, toJson, type Shape } from "../../domain/json-shapes.js";

export { toJson as encodeJson, fromJson as decodeJson, type Shape } from "../../domain/json-shapes.js";

const part = record({ lot: text, quantity: integer });
const normInput = record({ material: text, quantity: integer, wasteBps: number });
/** A norm's fields but its owner: what registerNorm carries (the owner is the caller's organisation). */
const normFields = { product: text, hsCode: text, unit: text, outputQuantity: integer, inputs: list(normInput), document: hash };

export const actionShape: Shape<Action> = tagged<Action>({
  declare: record({
    type: oneOf(["declare"]),
    lot: text,
    goods: record({ material: text, hsCode: text, unit: text, quantity: integer }),
    direction: oneOf(["IMPORT", "EXPORT"]),
    preferenceClaimed: bool,
    permitRequired: bool,
    declaration: hash,
  }),
  arrive: record({ type: oneOf(["arrive"]), lot: text, facility: text }),
  store: record({ type: oneOf(["store"]), lot: text, facility: text }),
  hold: record({ type: oneOf(["hold"]), lot: text, reason: text }),
  unhold: record({ type: oneOf(["unhold"]), lot: text }),
  clear: record({ type: oneOf(["clear"]), lot: text, co: nullable(hash), permit: nullable(hash) }),
  release: record({ type: oneOf(["release"]), lot: text }),
  depart: record({ type: oneOf(["depart"]), lot: text }),
  receive: record({ type: oneOf(["receive"]), lot: text, facility: text }),
  transform: record({ type: oneOf(["transform"]), product: text, inputs: list(part), outputs: list(part) }),
  split: record({ type: oneOf(["split"]), lot: text, parts: list(part) }),
  destroy: record({ type: oneOf(["destroy"]), lot: text, reason: text }),
  anchor: record({ type: oneOf(["anchor"]), hash, id: text, kind: oneOf(DOCUMENT_KINDS), cid: text, subjects: list(text) }),
  supersede: record({ type: oneOf(["supersede"]), previous: hash, hash, id: text, cid: text, subjects: list(text) }),
  revoke: record({ type: oneOf(["revoke"]), hash, reason: text }),
  anchorBatch: record({ type: oneOf(["anchorBatch"]), root: hash, kind: oneOf(DOCUMENT_KINDS), count: number }),
  revokeBatchMember: record({ type: oneOf(["revokeBatchMember"]), root: hash, leaf: hash, proof: list(hash), reason: text }),
  registerNorm: record({ type: oneOf(["registerNorm"]), ...normFields }),
});

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
  const length = Buffer.byteLength(json, "utf8");
  if (length > MAX_ACTION_JSON_BYTES) {
    fail("TEXT_TOO_LONG", `the action is ${length} bytes of JSON, more than the ${MAX_ACTION_JSON_BYTES} any valid action fits in`, {
      field: "action",
      length: String(length),
      maximum: String(MAX_ACTION_JSON_BYTES),
    });
  }
  return fromJson(actionShape, json);
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
  const actions = fromJson((value, path) => (Array.isArray(value) ? (value as unknown[]) : fail("INVALID_ARGUMENT", `${path || "actions"} must be an array`)), json);
  validateBatchSize(actions);
  return actions.map((action, index) => {
    try {
      return decodeAction(toJson(action));
    } catch (error) {
      throw error instanceof TraceGateError ? new BatchRefusedError(index, error) : error;
    }
  });
}

/** The name of the one chaincode event an atomic batch sets (a single action's is its event's type). */
export const BATCH_EVENT = "batch";

/** A chaincode event's payload as events: a batch's event (`batch`) carries its actions' events in order. */
export function decodeChaincodeEvents(payload: string): LedgerEvent[] {
  return fromJson((value, path) => (Array.isArray(value) ? list(ledgerEventShape)(value, path) : [ledgerEventShape(value, path)]), payload);
}

export const organisationShape: Shape<Organisation> = record({ id: text, kind: oneOf(ORG_KINDS) });
export const facilityShape: Shape<Facility> = record({ id: text, kind: oneOf(FACILITY_KINDS), operator: text });

export const lotShape: Shape<Lot> = record({
  id: text,
  material: text,
  hsCode: text,
  unit: text,
  quantity: integer,
  owner: text,
  custodian: text,
  location: text,
  state: oneOf(LOT_STATES),
  priorState: oneOf(LOT_STATES),
  direction: oneOf(DIRECTIONS),
  preferenceClaimed: bool,
  permitRequired: bool,
  declaration: nullable(hash),
});

/**
 * The transaction that wrote a key, as the key's history gives it to chaincode: its id and timestamp
 * (the ledger time). Chaincode cannot see its block; clients learn it from the transaction's commit status.
 */
export interface WritingTransaction {
  txId: string;
  time: bigint;
}

const writingTransaction = { txId: text, time: integer };

/** One write of a lot in the ledger's history: the transaction, its time, the lot as written. */
export interface LotChange extends WritingTransaction {
  lot: Lot | null;
}

export const lotHistoryShape: Shape<LotChange[]> = list(record({ ...writingTransaction, lot: nullable(lotShape) }));

export const documentShape: Shape<DocumentAnchor> = record({
  hash,
  id: text,
  kind: oneOf(DOCUMENT_KINDS),
  cid: text,
  issuer: text,
  subjects: list(text),
  version: number,
  supersedes: nullable(hash),
  supersededBy: nullable(hash),
  status: oneOf(DOCUMENT_STATUSES),
  anchoredAt: integer,
});

export const batchShape: Shape<BatchAnchor> = record({ root: hash, kind: oneOf(DOCUMENT_KINDS), issuer: text, count: number, anchoredAt: integer });

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

export const revocationRecordShape: Shape<RevocationRecord> = record({ reason: text, revokedIn: record(writingTransaction) });
export const documentRecordShape: Shape<DocumentRecord> = record({
  document: documentShape,
  anchoredIn: record(writingTransaction),
  revocation: nullable(revocationRecordShape),
});
export const batchRecordShape: Shape<BatchRecord> = record({ batch: batchShape, anchoredIn: record(writingTransaction) });
export const actorShape: Shape<Actor> = record({ org: text, role: oneOf(ROLES) });

export const normShape: Shape<Norm> = record({ owner: text, ...normFields });

export const ledgerEventShape: Shape<LedgerEvent> = tagged<LedgerEvent>({
  custody: record({
    type: oneOf(["custody"]),
    action: oneOf(CUSTODY_ACTIONS),
    actor: text,
    facility: text,
    documents: list(hash),
    reason: text,
    deviations: list(record({ material: text, expected: integer, consumed: integer })),
    flagged: bool,
    consumed: list(part),
    transitions: list(record({ from: oneOf(LOT_STATES), lot: lotShape })),
    time: integer,
  }),
  documentAnchored: record({ type: oneOf(["documentAnchored"]), document: documentShape, time: integer }),
  documentRevoked: record({ type: oneOf(["documentRevoked"]), hash, issuer: text, reason: text, time: integer }),
  batchAnchored: record({ type: oneOf(["batchAnchored"]), batch: batchShape, time: integer }),
  batchMemberRevoked: record({
    type: oneOf(["batchMemberRevoked"]),
    root: hash,
    leaf: hash,
    issuer: text,
    kind: oneOf(DOCUMENT_KINDS),
    reason: text,
    time: integer,
  }),
  normRegistered: record({ type: oneOf(["normRegistered"]), norm: normShape, time: integer }),
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
  const text = match[2]!.replace(NEXT_STEP, "");
  const batch = BATCH_ACTION.exec(text);
  if (batch === null) return new TraceGateError(match[1] as ErrorCode, text);
  return new BatchRefusedError(Number(batch[1]), new TraceGateError(match[1] as ErrorCode, batch[2]!));
}
