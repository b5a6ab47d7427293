/**
 * The contracts hold the custody table one to one (contracts/custody/CustodyRules.sol): every action's
 * row, field by field, equals CUSTODY_TABLE's, and the permission check answers as the domain's
 * `isAuthorized` for every permission × organisation kind × role × lot (absent, owned or held by the
 * caller or not) × facility (none, operated by the caller or not), and for a caller that is no member.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CUSTODY_ACTIONS,
  CUSTODY_TABLE,
  DIRECTIONS,
  FACILITY_KINDS,
  LOT_STATES,
  ORG_KINDS,
  PERMISSIONS,
  ROLES,
  type Facility,
  type Lot,
} from "../../domain/index.js";
import { isAuthorized } from "../../domain/custody.js";

/** The contract's `Creates` enum, in order. */
const CREATES = ["NOTHING", "PRODUCED", "SAME"] as const;

interface Harness {
  rule(
    action: number,
  ): Promise<{ from: bigint; to: bigint; toPrior: boolean; who: bigint; atFacility: boolean; facility: bigint; direction: bigint; creates: bigint }>;
  isAuthorized(who: number, actor: { org: number; orgKind: number; role: number }, owner: number, custodian: number, operator: number): Promise<boolean>;
}

describe("the contracts' custody rules", () => {
  let harness: Harness;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const connection = await (await import("hardhat")).default.network.create();
    harness = (await connection.ethers.deployContract("RulesHarness")) as unknown as Harness;
    close = () => connection.close();
  });
  afterAll(() => close?.());

  it("hold every row of CUSTODY_TABLE, field by field", async () => {
    for (const [index, action] of CUSTODY_ACTIONS.entries()) {
      const row = CUSTODY_TABLE[action];
      const r = await harness.rule(index);
      const from = LOT_STATES.filter((_, state) => ((r.from >> BigInt(state)) & 1n) === 1n);
      expect(from, action).toEqual(LOT_STATES.filter((state) => row.from.includes(state)));
      expect(r.toPrior ? "PRIOR" : LOT_STATES[Number(r.to)], action).toBe(row.to);
      expect(PERMISSIONS[Number(r.who)], action).toBe(row.who);
      expect(r.atFacility ? FACILITY_KINDS[Number(r.facility)] : undefined, action).toBe(row.facility);
      expect(DIRECTIONS[Number(r.direction)], action).toBe(row.direction ?? "NONE");
      expect(CREATES[Number(r.creates)], action).toBe(row.creates ?? "NOTHING");
    }
  });

  it("admit exactly whom the domain admits, case by case", async () => {
    const CALLER = 1;
    const others = { owner: 2, custodian: 3, operator: 4 };
    const id = (n: number) => `ORG-${n}`;
    const lots = [undefined, ...[CALLER, others.owner].flatMap((owner) => [CALLER, others.custodian].map((custodian) => ({ owner, custodian })))];
    const facilities = [undefined, CALLER, others.operator];
    const cases: Array<Promise<void>> = [];
    for (const [who, permission] of PERMISSIONS.entries()) {
      for (const [orgKind, kind] of ORG_KINDS.entries()) {
        for (const [role, roleName] of ROLES.entries()) {
          for (const member of [true, false]) {
            for (const lot of lots) {
              for (const operator of facilities) {
                const expected = isAuthorized(permission, { org: id(CALLER), role: roleName }, member ? { id: id(CALLER), kind } : undefined, {
                  lot: lot === undefined ? undefined : ({ owner: id(lot.owner), custodian: id(lot.custodian) } as Lot),
                  facility: operator === undefined ? undefined : ({ id: "F", kind: "WAREHOUSE", operator: id(operator) } as Facility),
                });
                const actor = { org: member ? CALLER : 0, orgKind, role };
                cases.push(
                  harness.isAuthorized(who, actor, lot?.owner ?? 0, lot?.custodian ?? 0, operator ?? 0).then((answer) => {
                    expect(answer, `${permission} ${kind} ${roleName} member=${member} lot=${JSON.stringify(lot)} operator=${operator}`).toBe(expected);
                  }),
                );
              }
            }
          }
        }
      }
    }
    await Promise.all(cases);
    expect(cases.length).toBe(PERMISSIONS.length * ORG_KINDS.length * ROLES.length * 2 * lots.length * facilities.length);
  });
});
