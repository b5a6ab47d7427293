/**
 * TraceGate's one way to read JSON: small strict shapes that check a value and convert it to its typed
 * form, and the one bigint codec (bigints travel as decimal strings). The chaincode's wire format, the
 * conformance vectors, proof files and balance reports all decode through these, so a bad value fails
 * the same way everywhere: a ShapeError naming its exact path (`steps[2].action.goods.quantity`).
 * Objects reject keys they do not know, so a misspelt key fails loudly instead of being ignored.
 */
import { TraceGateError } from "./errors.js";

/**
 * A value of the wrong shape: `path` is where (`materials[1].closing`, "" for the whole value),
 * `problem` what is wrong. An INVALID_ARGUMENT, as any malformed argument to a ledger is.
 */
export class ShapeError extends TraceGateError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super("INVALID_ARGUMENT", `${path || "(top)"}: ${problem}`, { field: path });
  }

  /** Where and what, without the error code and next step: for formats with errors of their own. */
  get where(): string {
    return `${this.path || "(top)"}: ${this.problem}`;
  }
}

/** A file or document that is not in its format (a proof file, running.json, …); `field` says where. */
export class FormatError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Runs `decode`, turning a ShapeError into the error `refuse` makes of its place and path. */
export function decodeAs<T>(refuse: (where: string, path: string) => Error, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ShapeError) throw refuse(error.where, error.path);
    throw error;
  }
}

export type Shape<T> = (value: unknown, path: string) => T;
export type Decoded<S> = S extends Shape<infer T> ? T : never;
type Fields = Record<string, Shape<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectOf<R extends Fields, O extends Fields> = Simplify<{ [K in keyof R]: Decoded<R[K]> } & { [K in keyof O]?: Decoded<O[K]> }>;

/** The path of `key` inside `path`. */
export function at(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/**
 * A value as an error quotes it: a scalar as JSON (a bigint as its decimal string), a long string cut,
 * a list or an object by what it is. Never the whole of a caller's value: JSON.stringify would copy it,
 * and throws past about 5,000 levels of nesting, which 10 KB of brackets reach.
 */
export function quoted(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object" && value !== null) return "an object";
  if (typeof value === "string" && value.length > QUOTED_LENGTH) return `${JSON.stringify(value.slice(0, QUOTED_LENGTH))}…`;
  return JSON.stringify(value, bigintsAsDecimals) ?? String(value);
}
const QUOTED_LENGTH = 80;

/** Whether lists and objects nest in `value` more than `limit` deep; walked without recursion, so any depth is safe to ask about. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ item: unknown; depth: number }> = [{ item: value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { item, depth } = next;
    if (typeof item !== "object" || item === null) continue;
    if (depth === limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push({ item: child, depth: depth + 1 });
  }
  return false;
}

export function mismatch(what: string, value: unknown, path: string): never {
  throw new ShapeError(path, `expected ${what}, got ${quoted(value)}`);
}

export const anything: Shape<unknown> = (value) => value;

export const string: Shape<string> = (value, path) => (typeof value === "string" ? value : mismatch("a string", value, path));

/** A string the domain checks later as a hash (assertHash), typed as one. */
export const hash: Shape<`0x${string}`> = (value, path) => string(value, path) as `0x${string}`;

export const boolean: Shape<boolean> = (value, path) => (typeof value === "boolean" ? value : mismatch("true or false", value, path));

export const integer: Shape<number> = (value, path) =>
  typeof value === "number" && Number.isSafeInteger(value) ? value : mismatch("a whole number", value, path);

export const positiveInteger: Shape<number> = (value, path) => {
  const number = integer(value, path);
  return number > 0 ? number : mismatch("a whole number above 0", value, path);
};

const DECIMAL = /^-?(0|[1-9][0-9]*)$/;

/** A bigint written as a decimal string ("1000"): the only way bigints cross JSON, so they stay exact. */
export const decimal: Shape<bigint> = (value, path) =>
  typeof value === "string" && DECIMAL.test(value) ? BigInt(value) : mismatch('a decimal string such as "1000"', value, path);

export function oneOf<const T extends string>(values: readonly T[]): Shape<T> {
  return (value, path) =>
    typeof value === "string" && (values as readonly string[]).includes(value) ? (value as T) : mismatch(`one of ${values.join(", ")}`, value, path);
}

export function literal<const T extends string | number | boolean>(expected: T): Shape<T> {
  return (value, path) => (value === expected ? expected : mismatch(JSON.stringify(expected), value, path));
}

export function nullable<T>(inner: Shape<T>): Shape<T | null> {
  return (value, path) => (value === null ? null : inner(value, path));
}

/** `inner`, and then `check` on what it decoded, failing with `what` the value must be. */
export function refined<T>(inner: Shape<T>, check: (value: T) => boolean, what: string): Shape<T> {
  return (value, path) => {
    const decoded = inner(value, path);
    return check(decoded) ? decoded : mismatch(what, value, path);
  };
}

/** A string that passes a domain format check (assertId, assertHash), failing with `what` it must be. */
export function checkedBy<T extends string>(check: (value: string, field: string) => T, what: string): Shape<T> {
  return (value, path) => {
    try {
      return check(string(value, path), path);
    } catch (error) {
      if (error instanceof TraceGateError && !(error instanceof ShapeError)) return mismatch(what, value, path);
      throw error;
    }
  };
}

export function array<T>(item: Shape<T>, minimum = 0): Shape<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return mismatch("an array", value, path);
    if (value.length < minimum) return mismatch(`an array of at least ${minimum} element(s)`, value, path);
    return value.map((element, index) => item(element, at(path, index)));
  };
}

