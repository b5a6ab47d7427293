/**
 * Random action sequences. fast-check generates abstract choices; `ScriptContext.concretize` turns each
 * into a concrete (actor, action) using the reference ledger's current state, mostly picking the
 * actor, facility and documents the rules want (so sequences get deep) and sometimes anything at all
 * (so every guard gets hit). Expectations never come from here: ledgers are compared with each other.
 */
import fc from "fast-check";
import {
  CUSTODY_TABLE,
  DOCUMENT_KINDS,
  MAX_TRANSIT_SECONDS,
  SEAL_ALERTS,
  type CustodyActionType,
  documentHash,
  EMPTY_DOCUMENT_HASH,
  type Action,
  type Actor,
  type DocumentKind,
  type Hash,
  type InMemoryLedger,
  type Lot,
  type QuantityPart,
} from "../../domain/index.js";
import { START_TIME } from "./setup.js";
import { ACTORS, FACILITIES, MATERIALS, PRODUCTS, SETUP_DOCUMENTS, type WorldDocument } from "./world.js";

export interface Choice {
  op: number;
  natural: boolean;
  picks: number[];
}

export const choiceArb: fc.Arbitrary<Choice> = fc.record({
  op: fc.nat(99),
  natural: fc.nat(9).map((n) => n < 8),
  picks: fc.array(fc.nat(10_000), { minLength: 8, maxLength: 8 }),
});

export const scriptArb = (maxLength: number): fc.Arbitrary<Choice[]> => fc.array(choiceArb, { minLength: Math.ceil(maxLength / 2), maxLength });

/** A step of a script with atomic batches: one action, or the choices of a batch's actions. */
export type Step = Choice | { batch: Choice[] };

/** Scripts where about one step in four is an atomic batch of 2 to 6 actions. */
export const batchScriptArb = (maxLength: number): fc.Arbitrary<Step[]> =>
  fc.array(fc.oneof({ arbitrary: choiceArb, weight: 3 }, { arbitrary: fc.record({ batch: fc.array(choiceArb, { minLength: 2, maxLength: 6 }) }), weight: 1 }), {
    minLength: Math.ceil(maxLength / 2),
    maxLength,
  });

const HS_CODES: Record<string, string> = { FABRIC: "52085200", THREAD: "52041100", CHIP: "85423100" };
const PRODUCT_OF: Record<string, string> = { GARMENT: "SHIRT", ELECTRO: "BOARD" };
const FACTORY_OF: Record<string, string> = { GARMENT: "FACTORY-G", ELECTRO: "FACTORY-E" };
const FACILITY_KIND_FOR = { arrive: "BORDER_GATE", store: "WAREHOUSE", receive: "FACTORY" } as const;

/** Batches are left to the conformance vectors: a random proof is just an invalid proof. */
type Operation = Exclude<Action["type"], "anchorBatch" | "revokeBatchMember">;

/** How often each action is tried, out of 100. */
const OPERATION_WEIGHTS: ReadonlyArray<[Operation, number]> = [
  ["declare", 12],
  ["arrive", 8],
  ["store", 6],
  ["receive", 7],
  ["hold", 5],
  ["unhold", 4],
  ["clear", 8],
  ["release", 5],
  ["depart", 5],
  ["transform", 7],
  ["split", 6],
  ["destroy", 3],
  ["seal", 4],
  ["unseal", 3],
  ["alert", 2],
  ["anchor", 5],
  ["supersede", 5],
  ["revoke", 2],
  ["registerNorm", 3],
];

/**
 * Transit deadlines, as offsets from START_TIME: steps come every 10 s from START_TIME, so the first
 * ones fall due during a sequence (unseals on time and overdue) and the last is 30 days from the start,
 * inside the window at every step. The odd ones every ledger refuses: none, past, beyond 30 days, 2^64.
 */
const DEADLINES = [60n, 150n, 240n, MAX_TRANSIT_SECONDS].map((offset) => START_TIME + offset);
const ODD_DEADLINES = [0n, START_TIME - 10n, START_TIME + MAX_TRANSIT_SECONDS + 1_000n, 1n << 64n];

/**
 * Out of 100 choices, how many move an existing lot one step along its usual path, so that random
 * sequences regularly go all the way from declaration to export.
 */
const PROGRESS_WEIGHT = 35;

