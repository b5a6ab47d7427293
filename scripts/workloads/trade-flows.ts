/**
 * A seeded workload of realistic trade: import lots go from declaration through the border, the
 * bonded warehouse and clearance into production; products are declared for export and leave.
 * Along the way lots are held, split and destroyed, declarations amended and inspections revoked.
 * Unlike the differential generator (small world, many refused actions), every step here is meant to
 * be accepted and the working set stays bounded, so it makes long chains: hundreds of thousands of
 * events. The domain ledger decides each action, so the events are the rules' own.
 */
import {
  documentHash,
  InMemoryLedger,
  TraceGateError,
  type Action,
  type Actor,
  type Facility,
  type Hash,
  type LedgerEvent,
  type LedgerTime,
  type Lot,
  type Organisation,
} from "../../domain/index.js";

export interface Step {
  actor: Actor;
  action: Action;
  event: LedgerEvent;
}

const ENTERPRISES = ["ENT-1", "ENT-2", "ENT-3", "ENT-4"];
const MATERIALS = ["FABRIC", "THREAD", "CHIP", "RESIN"];
const officer: Actor = { org: "CUSTOMS", role: "OFFICER" };
const terminal: Actor = { org: "TERMINAL", role: "OPERATOR" };
const issuer: Actor = { org: "VCCI", role: "SIGNER" };
const operatorOf = (org: string): Actor => ({ org, role: "OPERATOR" });
const signerOf = (org: string): Actor => ({ org, role: "SIGNER" });
const productOf = (enterprise: string) => `PROD-${enterprise}`;

export const FLOW_ORGANISATIONS: Organisation[] = [
  { id: "CUSTOMS", kind: "CUSTOMS" },
  { id: "TERMINAL", kind: "WAREHOUSE" },
  { id: "VCCI", kind: "ISSUER" },
  ...ENTERPRISES.map((id): Organisation => ({ id, kind: "ENTERPRISE" })),
];

export const FLOW_FACILITIES: Facility[] = [
  { id: "GATE-1", kind: "BORDER_GATE", operator: "CUSTOMS" },
  { id: "GATE-2", kind: "BORDER_GATE", operator: "TERMINAL" },
  { id: "WH-1", kind: "WAREHOUSE", operator: "TERMINAL" },
  ...ENTERPRISES.map((id): Facility => ({ id: `FACTORY-${id}`, kind: "FACTORY", operator: id })),
];

/** Lots the workload keeps moving at once. */
const ACTIVE_LOTS = 48;

