/**
 * Event logs decoded straight from their hex, with a reader compiled once per event from its ABI.
 * ethers' `decodeEventLog` builds its coders and a Proxy-backed `Result` for every log and hashes the
 * event's signature each time: over half a millisecond for a custody event, which made decoding the
 * bottleneck of following a chain. The values are the ones ethers gives (uints as bigint, bytes32 as
 * lowercase hex, checksummed addresses, strings UTF-8), in objects that answer the `Result` methods
 * the codec uses (`getValue`, `toObject`). Where ethers throws on a string that is not valid UTF-8
 * (which a contract deployed before the contracts checked reasons may have emitted), this decoder
 * replaces each bad sequence with U+FFFD, as TextDecoder does, and tells the caller's sink the raw bytes.
 */
import { getAddress, type EventFragment, type ParamType } from "ethers";
import type { MalformedValueSink } from "./ids.js";

/** What the codec reads of a decoded tuple: ethers' `Result` methods, on a plain object. */
export interface DecodedTuple {
  // biome-ignore lint/suspicious/noExplicitAny: ethers' Result.getValue, whose callers (the codec) read each field as its ABI type
  getValue(name: string): any;
  // biome-ignore lint/suspicious/noExplicitAny: ethers' Result.toObject, as above
  toObject(): Record<string, any>;
}

const TUPLE_METHODS: Pick<DecodedTuple, "getValue" | "toObject"> = {
  getValue(this: Record<string, unknown>, name: string) {
    if (!(name in this)) throw new Error(`no value named ${name}`);
    return this[name];
  },
  toObject(this: Record<string, unknown>) {
    return { ...this };
  },
};

function tuple(values: Record<string, unknown>): DecodedTuple {
  return Object.assign(Object.create(TUPLE_METHODS) as DecodedTuple, values);
}

/** Reads a value at `at` (an offset in hex characters into the data, without its 0x). */
interface Reader {
  dynamic: boolean;
  /** Hex characters the value takes in its tuple's head when static. */
  width: number;
  read(data: string, at: number, malformed?: MalformedValueSink): unknown;
}

const WORD = 64;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const lossyUtf8 = new TextDecoder("utf-8");

/** The string of UTF-8 `bytes`; bytes that are not valid UTF-8 give U+FFFD and are reported raw. */
function text(bytes: Buffer, malformed: MalformedValueSink | undefined): string {
  try {
    return utf8.decode(bytes);
  } catch {
    malformed?.("string", `0x${bytes.toString("hex")}`);
    return lossyUtf8.decode(bytes);
  }
}
const word = (data: string, at: number) => {
  if (at + WORD > data.length) throw new RangeError("the log's data ends before its values do");
  return data.slice(at, at + WORD);
};
const integer = (data: string, at: number) => BigInt(`0x${word(data, at)}`);
/** An offset or a length: small enough for a JavaScript number. */
const count = (data: string, at: number) => Number(integer(data, at));

function staticReader(read: (value: string) => unknown): Reader {
  return { dynamic: false, width: WORD, read: (data, at) => read(word(data, at)) };
}

function readerOf(type: ParamType): Reader {
  const base = type.baseType;
  if (base === "tuple") return tupleReader(type.components!);
  if (base === "array") {
    if (type.arrayLength !== -1) throw new Error(`fixed-size arrays (${type.type}) are not used by TraceGate events`);
    const element = readerOf(type.arrayChildren!);
    return {
      dynamic: true,
      width: WORD,
      read(data, at, malformed) {
        const length = count(data, at);
        const start = at + WORD;
        return Array.from({ length }, (_, i) =>
          element.dynamic ? element.read(data, start + 2 * count(data, start + i * WORD), malformed) : element.read(data, start + i * element.width, malformed),
        );
      },
    };
  }
  if (base === "string" || base === "bytes") {
    return {
      dynamic: true,
      width: WORD,
      read(data, at, malformed) {
        const hex = data.slice(at + WORD, at + WORD + 2 * count(data, at));
        return base === "bytes" ? `0x${hex}` : text(Buffer.from(hex, "hex"), malformed);
      },
    };
  }
  if (base === "bool") return staticReader((value) => BigInt(`0x${value}`) !== 0n);
  if (base === "address") return staticReader((value) => getAddress(`0x${value.slice(24)}`));
  if (base.startsWith("bytes")) return staticReader((value) => `0x${value.slice(0, 2 * Number(base.slice(5)))}`);
  if (base.startsWith("uint")) return staticReader((value) => BigInt(`0x${value}`));
  if (base.startsWith("int")) return staticReader((value) => BigInt.asIntN(Number(base.slice(3) || 256), BigInt(`0x${value}`)));
  throw new Error(`ABI type ${type.type} is not used by TraceGate events`);
}

function tupleReader(components: readonly ParamType[]): Reader {
  const fields = components.map((component) => ({ name: component.name, reader: readerOf(component) }));
  const dynamic = fields.some(({ reader }) => reader.dynamic);
  return {
    dynamic,
    width: dynamic ? WORD : fields.reduce((width, { reader }) => width + reader.width, 0),
    read(data, at, malformed) {
      const values: Record<string, unknown> = {};
      let head = at;
      for (const { name, reader } of fields) {
        values[name] = reader.dynamic ? reader.read(data, at + 2 * count(data, head), malformed) : reader.read(data, head, malformed);
        head += reader.dynamic ? WORD : reader.width;
      }
      return tuple(values);
    },
  };
}

/**
 * A decoder for logs of `event`: its indexed arguments from the topics, the others from the data;
 * `malformed` hears of each string that was not valid UTF-8.
 */
export function logDecoder(event: EventFragment): (topics: readonly string[], data: string, malformed?: MalformedValueSink) => DecodedTuple {
  const indexed = event.inputs.filter((input) => input.indexed).map((input) => ({ name: input.name, reader: readerOf(input) }));
  for (const { reader } of indexed) if (reader.dynamic) throw new Error(`${event.name}: indexed dynamic values are only hashes`);
  const body = tupleReader(event.inputs.filter((input) => !input.indexed));
  return (topics, data, malformed) => {
    if (topics.length !== indexed.length + 1) throw new Error(`${event.name} has ${indexed.length} indexed values, the log ${topics.length - 1}`);
    const values = (body.read(data.slice(2), 0, malformed) as DecodedTuple).toObject();
    indexed.forEach(({ name, reader }, i) => (values[name] = reader.read(topics[i + 1]!.slice(2), 0)));
    return tuple(values);
  };
}
