import { at, isPlainObject } from "../../domain/json-shapes.js";

export interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}

/**
 * Where `actual` differs from the partial `expected`: objects compare only the keys `expected` gives,
 * arrays must have the same length and compare element by element, anything else compares with ===.
 */
export function differences(expected: unknown, actual: unknown, path: string): Difference[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [{ path, expected, actual }];
    return expected.flatMap((element, index) => differences(element, actual[index], at(path, index)));
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [{ path, expected, actual }];
    return Object.entries(expected).flatMap(([key, value]) => differences(value, actual[key], at(path, key)));
  }
  return expected === actual ? [] : [{ path, expected, actual }];
}
