/**
 * Processing-material balance and its reconciliation, folded from custody events (quantities bigint).
 *
 * Books, per enterprise and material over a period [from, to):
 *   opening + received into production − consumed by transforms − destroyed in production = closing
 * Consumption is judged against what the enterprise *produced* in the same period: each transform's
 * norm × its output × (1 + the norm's registered waste), which the ledger records on the transform as
 * `deviations[].expected`. A transform consumes and produces at one instant, so no material is ever
 * consumed for products not yet made: the material waiting in production is the closing stock, carried
 * as the next period's opening, and any split of a year into periods sums to the year's figures.
 */
import type { CustodyEvent, LedgerEvent } from "./events.js";
import type { CustodyActionType, Id, LedgerTime } from "./types.js";

export interface Period {
  /** Inclusive start, ledger time. */
  from: LedgerTime;
  /** Exclusive end, ledger time. */
  to: LedgerTime;
}

export interface MaterialBalance {
  enterprise: Id;
  material: Id;
  opening: bigint;
  received: bigint;
  consumed: bigint;
  destroyed: bigint;
  closing: bigint;
}

/** A period's consumption of a material set against its norms, over the transforms of the period. */
export interface NormUse {
  /** What the norms allow for the products made: Σ norm × produced × (1 + waste), rounded up per transform. */
  allowed: bigint;
  /** What the transforms that went over their norm for this material consumed of it... */
  overConsumed: bigint;
  /** ...and what their norms allowed them. */
  overAllowed: bigint;
}

/** What one custody event moves: the production stock, and its consumption against the norm. */
export interface Movements extends NormUse {
  received: bigint;
  consumed: bigint;
  destroyed: bigint;
}

export const NO_MOVEMENTS: Readonly<Movements> = { received: 0n, consumed: 0n, destroyed: 0n, allowed: 0n, overConsumed: 0n, overAllowed: 0n };
const FIGURES = Object.keys(NO_MOVEMENTS) as Array<keyof Movements>;

/** Whether anything moved at all. */
export function anyMovement(movements: Movements): boolean {
  return FIGURES.some((figure) => movements[figure] !== 0n);
}

/** `total` plus `sign` × `movements`, figure by figure. */
export function addMovements(total: Movements, movements: Movements, sign: 1n | -1n = 1n): Movements {
  return Object.fromEntries(FIGURES.map((figure) => [figure, total[figure] + sign * movements[figure]])) as unknown as Movements;
}

/** The (enterprise, material) pairs whose figures an event may move: its lots', and its norm's materials. */
export function movedPairs(event: CustodyEvent): Array<[Id, Id]> {
  const pairs = new Map<string, [Id, Id]>();
  const add = (enterprise: Id, material: Id) => pairs.set(JSON.stringify([enterprise, material]), [enterprise, material]);
  for (const { lot } of event.transitions) add(lot.owner, lot.material);
  if (event.action === "transform") for (const { material } of event.deviations) add(event.actor, material);
  return [...pairs.values()];
}

/** The custody actions whose events move balance figures (every other action's movements are zero). */
export const MOVING_ACTIONS = ["receive", "transform", "destroy"] as const satisfies readonly CustodyActionType[];

/** How one custody event moves an enterprise's production stock of a material, and its norm use. */
export function movementsOf(event: CustodyEvent, enterprise: Id, material: Id): Movements {
  const moves: Movements = { ...NO_MOVEMENTS };
  const ours = event.transitions.filter(({ lot }) => lot.owner === enterprise && lot.material === material);
  if (event.action === "receive") {
    for (const { lot } of ours) moves.received += lot.quantity;
  } else if (event.action === "destroy") {
    for (const { from, lot } of ours) if (from === "IN_PRODUCTION") moves.destroyed += lot.quantity;
  } else if (event.action === "transform") {
    for (const part of event.consumed) {
      if (ours.some(({ lot }) => lot.id === part.lot)) moves.consumed += part.quantity;
    }
    // A transform's inputs and outputs are all its actor's (custody rule OWNER).
    const row = event.actor === enterprise ? event.deviations.find((deviation) => deviation.material === material) : undefined;
    if (row !== undefined) {
      moves.allowed = row.expected;
      if (row.consumed > row.expected) [moves.overConsumed, moves.overAllowed] = [row.consumed, row.expected];
    }
  }
  return moves;
}

