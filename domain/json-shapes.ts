/**
 * Small strict decoders for JSON that crossed the Fabric boundary: each checks a value's shape and
 * converts it to its typed form (decimal strings to bigints), rejecting unknown keys, so a malformed
 * argument fails with INVALID_ARGUMENT instead of reaching the rules half-typed.
 */
import { fail } from "./errors.js";

export type Shape<T> = (value: unknown, path: string) => T;
export type Decoded<S> = S extends Shape<infer T> ? T : never;

function mismatch(expected: string, path: string): never {
  return fail("INVALID_ARGUMENT", `${path || "value"} must be ${expected}`, { field: path });
}

export const text: Shape<string> = (value, path) => (typeof value === "string" ? value : mismatch("a string", path));

export const hash: Shape<`0x${string}`> = (value, path) => text(value, path) as `0x${string}`;

export const number: Shape<number> = (value, path) => (typeof value === "number" && Number.isFinite(value) ? value : mismatch("a number", path));

export const bool: Shape<boolean> = (value, path) => (typeof value === "boolean" ? value : mismatch("true or false", path));

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
/** A bigint written as a decimal string, the only way bigints cross the Fabric boundary. */
export const integer: Shape<bigint> = (value, path) =>
  typeof value === "string" && INTEGER.test(value) ? BigInt(value) : mismatch("an integer as a decimal string", path);

export function oneOf<const T extends string>(values: readonly T[]): Shape<T> {
  return (value, path) => ((values as readonly unknown[]).includes(value) ? (value as T) : mismatch(`one of ${values.join(", ")}`, path));
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, path) => (value === null ? null : shape(value, path));
}

export function list<T>(shape: Shape<T>): Shape<T[]> {
  return (value, path) => (Array.isArray(value) ? value.map((item, index) => shape(item, `${path}[${index}]`)) : mismatch("an array", path));
}

export function record<F extends Record<string, Shape<unknown>>>(fields: F): Shape<{ [K in keyof F]: Decoded<F[K]> }> {
  return (value, path) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return mismatch("an object", path);
    const source = value as Record<string, unknown>;
    const unknown = Object.keys(source).find((key) => !(key in fields));
    if (unknown !== undefined) mismatch(`free of the unknown key "${unknown}"`, path);
    const result: Record<string, unknown> = {};
    for (const [key, shape] of Object.entries(fields)) result[key] = shape(source[key], path === "" ? key : `${path}.${key}`);
    return result as { [K in keyof F]: Decoded<F[K]> };
  };
}

/** One of several record shapes, chosen by the value's `type`. */
export function tagged<T extends { type: string }>(shapes: { readonly [K in T["type"]]: Shape<Extract<T, { type: K }>> }): Shape<T> {
  return (value, path) => {
    const type = (value as { type?: unknown } | null)?.type;
    const shape = typeof type === "string" && Object.hasOwn(shapes, type) ? shapes[type as T["type"]] : undefined;
    return shape === undefined ? mismatch(`an object whose type is one of ${Object.keys(shapes).join(", ")}`, path) : shape(value, path);
  };
}

/** JSON text with every bigint as a decimal string. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item));
}

export function fromJson<T>(shape: Shape<T>, json: string): T {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return mismatch("JSON", "");
  }
  return shape(value, "");
}
