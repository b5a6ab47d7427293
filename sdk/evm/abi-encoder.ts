/**
 * ABI encoding compiled once per parameter list, for the calls and hashes a writer makes for every
 * action. Ethers' AbiCoder builds a coder tree and converts bytes on every call: a capture job of
 * 1,000 events spent a quarter of its time there. This walks the same ParamTypes once and encodes
 * straight to hex, with the checks the ABI needs (widths, ranges, lengths); test/chain/abi-encoder.test.ts
 * compares it with AbiCoder on every function of the contracts.
 */
import { keccak256, type Interface, type ParamType } from "ethers";

/** One value's encoding: `head` inline where the value is static, else its tail behind an offset. */
interface Coder {
  dynamic: boolean;
  /** Hex without 0x: the whole encoding of a static value, the tail of a dynamic one. */
  encode(value: unknown): string;
}

const WORD = 64;
const HEX = /^0x([0-9a-fA-F]{2})*$/;

function word(value: bigint): string {
  return value.toString(16).padStart(WORD, "0");
}

function hexOf(value: unknown, type: string): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (typeof value !== "string" || !HEX.test(value)) throw new TypeError(`${type}: expected hex bytes, got ${describe(value)}`);
  return value.slice(2).toLowerCase();
}

function describe(value: unknown): string {
  return typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? String(value));
}

function padRight(hex: string): string {
  const rest = hex.length % WORD;
  return rest === 0 ? hex : hex + "0".repeat(WORD - rest);
}

function integer(type: string, signed: boolean, bits: number): Coder {
  const limit = 1n << BigInt(signed ? bits - 1 : bits);
  const min = signed ? -limit : 0n;
  return {
    dynamic: false,
    encode(value) {
      const number = typeof value === "bigint" ? value : typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : undefined;
      if (number === undefined || number < min || number >= limit) throw new RangeError(`${type}: ${describe(value)} is out of range`);
      return word(number < 0n ? (1n << 256n) + number : number);
    },
  };
}

function fixedBytes(type: string, size: number): Coder {
  return {
    dynamic: false,
    encode(value) {
      const hex = hexOf(value, type);
      if (hex.length !== size * 2) throw new RangeError(`${type}: expected ${size} bytes, got ${hex.length / 2}`);
      return padRight(hex);
    },
  };
}

const BOOL: Coder = {
  dynamic: false,
  encode(value) {
    if (typeof value !== "boolean") throw new TypeError(`bool: expected a boolean, got ${describe(value)}`);
    return word(value ? 1n : 0n);
  },
};

const ADDRESS: Coder = {
  dynamic: false,
  encode(value) {
    const hex = hexOf(value, "address");
    if (hex.length !== 40) throw new RangeError(`address: expected 20 bytes, got ${hex.length / 2}`);
    return hex.padStart(WORD, "0");
  },
};

function dynamicBytes(text: boolean): Coder {
  return {
    dynamic: true,
    encode(value) {
      if (text && typeof value !== "string") throw new TypeError(`string: expected a string, got ${describe(value)}`);
      const hex = text ? Buffer.from(value as string, "utf8").toString("hex") : hexOf(value, "bytes");
      return word(BigInt(hex.length / 2)) + padRight(hex);
    },
  };
}

/** Head-and-tail encoding of values in order: static ones inline, dynamic ones behind offsets. */
function sequence(coders: readonly Coder[], values: readonly unknown[]): string {
  const encoded = coders.map((coder, index) => coder.encode(values[index]));
  let headBytes = 0;
  for (const [index, coder] of coders.entries()) headBytes += coder.dynamic ? 32 : encoded[index]!.length / 2;
  let head = "";
  let tail = "";
  for (const [index, coder] of coders.entries()) {
    if (!coder.dynamic) head += encoded[index];
    else {
      head += word(BigInt(headBytes + tail.length / 2));
      tail += encoded[index];
    }
  }
  return head + tail;
}

function tuple(type: ParamType): Coder {
  const components = type.components!;
  const coders = components.map(coderFor);
  return {
    dynamic: coders.some((coder) => coder.dynamic),
    encode(value) {
      if (typeof value !== "object" || value === null) throw new TypeError(`${type.format()}: expected a tuple, got ${describe(value)}`);
      const values = Array.isArray(value) ? value : components.map((component) => (value as Record<string, unknown>)[component.name]);
      if (values.length !== components.length) throw new RangeError(`${type.format()}: expected ${components.length} values, got ${values.length}`);
      return sequence(coders, values);
    },
  };
}

function array(type: ParamType): Coder {
  const element = coderFor(type.arrayChildren!);
  const length = type.arrayLength!;
  return {
    dynamic: length === -1 || element.dynamic,
    encode(value) {
      if (!Array.isArray(value)) throw new TypeError(`${type.format()}: expected an array, got ${describe(value)}`);
      if (length !== -1 && value.length !== length) throw new RangeError(`${type.format()}: expected ${length} elements, got ${value.length}`);
      const body = sequence(
        value.map(() => element),
        value,
      );
      return length === -1 ? word(BigInt(value.length)) + body : body;
    },
  };
}

function coderFor(type: ParamType): Coder {
  if (type.isTuple()) return tuple(type);
  if (type.isArray()) return array(type);
  const base = type.baseType;
  if (base === "bool") return BOOL;
  if (base === "address") return ADDRESS;
  if (base === "string" || base === "bytes") return dynamicBytes(base === "string");
  const integerMatch = /^(u?)int(\d*)$/.exec(base);
  if (integerMatch) return integer(base, integerMatch[1] === "", Number(integerMatch[2] || 256));
  const bytesMatch = /^bytes(\d+)$/.exec(base);
  if (bytesMatch) return fixedBytes(base, Number(bytesMatch[1]));
  throw new TypeError(`no ABI encoder for ${type.format()}`);
}

/** `abi.encode(...)` of values of these types, as 0x hex. */
export function abiEncoder(types: readonly ParamType[]): (values: readonly unknown[]) => string {
  const coders = types.map(coderFor);
  return (values) => {
    if (values.length !== coders.length) throw new RangeError(`expected ${coders.length} values, got ${values.length}`);
    return `0x${sequence(coders, values)}`;
  };
}

/** `keccak256(abi.encode(...))` of values of these types. */
export function abiHasher(types: readonly ParamType[]): (values: readonly unknown[]) => string {
  const encode = abiEncoder(types);
  return (values) => keccak256(encode(values));
}

const calls = new WeakMap<Interface, Map<string, (args: readonly unknown[]) => string>>();

/** The calldata of `contract.name(args)`: what `Interface.encodeFunctionData` gives, compiled once per function. */
export function encodeCall(contract: Interface, name: string, args: readonly unknown[]): string {
  let functions = calls.get(contract);
  if (functions === undefined) calls.set(contract, (functions = new Map()));
  let encode = functions.get(name);
  if (encode === undefined) {
    const fragment = contract.getFunction(name);
    if (fragment === null) throw new TypeError(`the contract has no function ${name}`);
    const body = abiEncoder(fragment.inputs);
    encode = (values) => fragment.selector + body(values).slice(2);
    functions.set(name, encode);
  }
  return encode(args);
}
