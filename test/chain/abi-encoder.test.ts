/**
 * The compiled ABI encoder (sdk/evm/abi-encoder.ts) gives exactly what ethers' AbiCoder gives, for every
 * function of both contracts and for the lot and norm hashes, on random values of each parameter's type;
 * and refuses what AbiCoder refuses: a value out of its type's range, bytes of the wrong length.
 */
import fc from "fast-check";
import { AbiCoder, keccak256, ParamType } from "ethers";
import { describe, expect, it } from "vitest";
import { abiEncoder, abiHasher, encodeCall } from "../../sdk/evm/abi-encoder.js";
import { contractInterface, type TraceGateContractName } from "../../sdk/evm/artifacts.js";

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => `0x${Buffer.from(b).toString("hex")}`);

/** Random values of an ABI type, in the shapes callers pass (objects for tuples, bigint or number for integers). */
function arbitraryOf(type: ParamType): fc.Arbitrary<unknown> {
  if (type.isTuple()) {
    return fc
      .tuple(...type.components!.map(arbitraryOf))
      .map((values) => Object.fromEntries(type.components!.map((component, i) => [component.name, values[i]])));
  }
  if (type.isArray()) {
    const element = arbitraryOf(type.arrayChildren!);
    const length = type.arrayLength!;
    return length === -1 ? fc.array(element, { maxLength: 4 }) : fc.array(element, { minLength: length, maxLength: length });
  }
  const base = type.baseType;
  if (base === "bool") return fc.boolean();
  if (base === "address") return hex(20);
  if (base === "string") return fc.string({ unit: "grapheme", maxLength: 40 });
  if (base === "bytes") return fc.integer({ min: 0, max: 70 }).chain(hex);
  const integer = /^(u?)int(\d*)$/.exec(base);
  if (integer) {
    const bits = BigInt(integer[2] || 256);
    const signed = integer[1] === "";
    const big = signed ? fc.bigInt({ min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n }) : fc.bigInt({ min: 0n, max: (1n << bits) - 1n });
    return bits <= 32n ? fc.oneof(big, big.map(Number)) : big;
  }
  const bytes = /^bytes(\d+)$/.exec(base);
  if (bytes) return hex(Number(bytes[1]));
  throw new Error(`no arbitrary for ${type.format()}`);
}

const CONTRACTS: TraceGateContractName[] = ["CustodyRegistry", "TraceGateRegistry"];

describe("the compiled ABI encoder", () => {
  for (const contract of CONTRACTS) {
    const iface = contractInterface(contract);
    const functions = iface.fragments
      .filter((fragment) => fragment.type === "function")
      .map((fragment) => fragment as unknown as { name: string; inputs: ParamType[] });
    it(`encodes every function of ${contract} as ethers does`, () => {
      expect(functions.length).toBeGreaterThan(5);
      for (const { name, inputs } of functions) {
        fc.assert(
          fc.property(fc.tuple(...inputs.map(arbitraryOf)), (args) => {
            expect(encodeCall(iface, name, args)).toBe(iface.encodeFunctionData(name, args));
          }),
          { numRuns: 40 },
        );
      }
    });
  }

  it("hashes a lot and a norm as keccak256(abi.encode(...)) does", () => {
    const lot = contractInterface("CustodyRegistry")
      .getEvent("CustodyRecorded")!
      .inputs.find((input) => input.name === "next")!;
    const norm = contractInterface("TraceGateRegistry")
      .getEvent("NormRegistered")!
      .inputs.find((input) => input.name === "norm")!;
    const coder = AbiCoder.defaultAbiCoder();
    fc.assert(
      fc.property(arbitraryOf(lot), arbitraryOf(norm), (lotValue, normValue) => {
        expect(abiHasher([lot])([lotValue])).toBe(keccak256(coder.encode([lot], [lotValue])));
        expect(abiEncoder([lot, norm])([lotValue, normValue])).toBe(coder.encode([lot, norm], [lotValue, normValue]));
      }),
      { numRuns: 200 },
    );
  });

  it("encodes the types the contracts do not use yet as ethers does: signed, nested, fixed arrays", () => {
    const coder = AbiCoder.defaultAbiCoder();
    const types = [
      "int8",
      "int256",
      "int64[]",
      "tuple(int16 a, bytes b, string[] c)[2]",
      "bytes[]",
      "uint8[3][]",
      "address",
      "bytes1",
      "tuple(bool x, tuple(uint256 y, string z) inner)",
    ].map((type) => ParamType.from(type));
    for (const type of types) {
      fc.assert(
        fc.property(arbitraryOf(type), arbitraryOf(ParamType.from("uint16")), (value, after) => {
          expect(abiEncoder([type, ParamType.from("uint16")])([value, after]), type.format()).toBe(
            coder.encode([type, ParamType.from("uint16")], [value, after]),
          );
        }),
        { numRuns: 60 },
      );
    }
  });

  it("refuses values outside their type, as AbiCoder does", () => {
    const coder = AbiCoder.defaultAbiCoder();
    const cases: Array<[string, unknown]> = [
      ["uint32", 1n << 32n],
      ["uint32", -1n],
      ["uint8", 1.5],
      ["int8", 128n],
      ["int8", -129n],
      ["bytes32", "0x1234"],
      ["bytes32", `0x${"zz".repeat(32)}`],
      ["address", "0x12"],
      ["uint256[2]", [1n]],
    ];
    for (const [type, value] of cases) {
      const types = [ParamType.from(type)];
      expect(() => coder.encode([type], [value]), `${type} ${String(value)}`).toThrow();
      expect(() => abiEncoder(types)([value]), `${type} ${String(value)}`).toThrow();
    }
  });
});