export function pair<A, B>(first: Shape<A>, second: Shape<B>): Shape<[A, B]> {
  return (value, path) => {
    if (!Array.isArray(value) || value.length !== 2) return mismatch("a pair [a, b]", value, path);
    return [first(value[0], at(path, 0)), second(value[1], at(path, 1))];
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON object with `required` and `optional` keys and no others. */
export function object<R extends Fields, O extends Fields = Record<never, never>>(required: R, optional?: O): Shape<ObjectOf<R, O>> {
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
    return result as ObjectOf<R, O>;
  };
}

/**
 * A JSON object with at least the `required` keys, its other members kept as they are: for standard
 * formats whose readers must ignore members they do not know (a JWK Set, RFC 7517).
 */
export function openObject<R extends Fields>(required: R): Shape<ObjectOf<R, Record<never, never>> & Record<string, unknown>> {
  return (value, path) => {
    if (!isPlainObject(value)) return mismatch("an object", value, path);
    const result: Record<string, unknown> = { ...value };
    for (const [key, decode] of Object.entries(required)) {
      if (!(key in value)) throw new ShapeError(at(path, key), "missing");
      result[key] = decode(value[key], at(path, key));
    }
    return result as ObjectOf<R, Record<never, never>> & Record<string, unknown>;
  };
}

/** An object whose keys are all optional: a partial expectation. */
export function partial<O extends Fields>(fields: O): Shape<ObjectOf<Record<never, never>, O>> {
  return object({}, fields);
}

/** A JSON object used as a map: every key is decoded by `key`, every value by `item`. */
export function record<K extends string, T>(key: Shape<K>, item: Shape<T>): Shape<Record<K, T>> {
  return (value, path) => {
    if (!isPlainObject(value)) return mismatch("an object", value, path);
    const result = {} as Record<K, T>;
    for (const [name, element] of Object.entries(value)) result[key(name, at(path, name))] = item(element, at(path, name));
    return result;
  };
}

/** One of several object shapes, chosen by the string in its `tag` key: one shape for each tag of T. */
export function tagged<T extends Record<K, string>, K extends string = "type">(
  tag: K,
  variants: { readonly [V in T[K]]: Shape<Extract<T, Record<K, V>>> },
): Shape<T> {
  return (value, path) => {
    if (!isPlainObject(value)) return mismatch("an object", value, path);
    const name = value[tag];
    const variant: Shape<T> | undefined = typeof name === "string" && Object.hasOwn(variants, name) ? variants[name as T[K]] : undefined;
    if (variant === undefined) return mismatch(`one of ${Object.keys(variants).join(", ")}`, name, at(path, tag));
    return variant(value, path);
  };
}

/** JSON.stringify's replacer that writes every bigint as a decimal string. */
export function bigintsAsDecimals(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** JSON text with every bigint as a decimal string (`indent` as JSON.stringify's). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, bigintsAsDecimals, indent);
}

/** The same value as plain JSON data (bigints as decimal strings), for a JSON field of an API. */
export function toJsonValue(value: unknown): unknown {
  return JSON.parse(toJson(value));
}

/** JSON text as a value, or a ShapeError saying it is not JSON. */
export function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new ShapeError("", `expected JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

export function fromJson<T>(shape: Shape<T>, json: string): T {
  return shape(parseJson(json), "");
}

/**
 * JSON text whose values under `keys` (at any depth) that are decimal strings become bigints, for
 * JSON this program wrote itself (the index's payloads), where a full shape would only cost time.
 */
export function fromJsonWithDecimals(json: string, keys: ReadonlySet<string>): unknown {
  return JSON.parse(json, (key, value: unknown) => (keys.has(key) && typeof value === "string" && DECIMAL.test(value) ? BigInt(value) : value));
}