/** What movements did to the stock: received less consumed and destroyed. */
export function stockChange(moved: Pick<Movements, "received" | "consumed" | "destroyed">): bigint {
  return moved.received - moved.consumed - moved.destroyed;
}

/** Every figure of the material over the period (the reference fold the store's buckets must match). */
export function materialFigures(events: readonly LedgerEvent[], enterprise: Id, material: Id, period: Period): { balance: MaterialBalance; use: NormUse } {
  let opening = 0n;
  let during: Movements = { ...NO_MOVEMENTS };
  for (const event of events) {
    if (event.type !== "custody" || event.time >= period.to) continue;
    const moved = movementsOf(event, enterprise, material);
    if (event.time < period.from) opening += stockChange(moved);
    else during = addMovements(during, moved);
  }
  return figuresFrom(enterprise, material, opening, during);
}

/** The balance and norm use of a period from its opening stock and what moved during it. */
export function figuresFrom(enterprise: Id, material: Id, opening: bigint, during: Movements): { balance: MaterialBalance; use: NormUse } {
  const { received, consumed, destroyed, allowed, overConsumed, overAllowed } = during;
  return {
    balance: { enterprise, material, opening, received, consumed, destroyed, closing: opening + stockChange(during) },
    use: { allowed, overConsumed, overAllowed },
  };
}

export function materialBalance(events: readonly LedgerEvent[], enterprise: Id, material: Id, period: Period): MaterialBalance {
  return materialFigures(events, enterprise, material, period).balance;
}

export interface Reconciliation {
  material: Id;
  /** Closing stock by the ledger's books. */
  book: bigint;
  /** Closing stock the enterprise declared in its balance report, if it filed one. */
  declared: bigint | null;
  consumed: bigint;
  /** What the norms allow for the products made in the period, waste included. */
  expected: bigint;
  /** consumed − expected: positive only if some transform went over its norm. */
  consumptionDifference: bigint;
  /** Of `consumed`, what the transforms over their norm for this material consumed, and what they were allowed. */
  overNormConsumed: bigint;
  overNormAllowed: bigint;
  /** declared − book: non-zero means the report disagrees with the ledger. */
  stockDifference: bigint | null;
}

export function reconcile(balance: MaterialBalance, use: NormUse, declared: bigint | null): Reconciliation {
  return {
    material: balance.material,
    book: balance.closing,
    declared,
    consumed: balance.consumed,
    expected: use.allowed,
    consumptionDifference: balance.consumed - use.allowed,
    overNormConsumed: use.overConsumed,
    overNormAllowed: use.overAllowed,
    stockDifference: declared === null ? null : declared - balance.closing,
  };
}

export type DiscrepancyKind = "CONSUMED_OVER_NORM" | "STOCK_MISMATCH" | "NOT_DECLARED";

/**
 * What a reconciliation row shows that is wrong: material consumed beyond the norm (waste included)
 * for what was produced — the excess of the transforms that went over, which savings elsewhere do not
 * offset — and a declared closing stock that differs from the books, or is missing from a report.
 * Consuming less than the norm allows is no discrepancy: the material saved stays in the books.
 */
export function discrepanciesOf(row: Reconciliation, reported: boolean): Array<{ kind: DiscrepancyKind; amount: bigint }> {
  const found: Array<{ kind: DiscrepancyKind; amount: bigint }> = [];
  if (row.overNormConsumed > row.overNormAllowed) found.push({ kind: "CONSUMED_OVER_NORM", amount: row.overNormConsumed - row.overNormAllowed });
  if (reported && row.declared === null) found.push({ kind: "NOT_DECLARED", amount: row.book });
  else if (row.stockDifference !== null && row.stockDifference !== 0n) found.push({ kind: "STOCK_MISMATCH", amount: row.stockDifference });
  return found;
}
