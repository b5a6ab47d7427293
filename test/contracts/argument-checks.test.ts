/**
 * The contracts' own argument checks (step 1), which the SDK never reaches because it runs the domain's
 * checks first: sent raw — ids as their UTF-8 bytes (zero, valid, with a space, not ASCII, 32 bytes
 * without a terminating zero), hashes valid, zero or of an empty document, reasons valid or not UTF-8
 * (a lone surrogate, which ethers encodes as the 3 bytes of a surrogate), at and over the length
 * limit, proofs at and over their most steps, transit deadlines at and past the ends of 1..2^64-1 — they
 * must give the domain's code.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  documentHash,
  EMPTY_DOCUMENT_HASH,
  MAX_PROOF_STEPS,
  MAX_QUANTITY,
  MAX_REASON_BYTES,
  SEAL_ALERTS,
  TraceGateError,
  validateAction,
  ZERO_HASH,
  type Action,
  type Hash,
} from "../../domain/index.js";
import { absentLot, contractInterface, decodeRevert, OrganisationDirectory, revertDataOf, type TraceGateContractName } from "../../sdk/evm/codec.js";
import { EvmChain } from "../../scripts/harness/evm-chain.js";

const id = fc.oneof(fc.constantFrom("", "A", "B", "C"), fc.constantFrom("A B", "Lô", "X".repeat(31), "X".repeat(32)));
const hash = fc.constantFrom<Hash>(ZERO_HASH, EMPTY_DOCUMENT_HASH, documentHash("one"), documentHash("two"));
const quantity = fc.constantFrom(0n, 1n, 5n, MAX_QUANTITY, MAX_QUANTITY + 1n);
/** "ệ" is 3 bytes of UTF-8, as is a lone surrogate: each text below is as long in bytes as its name says. */
const longest = `${"ệ".repeat((MAX_REASON_BYTES - 2) / 3)}ab`;
const reason = fc.constantFrom(
  "",
  "a reason",
  "lý do",
  "a \udc00 reason",
  longest,
  `${longest}.`,
  `${longest.slice(0, -3)}ab\udc00`,
  `${longest.slice(0, -2)}\udc00`,
);
const proof = fc.oneof(
  fc.array(hash, { maxLength: 2 }),
  fc.constant(Array.from({ length: MAX_PROOF_STEPS }, () => documentHash("step"))),
  fc.constant(Array.from({ length: MAX_PROOF_STEPS + 1 }, () => documentHash("step"))),
);
/** A transit's deadline at and past both ends of 1..2^64-1 (the contract takes a uint256, so 2^64 reaches its check). */
const deadline = fc.constantFrom(0n, 1n, 1_800_000_000n, 2n ** 64n - 1n, 2n ** 64n);
const many = <T>(item: T) => Array.from({ length: 33 }, () => item);
const part = fc.record({ lot: id, quantity });
const parts = fc.oneof(fc.array(part, { maxLength: 4 }), fc.constant(many({ lot: "A", quantity: 1n })));
const subjects = fc.oneof(fc.array(id, { maxLength: 2 }), fc.constant(many("S")));
const cid = fc.constantFrom("", "bafy", "x".repeat(128), "x".repeat(129));
const normInputs = fc.oneof(
  fc.array(fc.record({ material: id, quantity, wasteBps: fc.constantFrom(0, 10_000, 10_001) }), { maxLength: 3 }),
  fc.constant(many({ material: "M", quantity: 1n, wasteBps: 0 })),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    type: fc.constant("declare" as const),
    lot: id,
    goods: fc.record({ material: id, hsCode: id, unit: id, quantity }),
    direction: fc.constantFrom("IMPORT" as const, "EXPORT" as const),
    preferenceClaimed: fc.boolean(),
    permitRequired: fc.boolean(),
    declaration: hash,
  }),
  fc.record({ type: fc.constantFrom("arrive" as const, "store" as const, "receive" as const), lot: id, facility: id }),
  fc.record({ type: fc.constantFrom("hold" as const, "destroy" as const), lot: id, reason }),
  fc.record({ type: fc.constantFrom("unhold" as const, "release" as const, "depart" as const), lot: id }),
  fc.record({ type: fc.constant("clear" as const), lot: id, co: fc.constant(null), permit: fc.constant(null) }),
  fc.record({ type: fc.constant("split" as const), lot: id, parts }),
  fc.record({ type: fc.constant("seal" as const), lot: id, facility: id, seal: id, deadline, transit: hash }),
  fc.record({ type: fc.constant("unseal" as const), lot: id, facility: id, sealIntact: fc.boolean(), reason }),
  fc.record({ type: fc.constant("alert" as const), lot: id, seal: id, alert: fc.constantFrom(...SEAL_ALERTS), detail: reason }),
  fc.record({ type: fc.constant("transform" as const), product: id, inputs: parts, outputs: parts }),
  fc.record({ type: fc.constant("anchor" as const), hash, id, kind: fc.constant("CO" as const), cid, subjects }),
  fc.record({ type: fc.constant("supersede" as const), previous: hash, hash, id, cid, subjects }),
  fc.record({ type: fc.constant("revoke" as const), hash, reason }),
  fc.record({ type: fc.constant("anchorBatch" as const), root: hash, kind: fc.constant("CO" as const), count: fc.constantFrom(0, 1, 2 ** 32 - 1, 2 ** 32) }),
  fc.record({ type: fc.constant("revokeBatchMember" as const), root: hash, leaf: hash, proof, reason }),
  fc.record({ type: fc.constant("registerNorm" as const), product: id, hsCode: id, unit: id, outputQuantity: quantity, inputs: normInputs, document: hash }),
);

