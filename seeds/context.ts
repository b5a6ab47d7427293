/**
 * What the scenario's flows share: the engine, the cast and random source, id and number series, each
 * enterprise's production stock (lots in production by material, and the book the balance reports
 * declare), imports under way, and the anomalies planted so far.
 */
import { MOVING_ACTIONS, movementsOf, type Actor, type Id, type LedgerEvent, type Lot } from "../domain/index.js";
import type { Anomaly } from "./anomalies.js";
import type { ScenarioCast } from "./cast.js";
import type { Engine } from "./engine.js";
import type { Random } from "./random.js";
import { CUSTOMS } from "./registry.js";

export const officer: Actor = { org: CUSTOMS, role: "OFFICER" };
export const customsSigner: Actor = { org: CUSTOMS, role: "SIGNER" };
export const operatorOf = (org: Id): Actor => ({ org, role: "OPERATOR" });
export const signerOf = (org: Id): Actor => ({ org, role: "SIGNER" });

export class ScenarioContext {
  readonly anomalies: Anomaly[] = [];
  /** Per enterprise and material: the lots in production that still hold some, oldest first. */
  private readonly pools = new Map<Id, Map<Id, Id[]>>();
  /** Per enterprise and material: production stock by the books (received − consumed − destroyed). */
  private readonly books = new Map<Id, Map<Id, bigint>>();
  /** Per enterprise and material: quantity declared for import and not yet received. */
  private readonly pending = new Map<Id, Map<Id, bigint>>();
  /** Books as they stood when each reporting period ended. */
  private readonly closings = new Map<number, Map<Id, Map<Id, bigint>>>();
  private readonly counters = new Map<string, number>();
  /** Finished stays in ARRIVED per gate (enough of them make a dwell time). */
  readonly arrivedStays = new Map<Id, number>();

  constructor(
    readonly engine: Engine,
    readonly cast: ScenarioCast,
    readonly random: Random,
    readonly year: number,
    /** Events asked for per copy of the cast, relative to the demo scale: each enterprise produces that much more often. */
    readonly intensity: number,
  ) {}

  next(series: string): number {
    const value = (this.counters.get(series) ?? 0) + 1;
    this.counters.set(series, value);
    return value;
  }

  /** A lot id such as HLG27I000123 (import) or HLG27P000045 (product). */
  lotId(code: string, kind: "I" | "P"): Id {
    return `${code}${this.year % 100}${kind}${String(this.next(`${code}${kind}`)).padStart(6, "0")}`;
  }

  /** A 12-digit e-declaration number: 10… for imports, 30… for exports. */
  declarationNumber(direction: "IMPORT" | "EXPORT"): string {
    return `${direction === "IMPORT" ? "10" : "30"}${String(this.next(`declaration-${direction}`)).padStart(10, "0")}`;
  }

  /** Days as slots. */
  days(from: number, to: number = from): number {
    return Math.round((this.random.int(Math.round(from * 24), Math.round(to * 24)) * this.engine.slotsPerDay) / 24);
  }

  hours(from: number, to: number): number {
    return Math.max(1, Math.round((this.random.int(from * 60, to * 60) * this.engine.slotsPerDay) / 1440));
  }

  /** Who records an action at a facility or on a lot its operator holds: customs, or the operator. */
  actorAt(facility: Id): Actor {
    const { operator } = this.cast.facility(facility);
    return operator === CUSTOMS ? officer : operatorOf(operator);
  }

  /** Who releases or lets depart a lot: its custodian when a warehouse operator holds it, else customs. */
  releaser(lot: Lot): Actor {
    return this.cast.organisation(lot.custodian).kind === "WAREHOUSE" ? operatorOf(lot.custodian) : officer;
  }

  pool(enterprise: Id, material: Id): Id[] {
    let byMaterial = this.pools.get(enterprise);
    if (byMaterial === undefined) this.pools.set(enterprise, (byMaterial = new Map()));
    let lots = byMaterial.get(material);
    if (lots === undefined) byMaterial.set(material, (lots = []));
    return lots;
  }

  stock(enterprise: Id, material: Id): bigint {
    return this.books.get(enterprise)?.get(material) ?? 0n;
  }

  pendingImports(enterprise: Id, material: Id): bigint {
    return this.pending.get(enterprise)?.get(material) ?? 0n;
  }

  addPending(enterprise: Id, material: Id, quantity: bigint): void {
    add(this.pending, enterprise, material, quantity);
  }

  /** Keeps the books from the events, as the balance arithmetic reads them (domain/balance.ts). */
  follow(event: LedgerEvent): void {
    if (event.type !== "custody" || !(MOVING_ACTIONS as readonly string[]).includes(event.action)) return;
    const seen = new Set<string>();
    for (const { lot } of event.transitions) {
      const key = `${lot.owner}/${lot.material}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const moves = movementsOf(event, lot.owner, lot.material);
      add(this.books, lot.owner, lot.material, moves.received - moves.consumed - moves.destroyed);
    }
  }

  /** Remembers the books as they stand now, as the closing stock of period `period`. */
  closePeriod(period: number): void {
    this.closings.set(period, new Map([...this.books].map(([enterprise, materials]) => [enterprise, new Map(materials)])));
  }

  closing(period: number, enterprise: Id): ReadonlyMap<Id, bigint> {
    return this.closings.get(period)?.get(enterprise) ?? new Map();
  }
}

function add(table: Map<Id, Map<Id, bigint>>, enterprise: Id, material: Id, quantity: bigint): void {
  let byMaterial = table.get(enterprise);
  if (byMaterial === undefined) table.set(enterprise, (byMaterial = new Map()));
  byMaterial.set(material, (byMaterial.get(material) ?? 0n) + quantity);
}
