/**
 * Who takes part in one scenario: `copies` of the enterprise cast (catalog.ts, registry.ts) and the
 * places and authorities they share. A national-scale year needs hundreds of enterprises, not six, so
 * copy k ≥ 2 of each profile is a company of its own: its organisation (`HOANG-LONG-GARMENT-2`, named
 * "… (2)", its own tax code), its factory (`VNNDH-HOANGLONG-F1-2`, operated by the copy) and its code in
 * lot and document ids (`HLG2`). Border gates, bonded warehouses, ICDs, issuers and customs are real
 * places and authorities that serve every enterprise, so they are never copied. One copy is exactly
 * the base cast, in the same order.
 */
import type { Id } from "../domain/index.js";
import { ENTERPRISES, type EnterpriseProfile } from "./catalog.js";
import { FACILITIES, membersOf, ORGANISATIONS, type Member, type ScenarioFacility, type ScenarioOrganisation } from "./registry.js";

/** Tax codes of copies hold the copy number in four digits. */
export const MAX_COPIES = 9_999;

export interface ScenarioCast {
  readonly copies: number;
  readonly enterprises: readonly EnterpriseProfile[];
  readonly organisations: readonly ScenarioOrganisation[];
  readonly facilities: readonly ScenarioFacility[];
  /** One member account per organisation and role its kind may hold. */
  readonly members: readonly Member[];
  organisation(id: Id): ScenarioOrganisation;
  facility(id: Id): ScenarioFacility;
  enterprise(id: Id): EnterpriseProfile;
}

/** The base cast and `copies - 1` copies of its enterprises, each with its organisation and factory. */
export function castOf(copies: number): ScenarioCast {
  if (!Number.isSafeInteger(copies) || copies < 1 || copies > MAX_COPIES)
    throw new RangeError(`a scenario has 1 to ${MAX_COPIES} copies of its enterprises, not ${copies}`);
  const enterprises = [...ENTERPRISES];
  const organisations = [...ORGANISATIONS];
  const facilities = [...FACILITIES];
  const organisationById = byId(organisations);
  const facilityById = byId(facilities);
  for (let copy = 2; copy <= copies; copy++) {
    for (const profile of ENTERPRISES) {
      const company = organisationById.get(profile.id)!;
      const factory = facilityById.get(profile.factory)!;
      const id = `${profile.id}-${copy}`;
      enterprises.push({ ...profile, id, code: `${profile.code}${copy}`, factory: `${factory.id}-${copy}` });
      organisations.push({ ...company, id, name: `${company.name} (${copy})`, taxCode: copiedTaxCode(company.taxCode, copy) });
      facilities.push({ ...factory, id: `${factory.id}-${copy}`, operator: id, name: `${factory.name} (${copy})` });
    }
  }
  const lookup =
    <T extends { id: Id }>(table: ReadonlyMap<Id, T>, what: string) =>
    (id: Id) => {
      const found = table.get(id);
      if (found === undefined) throw new RangeError(`no ${what} ${id} in a scenario of ${copies} copies`);
      return found;
    };
  return {
    copies,
    enterprises,
    organisations,
    facilities,
    members: membersOf(organisations),
    organisation: lookup(byId(organisations), "scenario organisation"),
    facility: lookup(byId(facilities), "scenario facility"),
    enterprise: lookup(byId(enterprises), "enterprise profile"),
  };
}

function byId<T extends { id: Id }>(items: readonly T[]): Map<Id, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/**
 * A ten-digit mã số thuế for copy `copy`: the base's province prefix, a 9 (no base code has one third),
 * the copy in four digits and the base's last three (distinct across the base enterprises).
 */
function copiedTaxCode(base: string, copy: number): string {
  return `${base.slice(0, 2)}9${String(copy).padStart(4, "0")}${base.slice(-3)}`;
}
