import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TraceGateError } from "../../domain/index.js";
import {
  array,
  checkedBy,
  decimal,
  fromJson,
  fromJsonWithDecimals,
  literal,
  nestsDeeperThan,
  object,
  ShapeError,
  tagged,
  toJson,
  toJsonValue,
} from "../../domain/json-shapes.js";
import { nested } from "../support/deep-json.js";
import { assertId } from "../../domain/validate.js";

type Move = { type: "move"; lots: string[] } | { type: "weigh"; quantity: bigint };
const move = tagged<Move>("type", {
  move: object({ type: literal("move"), lots: array(checkedBy(assertId, "an id")) }),
  weigh: object({ type: literal("weigh"), quantity: decimal }),
});

function refusal(json: string): ShapeError {
  try {
    fromJson(move, json);
  } catch (error) {
    if (error instanceof ShapeError) return error;
    throw error;
  }
  throw new Error(`accepted ${json}`);
}

describe("json-shapes, the one JSON decoder", () => {
  it("carries bigints as decimal strings, exact beyond 2^53, both ways", () => {
    const weighed: Move = { type: "weigh", quantity: 2n ** 96n - 1n };
    expect(toJson(weighed)).toBe('{"type":"weigh","quantity":"79228162514264337593543950335"}');
    expect(fromJson(move, toJson(weighed))).toEqual(weighed);
    expect(toJsonValue({ at: 5n, of: [1n] })).toEqual({ at: "5", of: ["1"] });
  });

  it("refuses with an INVALID_ARGUMENT ShapeError naming the exact path", () => {
    const cases: Array<[string, string, RegExp]> = [
      ['{"type":"weigh","quantity":5}', "quantity", /expected a decimal string/],
      ['{"type":"weigh","quantity":"1e3"}', "quantity", /expected a decimal string/],
      ['{"type":"move","lots":["A","has space"]}', "lots[1]", /expected an id, got "has space"/],
      ['{"type":"move","lots":[],"extra":1}', "", /unknown key "extra"/],
      ['{"type":"move"}', "lots", /missing/],
      ['{"type":"fly"}', "type", /expected one of move, weigh/],
      ["[1", "", /expected JSON/],
    ];
    for (const [json, path, problem] of cases) {
      const error = refusal(json);
      expect(error, json).toBeInstanceOf(TraceGateError);
      expect(error.code).toBe("INVALID_ARGUMENT");
      expect([error.path, error.details.field]).toEqual([path, path]);
      expect(error.problem).toMatch(problem);
    }
  });

  it("revives decimals under the named keys only, in JSON it wrote itself", () => {
    const json = toJson({ time: 7n, consumed: [{ lot: "L", quantity: 3n }], reason: "12" });
    expect(fromJsonWithDecimals(json, new Set(["time", "quantity"]))).toEqual({ time: 7n, consumed: [{ lot: "L", quantity: 3n }], reason: "12" });
  });
});

describe("nestsDeeperThan", () => {
  it("is the depth of the deepest list or object, compared with the limit", () => {
    // A value of known depth: `depth` levels of lists or objects around a scalar, beside shallower siblings.
    const valueOfDepth = fc.integer({ min: 0, max: 60 }).chain((depth) =>
      fc.tuple(fc.constant(depth), fc.array(fc.boolean(), { minLength: depth, maxLength: depth })).map(([, kinds]) => {
        let value: unknown = "leaf";
        for (const isList of kinds) value = isList ? [1, value, []] : { a: value, b: null, c: {} };
        return { depth, value };
      }),
    );
    fc.assert(
      fc.property(valueOfDepth, fc.integer({ min: 0, max: 60 }), ({ depth, value }, limit) => {
        // The innermost level's empty list or object is one level deeper still.
        const deepest = depth === 0 ? 0 : depth + 1;
        expect(nestsDeeperThan(value, limit)).toBe(deepest > limit);
      }),
    );
  });

  it("answers for any depth without recursion", () => {
    const value = nested(200_000);
    expect(nestsDeeperThan(value, 16)).toBe(true);
    expect(nestsDeeperThan(value, 200_000)).toBe(false);
  });
});
