/** The domain Lot and its columns (lots, lot_transitions). */
import type { Direction, Hash, Lot, LotState } from "../../domain/index.js";
import type { LotColumns } from "./schema.js";

export const LOT_COLUMN_NAMES: ReadonlyArray<keyof LotColumns> = [
  "material",
  "hs_code",
  "unit",
  "quantity",
  "owner",
  "custodian",
  "location",
  "state",
  "prior_state",
  "direction",
  "preference_claimed",
  "permit_required",
  "declaration",
  "seal",
  "destination",
  "deadline",
];

export function lotColumns(lot: Lot): LotColumns {
  return {
    material: lot.material,
    hs_code: lot.hsCode,
    unit: lot.unit,
    quantity: lot.quantity.toString(),
    owner: lot.owner,
    custodian: lot.custodian,
    location: lot.location,
    state: lot.state,
    prior_state: lot.priorState,
    direction: lot.direction,
    preference_claimed: lot.preferenceClaimed ? 1n : 0n,
    permit_required: lot.permitRequired ? 1n : 0n,
    declaration: lot.declaration,
    seal: lot.seal,
    destination: lot.destination,
    deadline: lot.deadline,
  };
}

/**
 * The Lot a row holds. A migration before 0012 reads rows without the transit columns (migrations
 * 0004, 0006 and 0008 read the events back): such a lot was never in transit.
 */
export function lotOf(id: string, columns: LotColumns | Omit<LotColumns, TransitColumn>): Lot {
  const transit: Pick<LotColumns, TransitColumn> = "seal" in columns ? columns : NOT_IN_TRANSIT;
  return {
    id,
    material: columns.material,
    hsCode: columns.hs_code,
    unit: columns.unit,
    quantity: BigInt(columns.quantity),
    owner: columns.owner,
    custodian: columns.custodian,
    location: columns.location,
    state: columns.state as LotState,
    priorState: columns.prior_state as LotState,
    direction: columns.direction as Direction,
    preferenceClaimed: columns.preference_claimed === 1n,
    permitRequired: columns.permit_required === 1n,
    declaration: columns.declaration as Hash | null,
    seal: transit.seal,
    destination: transit.destination,
    deadline: transit.deadline,
  };
}

type TransitColumn = "seal" | "destination" | "deadline";
const NOT_IN_TRANSIT: Pick<LotColumns, TransitColumn> = { seal: "", destination: "", deadline: 0n };