function nextOperation(lot: Lot, n: number): Operation | undefined {
  switch (lot.state) {
    case "DECLARED":
      return "arrive";
    case "ARRIVED":
      return pick(["store", "clear", "seal"] as const, n);
    case "IN_TRANSIT":
      return "unseal";
    case "IN_WAREHOUSE":
      return "clear";
    case "HELD":
      return "unhold";
    case "CLEARED":
      return lot.direction === "EXPORT" ? "depart" : "release";
    case "RELEASED":
      return "receive";
    case "IN_PRODUCTION":
      return "transform";
    case "PRODUCED":
      return "declare";
    default:
      return undefined;
  }
}

function operationOf(op: number): Operation {
  let threshold = 0;
  for (const [type, weight] of OPERATION_WEIGHTS) {
    threshold += weight;
    if (op < threshold) return type;
  }
  return "declare";
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

export class ScriptContext {
  private counter = 0;
  readonly documents: WorldDocument[] = [...SETUP_DOCUMENTS];

  constructor(private readonly ledger: InMemoryLedger) {}

  /** The action `choice` stands for, given `ledger`'s state (by default the reference ledger's; a batch's later actions see a fork with its earlier ones applied). */
  concretize(choice: Choice, ledger: InMemoryLedger = this.ledger): { actor: Actor; action: Action } {
    const [p0, p1, p2, p3, p4, p5, p6, p7] = choice.picks as [number, number, number, number, number, number, number, number];
    const lots = ledger.allLots();
    const progressable = lots.filter((l) => nextOperation(l, p2) !== undefined);
    const progressing = choice.op < PROGRESS_WEIGHT && progressable.length > 0;
    const operation = progressing
      ? nextOperation(pick(progressable, p1), p2)!
      : operationOf(Math.floor(((choice.op - PROGRESS_WEIGHT + 100) % 100) * (100 / (100 - PROGRESS_WEIGHT))) % 100);
    const rule = operation in CUSTODY_TABLE ? CUSTODY_TABLE[operation as CustodyActionType] : undefined;
    const applicable = lots.filter((l) => rule?.from.includes(l.state) && (rule.direction === undefined || rule.direction === l.direction));
    const candidates = progressing ? [pick(progressable, p1)] : choice.natural && applicable.length > 0 ? applicable : lots;
    const lot = candidates.length > 0 && (progressing || p0 % 20 !== 0) ? pick(candidates, p1) : undefined;
    const lotId = lot?.id ?? `LOT-X${p1 % 3}`;
    const any = pick(ACTORS, p7);
    const natural = (preferred: Actor | undefined): Actor => (choice.natural && preferred ? preferred : any);
    const officer: Actor = { org: "CUSTOMS", role: "OFFICER" };
    const operatorOf = (org: string | undefined): Actor | undefined => ACTORS.find((actor) => actor.org === org && actor.role === "OPERATOR");
    const signerOf = (org: string | undefined): Actor | undefined => ACTORS.find((actor) => actor.org === org && actor.role === "SIGNER");
    switch (operation) {
      case "declare": {
        const produced = lots.filter((l) => l.state === "PRODUCED");
        const existing = progressing ? lot : p2 % 5 === 0 && produced.length > 0 ? pick(produced, p3) : undefined;
        const actor = natural(operatorOf(existing?.owner ?? pick(["GARMENT", "ELECTRO"], p3)));
        const material = pick(MATERIALS, p4);
        const goods = existing
          ? { material: existing.material, hsCode: existing.hsCode, unit: existing.unit, quantity: existing.quantity }
          : { material, hsCode: HS_CODES[material]!, unit: "KGM", quantity: this.quantity(p5, 2000) };
        const declarations = this.documents.filter((d) => d.kind === "DECLARATION" && (!choice.natural || d.issuer === actor.org));
        return {
          actor,
          action: {
            type: "declare",
            lot: existing?.id ?? this.newLotId(),
            goods,
            direction: existing || p6 % 3 === 0 ? "EXPORT" : "IMPORT",
            preferenceClaimed: p6 % 3 === 0,
            permitRequired: p6 % 5 === 0,
            declaration: this.docHash(declarations, p2),
          },
        };
      }
      case "arrive":
      case "store":
      case "receive": {
        const type = operation;
        const suitable = FACILITIES.filter((f) => f.kind === FACILITY_KIND_FOR[type]);
        let facility = pick(choice.natural ? suitable : FACILITIES, p2);
        if (type === "receive" && choice.natural && lot) facility = FACILITIES.find((f) => f.id === FACTORY_OF[lot.owner]) ?? facility;
        const operator = operatorOf(type === "receive" ? lot?.owner : facility.operator);
        const preferred = type === "arrive" && (p3 % 2 === 0 || operator === undefined) ? officer : operator;
        return { actor: natural(preferred), action: { type, lot: lotId, facility: p4 % 20 === 0 ? "NOWHERE" : facility.id } };
      }
      case "hold":
        return { actor: natural(officer), action: { type: "hold", lot: lotId, reason: this.reason(p2) } };
      case "unhold":
        return { actor: natural(officer), action: { type: "unhold", lot: lotId } };
      case "clear": {
        const co = lot?.preferenceClaimed || p3 % 4 === 0 ? this.docOfKind("CO", p2) : null;
        const permit = lot?.permitRequired || p4 % 4 === 0 ? this.docOfKind("PERMIT", p5) : null;
        return { actor: natural(officer), action: { type: "clear", lot: lotId, co, permit } };
      }
      case "release":
      case "depart": {
        const type = operation;
        return { actor: natural(p2 % 2 === 0 ? officer : operatorOf(lot?.custodian)), action: { type, lot: lotId } };
      }
      case "transform":
        return this.transform(choice, lots, any, progressing ? lot : undefined);
      case "split": {
        const actor = natural(operatorOf(lot?.custodian) ?? operatorOf(lot?.owner));
        return { actor, action: { type: "split", lot: lotId, parts: this.parts(lot?.quantity ?? 10n, 2 + (p2 % 2), choice.natural, p3) } };
      }
      case "destroy":
        return { actor: natural(officer), action: { type: "destroy", lot: lotId, reason: this.reason(p2) } };
      case "seal": {
        // Now and then the warehouse the lot is at already: WRONG_DESTINATION.
        const destinations = FACILITIES.filter((f) => f.kind === "WAREHOUSE" && (p5 % 7 === 0 || f.id !== lot?.location));
        const facility = p4 % 20 === 0 ? "NOWHERE" : pick(choice.natural ? destinations : FACILITIES, p2).id;
        const deadline = choice.natural || p5 % 3 !== 0 ? pick(DEADLINES, p5) : pick(ODD_DEADLINES, p5);
        const transit = this.docHash(
          this.documents.filter((d) => !choice.natural || d.kind === "TRANSIT"),
          p3,
        );
        return { actor: natural(officer), action: { type: "seal", lot: lotId, facility, seal: `SEAL-${p6 % 3}`, deadline, transit } };
      }
      case "unseal": {
        const facility = choice.natural && lot?.destination ? lot.destination : p4 % 20 === 0 ? "NOWHERE" : pick(FACILITIES, p2).id;
        const operator = operatorOf(FACILITIES.find((f) => f.id === facility)?.operator);
        const sealIntact = p5 % 4 !== 0;
        const reason = sealIntact && p6 % 2 === 0 ? "" : this.reason(p6);
        return { actor: natural(p3 % 2 === 0 ? officer : operator), action: { type: "unseal", lot: lotId, facility, sealIntact, reason } };
      }
      case "alert": {
        // Now and then another seal than the lot's: SEAL_MISMATCH.
        const seal = choice.natural && lot?.seal && p5 % 6 !== 0 ? lot.seal : `SEAL-${p2 % 3}`;
        const detail = p4 % 3 === 0 ? "" : this.reason(p4);
        return { actor: natural(officer), action: { type: "alert", lot: lotId, seal, alert: pick(SEAL_ALERTS, p3), detail } };
      }
      case "anchor": {
        const kind = pick(DOCUMENT_KINDS, p2);
        const actor = natural(
          pick(
            ACTORS.filter((a) => a.role === "SIGNER"),
            p3,
          ),
        );
        // Now and then an anchored document again, or an empty one: both refused.
        const hash = p4 % 10 === 0 ? this.docHash(this.documents, p5) : p4 % 10 === 1 ? EMPTY_DOCUMENT_HASH : this.fresh(kind, actor.org);
        return { actor, action: { type: "anchor", hash, id: `DOC-${this.counter}`, kind, cid: `bafy-${this.counter}`, subjects: lot ? [lot.id] : [] } };
      }
      case "supersede": {
        const previous = pick(this.documents, p2);
        const hash = this.fresh(previous.kind, previous.issuer);
        return {
          actor: natural(signerOf(previous.issuer)),
          action: { type: "supersede", previous: previous.hash, hash, id: `DOC-${this.counter}`, cid: `bafy-${this.counter}`, subjects: [] },
        };
      }
      case "revoke": {
        const document = pick(this.documents, p2);
        return { actor: natural(signerOf(document.issuer)), action: { type: "revoke", hash: document.hash, reason: this.reason(p3) } };
      }
      case "registerNorm": {
        const owner = pick(["GARMENT", "ELECTRO"], p2);
        const normDocs = this.documents.filter((d) => d.kind === "NORM" && (!choice.natural || d.issuer === owner));
        return {
          actor: natural(signerOf(owner)),
          action: {
            type: "registerNorm",
            product: choice.natural ? PRODUCT_OF[owner]! : pick(PRODUCTS, p3),
            hsCode: "62052000",
            unit: "PCE",
            outputQuantity: this.quantity(p4, 20),
            inputs: [{ material: pick(MATERIALS, p5), quantity: this.quantity(p6, 50), wasteBps: p6 % 1200 }],
            document: this.docHash(normDocs, p3),
          },
        };
      }
    }
  }

  private transform(choice: Choice, lots: Lot[], any: Actor, chosen: Lot | undefined): { actor: Actor; action: Action } {
    const [, p1, p2, p3, p4, p5, p6] = choice.picks as number[] as [number, number, number, number, number, number, number];
    const inProduction = lots.filter((l) => l.state === "IN_PRODUCTION");
    const first = chosen ?? (inProduction.length > 0 ? pick(inProduction, p1) : lots.length > 0 ? pick(lots, p1) : undefined);
    const owner = first?.owner ?? "GARMENT";
    const candidates = (choice.natural ? inProduction.filter((l) => l.owner === owner) : lots).filter((l) => l !== first);
    const inputs: Lot[] = first ? [first] : [];
    if (p2 % 3 === 0 && candidates.length > 0) inputs.push(pick(candidates, p3));
    const consume = (lot: Lot, n: number): bigint => (choice.natural && lot.quantity > 0n ? 1n + (BigInt(n) % lot.quantity) : this.quantity(n, 3000));
    const inputParts: QuantityPart[] =
      inputs.length > 0 ? inputs.map((lot, i) => ({ lot: lot.id, quantity: consume(lot, p4 + i) })) : [{ lot: "LOT-X0", quantity: 5n }];
    const outputs: QuantityPart[] = Array.from({ length: 1 + (p5 % 2) }, (_, i) => ({ lot: this.newLotId(), quantity: this.quantity(p6 + i, 40) }));
    const actor: Actor = choice.natural ? { org: owner, role: "OPERATOR" } : any;
    const product = choice.natural ? (PRODUCT_OF[owner] ?? "SHIRT") : pick(PRODUCTS, p6);
    return { actor, action: { type: "transform", product, inputs: inputParts, outputs } };
  }

  /** Parts of `total`: conserved when natural and possible, otherwise arbitrary. */
  private parts(total: bigint, count: number, natural: boolean, n: number): QuantityPart[] {
    const ids = Array.from({ length: count }, () => this.newLotId());
    if (natural && total >= BigInt(count)) {
      const first = 1n + (BigInt(n) % (total - BigInt(count) + 1n));
      const rest = total - first;
      const each = rest / BigInt(count - 1);
      const last = rest - each * BigInt(count - 2);
      return ids.map((lot, i) => ({ lot, quantity: i === 0 ? first : i === count - 1 ? last : each }));
    }
    return ids.map((lot, i) => ({ lot, quantity: this.quantity(n + i, 500) }));
  }

  /** Mostly 1..max; now and then 0, which every ledger must refuse. */
  private quantity(n: number, max: number): bigint {
    return n % 97 === 0 ? 0n : BigInt(1 + (n % max));
  }

  private reason(n: number): string {
    // Now and then none, or one a byte too long (167 three-byte letters): both refused.
    if (n % 15 === 0) return "";
    if (n % 23 === 0) return "ệ".repeat(167);
    return pick(["inspection", "suspected undervaluation", "damaged", `${"ệ".repeat(166)}ab`], n);
  }

  private newLotId(): string {
    this.counter += 1;
    return `LOT-${this.counter}`;
  }

  private fresh(kind: DocumentKind, issuer: string): Hash {
    this.counter += 1;
    const document = { name: `fresh-${this.counter}`, kind, issuer, hash: documentHash(`fresh document ${this.counter}`) };
    this.documents.push(document);
    return document.hash;
  }

  private docOfKind(kind: DocumentKind, n: number): Hash {
    return this.docHash(
      this.documents.filter((d) => d.kind === kind),
      n,
    );
  }

  private docHash(documents: readonly WorldDocument[], n: number): Hash {
    return documents.length > 0 ? pick(documents, n).hash : pick(this.documents, n).hash;
  }
}
