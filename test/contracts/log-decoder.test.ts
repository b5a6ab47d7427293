/** The codec's own log decoder against ethers' `decodeEventLog`, on random values of every TraceGate event. */
import fc from "fast-check";
import type { EventFragment, ParamType } from "ethers";
import { describe, expect, it } from "vitest";
import { contractInterface, type TraceGateContractName } from "../../sdk/evm/artifacts.js";
import { logDecoder, type DecodedTuple } from "../../sdk/evm/log-decoder.js";

function arbitraryOf(type: ParamType): fc.Arbitrary<unknown> {
  const base = type.baseType;
  if (base === "tuple") return fc.tuple(...type.components!.map(arbitraryOf));
  if (base === "array") return fc.array(arbitraryOf(type.arrayChildren!), { maxLength: 3 });
  if (base === "string") return fc.string({ unit: "grapheme", maxLength: 40 });
  if (base === "bool") return fc.boolean();
  if (base === "address") return fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => `0x${Buffer.from(bytes).toString("hex")}`);
  if (base.startsWith("bytes"))
    return fc.uint8Array({ minLength: Number(base.slice(5)), maxLength: Number(base.slice(5)) }).map((bytes) => `0x${Buffer.from(bytes).toString("hex")}`);
  if (base.startsWith("uint")) return fc.bigInt({ min: 0n, max: (1n << BigInt(base.slice(4))) - 1n });
  throw new Error(`no values for ${type.type}`);
}

/** A decoded value as plain data, tuples by component name (ethers' Result is an array, ours an object). */
function plain(type: ParamType, value: any): unknown {
  if (type.baseType === "tuple") {
    return Object.fromEntries(
      type.components!.map((component, i) => [
        component.name,
        plain(component, Array.isArray(value) ? value[i] : (value as DecodedTuple).getValue(component.name)),
      ]),
    );
  }
  if (type.baseType === "array") return [...value].map((element) => plain(type.arrayChildren!, element));
  return value;
}

const events: Array<[string, TraceGateContractName, EventFragment]> = [];
for (const contract of ["TraceGateRegistry", "CustodyRegistry"] as const) {
  contractInterface(contract).forEachEvent((event) => events.push([`${contract}.${event.name}`, contract, event]));
}

describe("log decoder", () => {
  it.each(events)("decodes %s as ethers does", (_, contract, event) => {
    const iface = contractInterface(contract);
    const decode = logDecoder(event);
    const byName = (value: any) =>
      Object.fromEntries(event.inputs.map((input, i) => [input.name, plain(input, Array.isArray(value) ? value[i] : value.getValue(input.name))]));
    fc.assert(
      fc.property(fc.tuple(...event.inputs.map(arbitraryOf)), (values) => {
        const { topics, data } = iface.encodeEventLog(event, values);
        expect(byName(decode(topics, data))).toEqual(byName(iface.decodeEventLog(event, data, topics)));
      }),
      { numRuns: 50 },
    );
  });
});
