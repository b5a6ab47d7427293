import { LOT_STATES, type CustodyActionType, type Direction, type FacilityKind, type LotState } from "./types.js";

/**
 * Who may perform an action, by name. Each is evaluated by `authorize` in custody.ts:
 * - OWNER_ENTERPRISE: an OPERATOR of the enterprise that owns (or will own) the lot
 * - CUSTOMS: a customs OFFICER
 * - CUSTOMS_OR_FACILITY_OPERATOR: a customs OFFICER, or an OPERATOR of the facility's operator
 * - FACILITY_OPERATOR: an OPERATOR of the facility's operator
 * - CUSTOMS_OR_CUSTODIAN: a customs OFFICER, or an OPERATOR of the lot's current custodian
 * - OWNER_AT_OWN_FACILITY: an OPERATOR of the owner enterprise, at a facility that enterprise operates
 * - OWNER: an OPERATOR of the enterprise that owns every lot involved
 * - CUSTODIAN_OR_OWNER: an OPERATOR of the lot's custodian or of its owner, or a customs OFFICER when
 *   customs itself is the custodian (goods at a border gate customs operates)
 * In this order, which the contracts' `Permission` enum mirrors by index.
 */
export const PERMISSIONS = [
  "OWNER_ENTERPRISE",
  "CUSTOMS",
  "CUSTOMS_OR_FACILITY_OPERATOR",
  "FACILITY_OPERATOR",
  "CUSTOMS_OR_CUSTODIAN",
  "OWNER_AT_OWN_FACILITY",
  "OWNER",
  "CUSTODIAN_OR_OWNER",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface TransitionRule {
  /** States the lot may be in. NONE means the lot does not exist yet. */
  from: readonly LotState[];
  /** State the lot moves to. PRIOR: back to the state before the hold. */
  to: LotState | "PRIOR";
  who: Permission;
  /** Kind of facility the action takes place at, when it names one. */
  facility?: FacilityKind;
  /** The lot must have been declared for this direction. */
  direction?: Exclude<Direction, "NONE">;
  /** Lots the action creates, and the state they are created in (SAME: the source lot's state). */
  creates?: LotState | "SAME";
}

export const TERMINAL_STATES: readonly LotState[] = ["EXPORTED", "SPLIT", "DESTROYED"];

/** Every state a lot can be split from: any it can leave again but IN_TRANSIT (a sealed load stays whole), in LOT_STATES order. */
const SPLITTABLE_STATES: readonly LotState[] = LOT_STATES.filter((state) => state !== "NONE" && state !== "IN_TRANSIT" && !TERMINAL_STATES.includes(state));

/**
 * The custody state machine: the one table every ledger implements. Explained, with the guards beyond
 * it, in docs/custody-table.md, whose copy of this table test/docs/custody-table.test.ts keeps equal.
 */
export const CUSTODY_TABLE: Readonly<Record<CustodyActionType, TransitionRule>> = {
  declare: { from: ["NONE", "PRODUCED"], to: "DECLARED", who: "OWNER_ENTERPRISE" },
  arrive: { from: ["DECLARED"], to: "ARRIVED", who: "CUSTOMS_OR_FACILITY_OPERATOR", facility: "BORDER_GATE" },
  store: { from: ["ARRIVED"], to: "IN_WAREHOUSE", who: "FACILITY_OPERATOR", facility: "WAREHOUSE" },
  hold: { from: ["ARRIVED", "IN_WAREHOUSE", "CLEARED", "IN_TRANSIT"], to: "HELD", who: "CUSTOMS" },
  unhold: { from: ["HELD"], to: "PRIOR", who: "CUSTOMS" },
  clear: { from: ["ARRIVED", "IN_WAREHOUSE"], to: "CLEARED", who: "CUSTOMS" },
  release: { from: ["CLEARED"], to: "RELEASED", who: "CUSTOMS_OR_CUSTODIAN", direction: "IMPORT" },
  depart: { from: ["CLEARED"], to: "EXPORTED", who: "CUSTOMS_OR_CUSTODIAN", direction: "EXPORT" },
  receive: { from: ["RELEASED"], to: "IN_PRODUCTION", who: "OWNER_AT_OWN_FACILITY", facility: "FACTORY" },
  transform: { from: ["IN_PRODUCTION"], to: "IN_PRODUCTION", who: "OWNER", creates: "PRODUCED" },
  split: { from: SPLITTABLE_STATES, to: "SPLIT", who: "CUSTODIAN_OR_OWNER", creates: "SAME" },
  destroy: { from: ["IN_WAREHOUSE", "IN_PRODUCTION", "HELD"], to: "DESTROYED", who: "CUSTOMS" },
  // The facility of seal is the destination; unseal lands ARRIVED there, or HELD (prior ARRIVED) when
  // the seal is broken or the deadline passed (docs/custody-table.md, "Transit under seal").
  seal: { from: ["ARRIVED"], to: "IN_TRANSIT", who: "CUSTOMS", facility: "WAREHOUSE" },
  unseal: { from: ["IN_TRANSIT"], to: "ARRIVED", who: "CUSTOMS_OR_FACILITY_OPERATOR", facility: "WAREHOUSE" },
  alert: { from: ["IN_TRANSIT"], to: "IN_TRANSIT", who: "CUSTOMS" },
};
