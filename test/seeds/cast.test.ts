/** The scenario's cast: one copy is the base registry and catalogue; each further copy adds companies of their own, sharing the places. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROLES_BY_ORG_KIND } from "../../domain/index.js";
import { castOf, MAX_COPIES } from "../../seeds/cast.js";
import { ENTERPRISES } from "../../seeds/catalog.js";
import { FACILITIES, MEMBERS, ORGANISATIONS } from "../../seeds/registry.js";

const duplicates = (values: readonly string[]) => values.filter((value, index) => values.indexOf(value) !== index);

describe("castOf", () => {
  it("gives the base cast, in its order, for one copy", () => {
    const cast = castOf(1);
    expect(cast.enterprises).toEqual(ENTERPRISES);
    expect(cast.organisations).toEqual(ORGANISATIONS);
    expect(cast.facilities).toEqual(FACILITIES);
    expect(cast.members).toEqual(MEMBERS);
  });

  it("adds per copy an enterprise with its own id, code, name, tax code and factory, and copies nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (copies) => {
        const cast = castOf(copies);
        const enterprises = cast.organisations.filter((organisation) => organisation.kind === "ENTERPRISE");
        expect(cast.enterprises).toHaveLength(ENTERPRISES.length * copies);
        expect(cast.organisations).toHaveLength(ORGANISATIONS.length + ENTERPRISES.length * (copies - 1));
        expect(cast.facilities).toHaveLength(FACILITIES.length + ENTERPRISES.length * (copies - 1));
        for (const values of [
          cast.organisations.map(({ id }) => id),
          cast.facilities.map(({ id }) => id),
          cast.enterprises.map(({ code }) => code),
          enterprises.map(({ name }) => name),
          enterprises.map(({ taxCode }) => taxCode),
        ])
          expect(duplicates(values)).toEqual([]);
        for (const { taxCode } of enterprises) expect(taxCode).toMatch(/^\d{10}$/);
        for (const profile of cast.enterprises) {
          expect(cast.organisation(profile.id).kind).toBe("ENTERPRISE");
          expect(cast.facility(profile.factory)).toMatchObject({ kind: "FACTORY", operator: profile.id });
          expect(cast.enterprise(profile.id)).toBe(profile);
        }
        const shared = cast.facilities.filter((facility) => facility.kind !== "FACTORY");
        expect(shared).toEqual(FACILITIES.filter((facility) => facility.kind !== "FACTORY"));
        expect(cast.members).toHaveLength(MEMBERS.length + (copies - 1) * ENTERPRISES.length * ROLES_BY_ORG_KIND.ENTERPRISE.length);
      }),
      { numRuns: 20 },
    );
  });

  it("names copy k after its base: ids and codes with the number, the same product and routes", () => {
    const cast = castOf(3);
    expect(cast.enterprise("HOANG-LONG-GARMENT-3")).toEqual({
      ...cast.enterprise("HOANG-LONG-GARMENT"),
      id: "HOANG-LONG-GARMENT-3",
      code: "HLG3",
      factory: "VNNDH-HOANGLONG-F1-3",
    });
    expect(cast.organisation("HOANG-LONG-GARMENT-3").name).toBe("Công ty CP May Hoàng Long (3)");
    expect(cast.facility("VNNDH-HOANGLONG-F1-3").name).toBe("Nhà máy May Hoàng Long, Nam Định (3)");
  });

  it("keeps tax codes distinct up to the most copies it makes", () => {
    const cast = castOf(MAX_COPIES);
    const taxCodes = cast.organisations.filter((organisation) => organisation.kind === "ENTERPRISE").map(({ taxCode }) => taxCode);
    expect(new Set(taxCodes).size).toBe(ENTERPRISES.length * MAX_COPIES);
  });

  it("refuses ids beyond its copies, and a count of copies it cannot make", () => {
    expect(() => castOf(2).enterprise("HOANG-LONG-GARMENT-3")).toThrow(RangeError);
    expect(() => castOf(2).facility("VNNDH-HOANGLONG-F1-3")).toThrow(RangeError);
    for (const bad of [0, 1.5, MAX_COPIES + 1, Number.NaN]) expect(() => castOf(bad)).toThrow(RangeError);
  });
});
