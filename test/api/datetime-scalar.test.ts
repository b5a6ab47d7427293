/**
 * The GraphQL DateTime scalar (a period's ends, a seal's deadline, findings' bounds) takes an ISO 8601 /
 * RFC 3339 time with its offset only, read by the parser EPCIS times go through: never Date.parse's
 * guesses ("1" is 2001-01-01 in the server's zone, "Dec 25 2030", a time without an offset read in the
 * server's zone), never a field out of range carried over; anything else is BAD_USER_INPUT before any
 * resolver runs.
 */
import fc from "fast-check";
import { graphql, type GraphQLScalarType } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../../api/schema/index.js";
import { outOfRangeTime, validTime } from "../epcis/iso-times.js";

const dateTime = schema.getType("DateTime") as GraphQLScalarType;
const parsed = (value: unknown) => {
  try {
    return dateTime.parseValue(value) as bigint;
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe("the DateTime scalar", () => {
  it("refuses what is not an ISO 8601 time with an offset, as BAD_USER_INPUT", () => {
    for (const value of [
      "1",
      "Dec 25 2030",
      "2030-12-25",
      "2026-12-01T08:00:00",
      "2026-12-01 08:00:00Z",
      "2026-12-01T08:00Z",
      "2026-13-45T99:99:99Z",
      "2026-02-30T00:00:00Z",
      "2026-12-01T08:00:00+25:00",
      "+999999999-01-01T00:00:00Z",
      "",
      1_800_000_000,
      null,
    ])
      expect([value, parsed(value)]).toEqual([value, "BAD_USER_INPUT"]);
  });

  it("reads a time with its offset as the same instant, in whole seconds (a fraction is dropped)", () => {
    expect(parsed("2026-12-01T08:00:00+07:00")).toBe(BigInt(Date.UTC(2026, 11, 1, 1) / 1000));
    expect(parsed("2026-12-01T01:00:00.999Z")).toBe(BigInt(Date.UTC(2026, 11, 1, 1) / 1000));
    expect(parsed("1969-12-31T23:59:59.5Z")).toBe(-1n);
    fc.assert(
      fc.property(validTime, (time) => {
        const millis = Date.parse(time.replace(/(\.\d{3})\d+/, "$1"));
        if (Number.isNaN(millis))
          expect(parsed(time)).toBe("BAD_USER_INPUT"); // beyond what a Date holds, as before
        else expect(parsed(time)).toBe(BigInt(Math.floor(millis / 1000)));
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(outOfRangeTime, (time) => {
        expect(parsed(time)).toBe("BAD_USER_INPUT");
      }),
    );
  });

  it("refuses a bad variable before any resolver runs, with the scalar's message", async () => {
    const result = await graphql({
      schema,
      source: "query ($period: PeriodInput!) { lots(filter: { period: $period }, first: 1) { totalCount } }",
      variableValues: { period: { from: "1", to: "Dec 25 2030" } },
      contextValue: {},
    });
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((error) => [error.extensions.code, error.message])).toEqual([
      ["BAD_USER_INPUT", expect.stringContaining('"1" is not an ISO 8601 date-time with an offset')],
      ["BAD_USER_INPUT", expect.stringContaining('"Dec 25 2030" is not an ISO 8601 date-time with an offset')],
    ]);
  });
});
