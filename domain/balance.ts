/**
 * Processing-material balance, folded from custody events (all quantities bigint):
 *   opening + received into production - consumed by transforms - destroyed in production = closing
 */
import type { CustodyEvent, LedgerEvent } from "./events.js";
import { allowedConsumption } from "./norms.js";
import type { Id, LedgerTime, Norm } from "./types.js";

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

interface Movements {
  received: bigint;
  consumed: bigint;
  destroyed: bigint;
}

/** How one custody event moves an enterprise's production stock of a material. */
export function movementsOf(event: CustodyEvent, enterprise: Id, material: Id): Movements {
  const moves: Movements = { received: 0n, consumed: 0n, destroyed: 0n };
  const ours = event.transitions.filter(({ lot }) => lot.owner === enterprise && lot.material === material);
  if (event.action === "receive") {
    for (const { lot } of ours) moves.received += lot.quantity;
  } else if (event.action === "destroy") {
    for (const { from, lot } of ours) if (from === "IN_PRODUCTION") moves.destroyed += lot.quantity;
  } else if (event.action === "transform") {
    for (const part of event.consumed) {
      if (ours.some(({ lot }) => lot.id === part.lot)) moves.consumed += part.quantity;
    }
  }
  return moves;
}

export function materialBalance(events: readonly LedgerEvent[], enterprise: Id, material: Id, period: Period): MaterialBalance {
  const balance: MaterialBalance = { enterprise, material, opening: 0n, received: 0n, consumed: 0n, destroyed: 0n, closing: 0n };
  for (const event of events) {
    if (event.type !== "custody" || event.time >= period.to) continue;
    const moves = movementsOf(event, enterprise, material);
    const net = moves.received - moves.consumed - moves.destroyed;
    if (event.time < period.from) {
      balance.opening += net;
    } else {
      balance.received += moves.received;
      balance.consumed += moves.consumed;
      balance.destroyed += moves.destroyed;
    }
  }
  balance.closing = balance.opening + balance.received - balance.consumed - balance.destroyed;
  return balance;
}

/** Material the norms allow for the products an enterprise exported (Σ exported × norm × (1 + waste)). */
export function expectedConsumption(exports: ReadonlyArray<{ norm: Norm; quantity: bigint }>, material: Id): bigint {
  return exports.reduce((total, { norm, quantity }) => total + allowedConsumption(norm, material, quantity), 0n);
}

export interface Reconciliation {
  material: Id;
  /** Closing stock by the ledger's books. */
  book: bigint;
  /** Closing stock the enterprise declared in its balance report, if it filed one. */
  declared: bigint | null;
  consumed: bigint;
  expected: bigint;
  /** consumed - expected: positive means more material used than the norms allow for the exports. */
  consumptionDifference: bigint;
  /** declared - book: non-zero means the report disagrees with the ledger. */
  stockDifference: bigint | null;
}

export function reconcile(balance: MaterialBalance, expected: bigint, declared: bigint | null): Reconciliation {
  return {
    material: balance.material,
    book: balance.closing,
    declared,
    consumed: balance.consumed,
    expected,
    consumptionDifference: balance.consumed - expected,
    stockDifference: declared === null ? null : declared - balance.closing,
  };
}