/** mulberry32: a small seeded generator, so a seed always gives the same chain. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class TradeFlows {
  readonly ledger = new InMemoryLedger();
  private readonly next: () => number;
  private active: string[] = [];
  private inspections: Hash[] = [];
  private counter = 0;
  /** Every accepted action, to fork the workload. */
  private history: Array<{ actor: Actor; action: Action; time: LedgerTime }> = [];

  constructor(seed: number) {
    this.next = random(seed);
    for (const organisation of FLOW_ORGANISATIONS) this.ledger.registerOrganisation(organisation);
    for (const facility of FLOW_FACILITIES) this.ledger.registerFacility(facility);
  }

  /** The same workload state (ledger, lots in flight) going on with other random choices. */
  async fork(seed: number): Promise<TradeFlows> {
    const fork = new TradeFlows(seed);
    for (const { actor, action, time } of this.history) await fork.submit(actor, action, time);
    fork.active = [...this.active];
    fork.inspections = [...this.inspections];
    fork.counter = this.counter;
    return fork;
  }

  /** The norms every enterprise produces under, each on its anchored NORM document. */
  async setUp(time: LedgerTime): Promise<Step[]> {
    const steps: Step[] = [];
    for (const [index, enterprise] of ENTERPRISES.entries()) {
      const norm = await this.anchor(signerOf(enterprise), "NORM", [], time);
      steps.push(norm);
      const inputs = [MATERIALS[index % MATERIALS.length]!, MATERIALS[(index + 1) % MATERIALS.length]!];
      steps.push(
        await this.submit(
          signerOf(enterprise),
          {
            type: "registerNorm",
            product: productOf(enterprise),
            hsCode: "62052000",
            unit: "PCE",
            outputQuantity: 10n,
            inputs: [
              { material: inputs[0]!, quantity: 12n, wasteBps: 500 },
              { material: inputs[1]!, quantity: 3n, wasteBps: 0 },
            ],
            document: (norm.event as Extract<LedgerEvent, { type: "documentAnchored" }>).document.hash,
          },
          time,
        ),
      );
    }
    return steps;
  }

  /** One step of the workload at ledger time `time`: one to three accepted actions. */
  async step(time: LedgerTime): Promise<Step[]> {
    const roll = this.next();
    if (roll < 0.03) return this.documentWork(time);
    if (this.active.length < ACTIVE_LOTS && roll < 0.2) return this.importLot(time);
    const id = this.pick(this.active);
    if (id === undefined) return this.importLot(time);
    const lot = (await this.ledger.lot(id))!;
    const steps = await this.advance(lot, time);
    const after = await this.ledger.lot(id);
    if (after === undefined || ["EXPORTED", "SPLIT", "DESTROYED"].includes(after.state) || after.quantity === 0n) {
      this.active.splice(this.active.indexOf(id), 1);
    }
    return steps;
  }

  private async advance(lot: Lot, time: LedgerTime): Promise<Step[]> {
    const roll = this.next();
    const exporting = lot.direction === "EXPORT";
    switch (lot.state) {
      case "DECLARED":
        return [await this.submit(roll < 0.5 ? officer : terminal, { type: "arrive", lot: lot.id, facility: roll < 0.5 ? "GATE-1" : "GATE-2" }, time)];
      case "ARRIVED":
        if (roll < 0.05) return [await this.hold(lot, time)];
        if (roll < 0.5 && !exporting) return [await this.submit(terminal, { type: "store", lot: lot.id, facility: "WH-1" }, time)];
        return this.clear(lot, time);
      case "IN_WAREHOUSE":
        if (roll < 0.03) return [await this.submit(officer, { type: "destroy", lot: lot.id, reason: "damaged" }, time)];
        if (roll < 0.08) return [await this.hold(lot, time)];
        if (roll < 0.2 && lot.quantity > 1n) return [await this.split(lot, terminal, time)];
        return this.clear(lot, time);
      case "HELD":
        return [await this.submit(officer, { type: "unhold", lot: lot.id }, time)];
      case "CLEARED":
        return [await this.submit(officer, { type: exporting ? "depart" : "release", lot: lot.id }, time)];
      case "RELEASED":
        return [await this.submit(operatorOf(lot.owner), { type: "receive", lot: lot.id, facility: `FACTORY-${lot.owner}` }, time)];
      case "IN_PRODUCTION":
        if (roll < 0.03) return [await this.submit(officer, { type: "destroy", lot: lot.id, reason: "scrap" }, time)];
        return [await this.transform(lot, time)];
      case "PRODUCED":
        if (roll < 0.1 && lot.quantity > 1n) return [await this.split(lot, operatorOf(lot.owner), time)];
        return this.declare(lot.owner, { material: lot.material, hsCode: lot.hsCode, unit: lot.unit, quantity: lot.quantity }, "EXPORT", time, lot.id);
      default:
        throw new Error(`lot ${lot.id} is ${lot.state}: no longer active`);
    }
  }

  private async importLot(time: LedgerTime): Promise<Step[]> {
    const owner = this.pick(ENTERPRISES)!;
    const material = this.pick(MATERIALS)!;
    const quantity = BigInt(1000 + Math.floor(this.next() * 49_000));
    return this.declare(owner, { material, hsCode: "52085200", unit: "KGM", quantity }, "IMPORT", time);
  }

  private async declare(
    owner: string,
    goods: { material: string; hsCode: string; unit: string; quantity: bigint },
    direction: "IMPORT" | "EXPORT",
    time: LedgerTime,
    existing?: string,
  ): Promise<Step[]> {
    const declaration = await this.anchor(signerOf(owner), "DECLARATION", [], time);
    const lot = existing ?? this.newLotId();
    const preferenceClaimed = direction === "IMPORT" && this.next() < 0.3;
    const permitRequired = direction === "IMPORT" && this.next() < 0.2;
    const declare = await this.submit(
      operatorOf(owner),
      { type: "declare", lot, goods, direction, preferenceClaimed, permitRequired, declaration: this.hashOf(declaration) },
      time,
    );
    if (existing === undefined) this.active.push(lot);
    return [declaration, declare];
  }

  private async clear(lot: Lot, time: LedgerTime): Promise<Step[]> {
    const steps: Step[] = [];
    const co = lot.preferenceClaimed ? await this.anchor(issuer, "CO", [lot.id], time) : undefined;
    const permit = lot.permitRequired ? await this.anchor(issuer, "PERMIT", [lot.id], time) : undefined;
    if (co) steps.push(co);
    if (permit) steps.push(permit);
    const action: Action = { type: "clear", lot: lot.id, co: co ? this.hashOf(co) : null, permit: permit ? this.hashOf(permit) : null };
    steps.push(await this.submit(officer, action, time));
    return steps;
  }

  private hold(lot: Lot, time: LedgerTime): Promise<Step> {
    return this.submit(officer, { type: "hold", lot: lot.id, reason: "inspection" }, time);
  }

  private split(lot: Lot, actor: Actor, time: LedgerTime): Promise<Step> {
    const first = lot.quantity / 2n;
    const parts = [
      { lot: this.newLotId(), quantity: first },
      { lot: this.newLotId(), quantity: lot.quantity - first },
    ];
    for (const part of parts) this.active.push(part.lot);
    return this.submit(actor, { type: "split", lot: lot.id, parts }, time);
  }

  private transform(lot: Lot, time: LedgerTime): Promise<Step> {
    const consumed = lot.quantity <= 500n ? lot.quantity : BigInt(1 + Math.floor(this.next() * Number(lot.quantity)));
    const outputs = Array.from({ length: this.next() < 0.5 ? 1 : 2 }, () => ({ lot: this.newLotId(), quantity: BigInt(1 + Math.floor(this.next() * 400)) }));
    for (const output of outputs) this.active.push(output.lot);
    const action: Action = { type: "transform", product: productOf(lot.owner), inputs: [{ lot: lot.id, quantity: consumed }], outputs };
    return this.submit(operatorOf(lot.owner), action, time);
  }

  /** Paperwork that touches no lot's path: inspections anchored and revoked, manifests amended. */
  private async documentWork(time: LedgerTime): Promise<Step[]> {
    const roll = this.next();
    if (roll < 0.3 && this.inspections.length > 0) {
      const hash = this.inspections.splice(Math.floor(this.next() * this.inspections.length), 1)[0]!;
      return [await this.submit(signerOf("CUSTOMS"), { type: "revoke", hash, reason: "withdrawn" }, time)];
    }
    if (roll < 0.6) {
      const inspection = await this.anchor(signerOf("CUSTOMS"), "INSPECTION", this.active.slice(0, 2), time);
      this.inspections.push(this.hashOf(inspection));
      return [inspection];
    }
    const manifest = await this.anchor(signerOf("TERMINAL"), "MANIFEST", [], time);
    this.counter += 1;
    const amended = await this.submit(
      signerOf("TERMINAL"),
      {
        type: "supersede",
        previous: this.hashOf(manifest),
        hash: documentHash(`flow document ${this.counter}`),
        id: `DOC-${this.counter}`,
        cid: `bafy-flow-${this.counter}`,
        subjects: [],
      },
      time,
    );
    return [manifest, amended];
  }

  private anchor(
    actor: Actor,
    kind: "NORM" | "DECLARATION" | "CO" | "PERMIT" | "INSPECTION" | "MANIFEST",
    subjects: string[],
    time: LedgerTime,
  ): Promise<Step> {
    this.counter += 1;
    const action: Action = {
      type: "anchor",
      hash: documentHash(`flow document ${this.counter}`),
      id: `DOC-${this.counter}`,
      kind,
      cid: `bafy-flow-${this.counter}`,
      subjects,
    };
    return this.submit(actor, action, time);
  }

  private hashOf(step: Step): Hash {
    return (step.event as Extract<LedgerEvent, { type: "documentAnchored" }>).document.hash;
  }

  private async submit(actor: Actor, action: Action, time: LedgerTime): Promise<Step> {
    try {
      const step = { actor, action, event: await this.ledger.submit(actor, action, time) };
      this.history.push({ actor, action, time });
      return step;
    } catch (error) {
      if (error instanceof TraceGateError) throw new Error(`the workload's ${action.type} was refused: ${error.message}`, { cause: error });
      throw error;
    }
  }

  private newLotId(): string {
    this.counter += 1;
    return `LOT-${this.counter}`;
  }

  private pick<T>(list: readonly T[]): T | undefined {
    return list[Math.floor(this.next() * list.length)];
  }
}