/** Ids as their UTF-8 bytes in a bytes32, "" as zero: what a caller that skips the client-side checks can send. */
const word = (value: string) => `0x${Buffer.from(value, "utf8").toString("hex").padEnd(64, "0")}`;
const lot = (value: string) => ({ ...absentLot("X"), id: word(value) });
const rawParts = (list: readonly { lot: string; quantity: bigint }[]) => list.map((p) => ({ lot: word(p.lot), quantity: p.quantity }));

function rawCall(action: Action): [TraceGateContractName, string, unknown[]] {
  switch (action.type) {
    case "declare": {
      const { goods } = action;
      const declaration = {
        lot: word(action.lot),
        goods: { material: word(goods.material), hsCode: word(goods.hsCode), unit: word(goods.unit), quantity: goods.quantity },
        direction: action.direction === "IMPORT" ? 1 : 2,
        preferenceClaimed: action.preferenceClaimed,
        permitRequired: action.permitRequired,
        declaration: action.declaration,
      };
      return ["CustodyRegistry", "declare", [declaration, []]];
    }
    case "arrive":
    case "store":
      return ["CustodyRegistry", action.type, [lot(action.lot), word(action.facility)]];
    case "receive":
      return ["CustodyRegistry", "receiveIntoProduction", [lot(action.lot), word(action.facility)]];
    case "hold":
    case "destroy":
      return ["CustodyRegistry", action.type, [lot(action.lot), action.reason]];
    case "unhold":
    case "release":
    case "depart":
      return ["CustodyRegistry", action.type, [lot(action.lot)]];
    case "clear":
      return ["CustodyRegistry", "clear", [lot(action.lot), ZERO_HASH, ZERO_HASH]];
    case "split":
      return ["CustodyRegistry", "split", [lot(action.lot), rawParts(action.parts)]];
    case "seal":
      return ["CustodyRegistry", "seal", [lot(action.lot), word(action.facility), word(action.seal), action.deadline, action.transit]];
    case "unseal":
      return ["CustodyRegistry", "unseal", [lot(action.lot), word(action.facility), action.sealIntact, action.reason]];
    case "alert":
      return ["CustodyRegistry", "alert", [lot(action.lot), word(action.seal), SEAL_ALERTS.indexOf(action.alert), action.detail]];
    case "transform": {
      const norm = { product: word(""), hsCode: word(""), unit: word(""), outputQuantity: 0n, inputs: [], document: ZERO_HASH };
      const transformation = { product: word(action.product), inputs: rawParts(action.inputs), outputs: rawParts(action.outputs) };
      return ["CustodyRegistry", "transform", [transformation, action.inputs.map((input) => lot(input.lot)), norm]];
    }
    case "anchor":
      return ["TraceGateRegistry", "anchor", [action.hash, word(action.id), 2, action.cid, action.subjects.map(word)]];
    case "supersede":
      return ["TraceGateRegistry", "supersede", [action.previous, action.hash, word(action.id), action.cid, action.subjects.map(word)]];
    case "revoke":
      return ["TraceGateRegistry", "revoke", [action.hash, action.reason]];
    case "anchorBatch":
      return ["TraceGateRegistry", "anchorBatch", [action.root, 2, action.count]];
    case "revokeBatchMember":
      return ["TraceGateRegistry", "revokeBatchMember", [action.root, action.leaf, action.proof, action.reason]];
    case "registerNorm": {
      const inputs = action.inputs.map((input) => ({ ...input, material: word(input.material) }));
      return [
        "TraceGateRegistry",
        "registerNorm",
        [
          {
            product: word(action.product),
            hsCode: word(action.hsCode),
            unit: word(action.unit),
            outputQuantity: action.outputQuantity,
            inputs,
            document: action.document,
          },
        ],
      ];
    }
  }
}

/** The domain's verdict on the arguments alone: "accepted" or the error code. */
function argumentCheck(candidate: Action): string {
  try {
    validateAction(candidate);
    return "accepted";
  } catch (error) {
    return (error as TraceGateError).code;
  }
}

const ARGUMENT_CODES = ["INVALID_ARGUMENT", "INVALID_QUANTITY", "REASON_REQUIRED", "TEXT_TOO_LONG", "DOCUMENT_EMPTY"];

describe("the contracts' argument checks", () => {
  let chain: EvmChain;
  beforeAll(async () => {
    chain = await EvmChain.start();
  });
  afterAll(() => chain.stop());

  it("give the domain's code, in the domain's order, to a caller that skips the client-side checks", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(action, async (candidate) => {
        const expected = argumentCheck(candidate);
        const [contract, name, args] = rawCall(candidate);
        const data = contractInterface(contract).encodeFunctionData(name, args);
        const reverted = await chain.call(contract, data).then(
          () => "no revert",
          (error: unknown) => {
            const decoded = decodeRevert(revertDataOf(error)!, new OrganisationDirectory());
            return decoded instanceof TraceGateError ? decoded.code : decoded.errorName;
          },
        );
        seen.add(expected);
        if (expected === "accepted") expect(ARGUMENT_CODES).not.toContain(reverted);
        else expect(reverted).toBe(expected);
      }),
      { numRuns: 1500 },
    );
    expect([...seen].sort()).toEqual(["DOCUMENT_EMPTY", "INVALID_ARGUMENT", "INVALID_QUANTITY", "REASON_REQUIRED", "TEXT_TOO_LONG", "accepted"]);
  });
});
