/**
 * A step's `expect` and a vector's `balances`, decoded into partial domain values: only the keys a
 * vector gives are compared, and a key the domain type does not have is a format error.
 */
import {
  CUSTODY_ACTIONS,
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  ERROR_CODES,
  LOT_STATES,
  type ActionType,
  type DocumentAnchor,
  type ErrorCode,
  type Hash,
  type Id,
  type LedgerEvent,
  type Lot,
  type MaterialBalance,
} from "../../domain/index.js";
import { anchorFields as anchorFieldsOf, lotFields as lotFieldsOf } from "../../chaincode/src/codec.js";
import type { DocumentRecord } from "../../scripts/harness/conformance-ledger.js";
import {
  array,
  boolean,
  decimal,
  integer,
  isPlainObject,
  literal,
  nullable,
  object,
  oneOf,
  pair,
  partial,
  record,
  string,
  type Shape,
} from "../../domain/json-shapes.js";
import { documentReference, hashReference, type Setup } from "./vector-setup.js";

/** A partial value: objects give only the keys to compare, arrays compare element by element. */
export type Expected<T> = T extends readonly (infer U)[] ? Expected<U>[] : T extends object ? { [K in keyof T]?: Expected<T[K]> } : T;

export interface BatchMember {
  root: Hash;
  leaf: Hash;
}

export interface Accepted {
  ok: true;
  lots?: Record<Id, Expected<Lot>>;
  documents?: Record<Hash, Expected<DocumentRecord>>;
  event?: Expected<LedgerEvent>;
  /** Every member of the setup's batches that is revoked after the step (all others are not). */
  revokedBatchMembers?: BatchMember[];
}

export type Expectation = { error: ErrorCode } | Accepted;

/** A batch step's `expect`: accepted with each action's event in order, or refused at action `index` with `error`. */
export type BatchExpectation = { error: ErrorCode; index: number } | { ok: true; lots?: Record<Id, Expected<Lot>>; events?: Expected<LedgerEvent>[] };

type FieldDecoders<T> = { [K in keyof T]-?: Shape<Expected<T[K]>> };

const lotFields = (hash: Shape<Hash>): FieldDecoders<Lot> => lotFieldsOf(hash);
const anchorFields = (hash: Shape<Hash>): FieldDecoders<Omit<DocumentAnchor, "anchoredAt">> => anchorFieldsOf(hash);

type EventType = LedgerEvent["type"];
type EventDecoders = { [E in EventType]: Shape<Expected<Extract<LedgerEvent, { type: E }>>> };

function eventDecoders(hash: Shape<Hash>): EventDecoders {
  const part = partial({ lot: string, quantity: decimal });
  return {
    custody: partial({
      type: literal("custody"),
      action: oneOf(CUSTODY_ACTIONS),
      actor: string,
      facility: string,
      documents: array(hash),
      reason: string,
      deviations: array(partial({ material: string, expected: decimal, consumed: decimal })),
      flagged: boolean,
      consumed: array(part),
      transitions: array(partial({ from: oneOf(LOT_STATES), lot: partial(lotFields(hash)) })),
    }),
    documentAnchored: partial({ type: literal("documentAnchored"), document: partial(anchorFields(hash)) }),
    documentRevoked: partial({ type: literal("documentRevoked"), hash, issuer: string, reason: string }),
    batchAnchored: partial({
      type: literal("batchAnchored"),
      batch: partial({ root: hash, kind: oneOf(DOCUMENT_KINDS), issuer: string, count: integer }),
    }),
    batchMemberRevoked: partial({
      type: literal("batchMemberRevoked"),
      root: hash,
      leaf: hash,
      issuer: string,
      kind: oneOf(DOCUMENT_KINDS),
      reason: string,
    }),
    normRegistered: partial({
      type: literal("normRegistered"),
      norm: partial({
        owner: string,
        product: string,
        hsCode: string,
        unit: string,
        outputQuantity: decimal,
        inputs: array(partial({ material: string, quantity: decimal, wasteBps: integer })),
        document: hash,
      }),
    }),
  };
}

/** The kind of event each action emits: it decides which keys an `event` expectation may use. */
const EVENT_OF_ACTION: Record<ActionType, EventType> = {
  ...(Object.fromEntries(CUSTODY_ACTIONS.map((action) => [action, "custody"])) as Record<(typeof CUSTODY_ACTIONS)[number], "custody">),
  anchor: "documentAnchored",
  supersede: "documentAnchored",
  revoke: "documentRevoked",
  anchorBatch: "batchAnchored",
  revokeBatchMember: "batchMemberRevoked",
  registerNorm: "normRegistered",
};

export function expectationDecoder(setup: Setup, action: ActionType): Shape<Expectation> {
  const hash = hashReference(setup);
  const refused = object({ error: oneOf(ERROR_CODES) });
  const accepted = object(
    { ok: literal(true) },
    {
      lots: record(string, partial(lotFields(hash))),
      documents: record(
        documentReference(setup),
        partial({
          status: oneOf(DOCUMENT_STATUSES),
          version: integer,
          supersededBy: nullable(hash),
          issuer: string,
          kind: oneOf(DOCUMENT_KINDS),
        }),
      ),
      event: eventDecoders(hash)[EVENT_OF_ACTION[action]],
      revokedBatchMembers: array(pair(hash, hash)),
    },
  );
  return (value, path) => {
    if (isPlainObject(value) && "error" in value) return refused(value, path);
    const { revokedBatchMembers, ...rest } = accepted(value, path);
    if (revokedBatchMembers === undefined) return rest;
    return { ...rest, revokedBatchMembers: revokedBatchMembers.map(([root, leaf]) => ({ root, leaf })) };
  };
}

export function batchExpectationDecoder(setup: Setup): Shape<BatchExpectation> {
  const hash = hashReference(setup);
  const refused = object({ error: oneOf(ERROR_CODES), index: integer });
  const accepted = object({ ok: literal(true) }, { lots: record(string, partial(lotFields(hash))), events: array(eventDecoders(hash).custody) });
  return (value, path) => (isPlainObject(value) && "error" in value ? refused(value, path) : accepted(value, path));
}

type BalanceFigure = Exclude<keyof MaterialBalance, "enterprise" | "material">;

const balanceFigures: Record<BalanceFigure, Shape<bigint>> = {
  opening: decimal,
  received: decimal,
  consumed: decimal,
  destroyed: decimal,
  closing: decimal,
};

export const balanceExpectation = object(
  { enterprise: string, material: string, expect: partial(balanceFigures) },
  { period: object({ from: integer, to: integer }) },
);
