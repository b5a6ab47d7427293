/**
 * Small JSON decoders for the conformance vectors: each one checks a value's shape, converts it to its
 * typed form, and on failure names the exact path (`steps[2].action.goods.quantity`). Objects reject
 * keys they do not know, so a misspelt key fails loudly instead of being ignored.
 */

export class ShapeError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || "(top)"}: ${problem}`);
    this.name = "ShapeError";
  }
}

export type Decoder<T> = (value: unknown, path: string) => T;
type Decoded<D> = D extends Decoder<infer T> ? T : never;
type Fields = Record<string, Decoder<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Shape<R extends Fields, O extends Fields> = Simplify<{ [K in keyof R]: Decoded<R[K]> } & { [K in keyof O]?: Decoded<O[K]> }>;

export function at(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

export function mismatch(what: string, value: unknown, path: string): never {
  throw new ShapeError(path, `expected ${what}, got ${show(value)}`);
}

export const anything: Decoder<unknown> = (value) => value;

export const string: Decoder<string> = (value, path) => (typeof value === "string" ? value : mismatch("a string", value, path));

export const boolean: Decoder<boolean> = (value, path) => (typeof value === "boolean" ? value : mismatch("true or false", value, path));

export const integer: Decoder<number> = (value, path) =>
  typeof value === "number" && Number.isSafeInteger(value) ? value : mismatch("a whole number", value, path);

export const positiveInteger: Decoder<number> = (value, path) => {
  const number = integer(value, path);
  return number > 0 ? number : mismatch("a whole number above 0", value, path);
};

/** A quantity written as a decimal string ("1000"), so values beyond 2^53 stay exact. */
export const decimal: Decoder<bigint> = (value, path) =>
  typeof value === "string" && /^[0-9]+$/.test(value) ? BigInt(value) : mismatch('a decimal string such as "1000"', value, path);

export function oneOf<const T extends string>(values: readonly T[]): Decoder<T> {
  return (value, path) =>
    typeof value === "string" && (values as readonly string[]).includes(value)
      ? (value as T)
      : mismatch(`one of ${values.join(", ")}`, value, path);
}

export function literal<const T extends string | boolean>(expected: T): Decoder<T> {
  return (value, path) => (value === expected ? expected : mismatch(JSON.stringify(expected), value, path));
}

export function nullable<T>(inner: Decoder<T>): Decoder<T | null> {
  return (value, path) => (value === null ? null : inner(value, path));
}

export function array<T>(item: Decoder<T>, minimum = 0): Decoder<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return mismatch("an array", value, path);
    if (value.length < minimum) return mismatch(`an array of at least ${minimum} element(s)`, value, path);
    return value.map((element, index) => item(element, at(path, index)));
  };
}

export function pair<A, B>(first: Decoder<A>, second: Decoder<B>): Decoder<[A, B]> {
  return (value, path) => {
    if (!Array.isArray(value) || value.length !== 2) return mismatch("a pair [a, b]", value, path);
    return [first(value[0], at(path, 0)), second(value[1], at(path, 1))];
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON object with `required` and `optional` keys and no others. */
export function object<R extends Fields, O extends Fields = Record<never, never>>(
  required: R,
  optional?: O,
): Decoder<Shape<R, O>> {
  const known = [...Object.keys(required), ...Object.keys(optional ?? {})];
  return (value, path) => {
    if (!isPlainObject(value)) return mismatch("an object", value, path);
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) throw new ShapeError(path, `unknown key "${key}" (allowed: ${known.join(", ")})`);
    }
    const result: Record<string, unknown> = {};
    for (const [key, decode] of Object.entries(required)) {
      if (!(key in value)) throw new ShapeError(at(path, key), "missing");
      result[key] = decode(value[key], at(path, key));
    }
    for (const [key, decode] of Object.entries(optional ?? {})) {
      if (key in value) result[key] = decode(value[key], at(path, key));
    }
    return result as Shape<R, O>;
  };
}

/** An object whose keys are all optional: a partial expectation. */
export function partial<O extends Fields>(fields: O): Decoder<Shape<Record<never, never>, O>> {
  return object({}, fields);
}

/** A JSON object used as a map: every key is decoded by `key`, every value by `item`. */
export function record<K extends string, T>(key: Decoder<K>, item: Decoder<T>): Decoder<Record<K, T>> {
  return (value, path) => {
    if (!isPlainObject(value)) return mismatch("an object", value, path);
    const result = {} as Record<K, T>;
    for (const [name, element] of Object.entries(value)) result[key(name, at(path, name))] = item(element, at(path, name));
    return result;
  };
}

/** One of several object shapes, chosen by the string in its `tag` key. */
export function tagged<T>(tag: string, variants: Readonly<Record<string, Decoder<T>>>): Decoder<T> {
  return (value, path) => {
    if (!isPlainObject(value)) return mismatch("an object", value, path);
    const name = value[tag];
    const variant = typeof name === "string" && Object.hasOwn(variants, name) ? variants[name] : undefined;
    if (variant === undefined) return mismatch(`one of ${Object.keys(variants).join(", ")}`, name, at(path, tag));
    return variant(value, path);
  };
}
