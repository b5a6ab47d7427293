import fc from "fast-check";
import { hexlify, type Contract } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CUSTODY_ACTIONS,
  DIRECTIONS,
  DOCUMENT_KINDS,
  ERROR_CODES,
  LOT_STATES,
  MAX_QUANTITY,
  solidityErrorName,
  TraceGateError,
  type CustodyEvent,
  type Hash,
  type LedgerEvent,
  type Lot,
  type Norm,
} from "../../domain/index.js";
import {
  contractInterface,
  decodeLedgerEvent,
  decodeRevert,
  encodeId,
  encodeLot,
  encodeNorm,
  encodePart,
  enumIndex,
  lotHash,
  normHash,
  OrganisationDirectory,
  type RawLog,
  type TraceGateContractName,
} from "../../sdk/evm/codec.js";

const orgs = new OrganisationDirectory();
const ORGANISATIONS: Array<[string, number]> = [
  ["VNCUSTOMS", 1],
  ["AN-PHAT", 2],
  ["SAIGON-TERMINAL", 3],
  ["LAST", 2 ** 32 - 1],
];
for (const [id, index] of ORGANISATIONS) orgs.add(id, index);

const id = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 31 });
const org = fc.constantFrom(...ORGANISATIONS.map(([name]) => name));
const hash = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .filter((bytes) => bytes.some((b) => b !== 0))
  .map((bytes) => hexlify(bytes) as Hash);
const lot: fc.Arbitrary<Lot> = fc.record({
  id,
  material: id,
  hsCode: id,
  unit: id,
  quantity: fc.bigInt(0n, MAX_QUANTITY),
  owner: org,
  custodian: org,
  location: fc.oneof(fc.constant("" as const), id),
  state: fc.constantFrom(...LOT_STATES),
  priorState: fc.constantFrom(...LOT_STATES),
  direction: fc.constantFrom(...DIRECTIONS),
  preferenceClaimed: fc.boolean(),
  permitRequired: fc.boolean(),
  declaration: fc.option(hash, { nil: null }),
  seal: fc.oneof(fc.constant("" as const), id),
  destination: fc.oneof(fc.constant("" as const), id),
  deadline: fc.bigInt(0n, 2n ** 64n - 1n),
});
const norm: fc.Arbitrary<Norm> = fc.record({
  owner: org,
  product: id,
  hsCode: id,
  unit: id,
  outputQuantity: fc.bigInt(1n, MAX_QUANTITY),
  inputs: fc.array(fc.record({ material: id, quantity: fc.bigInt(1n, MAX_QUANTITY), wasteBps: fc.integer({ min: 0, max: 10_000 }) }), {
    minLength: 1,
    maxLength: 5,
  }),
  document: hash,
});
const part = fc.record({ lot: id, quantity: fc.bigInt(1n, MAX_QUANTITY) });
const time = fc.bigInt(1n, 2n ** 40n);

function log(contract: TraceGateContractName, event: string, values: unknown[]) {
  return contractInterface(contract).encodeEventLog(event, values);
}

describe("the EVM codec", () => {
  let harness: Contract;
  let legacy: Contract;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const connection = await (await import("hardhat")).default.network.create();
    harness = await connection.ethers.deployContract("HashingHarness");
    legacy = await connection.ethers.deployContract("LegacyEmitter");
    close = () => connection.close();
  });
  afterAll(() => close());

  it("hashes a lot exactly as the custody contract does, in memory and in calldata", async () => {
    await fc.assert(
      fc.asyncProperty(lot, async (value) => {
        const expected = lotHash(value, orgs);
        expect(await harness.memoryLotHash!(encodeLot(value, orgs))).toBe(expected);
        expect(await harness.calldataLotHash!(encodeLot(value, orgs))).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("hashes a norm exactly as the registry stores it", async () => {
    await fc.assert(
      fc.asyncProperty(norm, async (value) => {
        expect(await harness.normHash!(orgs.indexOf(value.owner), encodeNorm(value))).toBe(normHash(value, orgs));
      }),
      { numRuns: 100 },
    );
  });

  it("decodes what it encodes: a one-lot custody event gives back the domain event", () => {
    fc.assert(
      fc.property(
        lot,
        fc.constantFrom(...LOT_STATES),
        org,
        fc.constantFrom(...CUSTODY_ACTIONS),
        fc.array(hash, { maxLength: 3 }),
        fc.string(),
        time,
        (next, from, actor, action, documents, reason, at) => {
          const encoded = log("CustodyRegistry", "CustodyRecorded", [
            encodeId(next.id),
            orgs.indexOf(actor),
            enumIndex(CUSTODY_ACTIONS, action),
            enumIndex(LOT_STATES, from),
            encodeLot(next, orgs),
            documents,
            reason,
          ]);
          const expected: CustodyEvent = {
            type: "custody",
            action,
            actor,
            facility: next.location,
            documents,
            reason,
            deviations: [],
            // The one field the event does not carry: a held unseal, an OPENED alert (see below).
            flagged: (action === "unseal" && next.state === "HELD") || (action === "alert" && /^OPENED(: |$)/.test(reason)),
            consumed: [],
            transitions: [{ from, lot: next }],
            time: at,
          };
          expect(decodeLedgerEvent(encoded, at, orgs)).toEqual(expected);
        },
      ),
    );
  });

  it("flags an unseal that held the lot and an OPENED alert, as the domain does, though CustodyRecorded carries no flag", () => {
    const sealed = fc.sample(lot, { seed: 7, numRuns: 1 })[0]!;
    const flagged = (action: "unseal" | "alert" | "hold", state: Lot["state"], reason: string) => {
      const next = { ...sealed, state };
      const encoded = log("CustodyRegistry", "CustodyRecorded", [
        encodeId(next.id),
        orgs.indexOf(next.owner),
        enumIndex(CUSTODY_ACTIONS, action),
        enumIndex(LOT_STATES, "IN_TRANSIT"),
        encodeLot(next, orgs),
        [],
        reason,
      ]);
      return (decodeLedgerEvent(encoded, 1n, orgs) as CustodyEvent).flagged;
    };
    expect(flagged("unseal", "HELD", "SEAL_BROKEN: wire cut")).toBe(true);
    expect(flagged("unseal", "HELD", "OVERDUE")).toBe(true);
    expect(flagged("unseal", "ARRIVED", "")).toBe(false);
    expect(flagged("alert", "IN_TRANSIT", "OPENED")).toBe(true);
    expect(flagged("alert", "IN_TRANSIT", "OPENED: lock forced at km 42")).toBe(true);
    expect(flagged("alert", "IN_TRANSIT", "ROUTE_DEVIATION: OPENED road closed")).toBe(false);
    expect(flagged("alert", "IN_TRANSIT", "LOW_BATTERY")).toBe(false);
    expect(flagged("hold", "HELD", "OPENED")).toBe(false);
  });

  it("decodes what it encodes: a split or transform event gives back every transition, deviation and part", () => {
    const deviation = fc.record({ material: id, expected: fc.bigInt(0n, 2n ** 200n), consumed: fc.bigInt(0n, 2n ** 101n) });
    const transition = fc.record({ from: fc.constantFrom(...LOT_STATES), lot });
    fc.assert(
      fc.property(
        fc.array(transition, { minLength: 1, maxLength: 4 }),
        fc.array(deviation, { maxLength: 3 }),
        fc.array(part, { maxLength: 3 }),
        fc.boolean(),
        org,
        time,
        (transitions, deviations, consumed, flagged, actor, at) => {
          const encoded = log("CustodyRegistry", "LineageRecorded", [
            encodeId(transitions[0]!.lot.id),
            orgs.indexOf(actor),
            enumIndex(CUSTODY_ACTIONS, "transform"),
            [],
            deviations.map((row) => ({ ...row, material: encodeId(row.material) })),
            flagged,
            consumed.map((p) => encodePart(p, "consumed")),
            transitions.map((t) => ({ from: enumIndex(LOT_STATES, t.from), lot: encodeLot(t.lot, orgs) })),
          ]);
          const expected: CustodyEvent = {
            type: "custody",
            action: "transform",
            actor,
            facility: transitions[0]!.lot.location,
            documents: [],
            reason: "",
            deviations,
            flagged,
            consumed,
            transitions,
            time: at,
          };
          expect(decodeLedgerEvent(encoded, at, orgs)).toEqual(expected);
        },
      ),
    );
  });

  it("decodes the custody events of a deployment from before transit under seal, whose Lot had no seal, destination or deadline", async () => {
    const preTransit = (value: Lot) => {
      const { seal: _seal, destination: _destination, deadline: _deadline, ...fields } = encodeLot(value, orgs);
      return fields;
    };
    const logsOf = async (sent: Promise<{ wait(): Promise<{ logs: RawLog[] } | null> }>) => (await (await sent).wait())!.logs;
    const current = (event: string) => contractInterface("CustodyRegistry").getEvent(event)!.topicHash;
    const NOT_IN_TRANSIT = { seal: "", destination: "", deadline: 0n } as const;
    await fc.assert(
      fc.asyncProperty(lot, lot, lot, fc.constantFrom(...LOT_STATES), org, time, async (one, part1, part2, from, actor, at) => {
        const [held] = await logsOf(
          legacy.getFunction("recordLot")(enumIndex(CUSTODY_ACTIONS, "hold"), orgs.indexOf(actor), enumIndex(LOT_STATES, from), preTransit(one), "0x21"),
        );
        expect(held!.topics[0]).not.toBe(current("CustodyRecorded"));
        expect(decodeLedgerEvent(held!, at, orgs)).toMatchObject({
          action: "hold",
          actor,
          reason: "!",
          flagged: false,
          transitions: [{ from, lot: { ...one, ...NOT_IN_TRANSIT } }],
        });
        const transitions = [one, part1, part2].map((value, index) => ({ from: index === 0 ? from : "NONE", lot: value }) as const);
        const [split] = await logsOf(
          legacy.getFunction("recordSplit")(
            orgs.indexOf(actor),
            transitions.map((transition) => ({ from: enumIndex(LOT_STATES, transition.from), lot: preTransit(transition.lot) })),
          ),
        );
        expect(split!.topics[0]).not.toBe(current("LineageRecorded"));
        expect(decodeLedgerEvent(split!, at, orgs)).toMatchObject({
          action: "split",
          transitions: transitions.map((transition) => ({ ...transition, lot: { ...transition.lot, ...NOT_IN_TRANSIT } })),
        });
      }),
      { numRuns: 15 },
    );
  });

  it("decodes what it encodes: norm and document events", () => {
    fc.assert(
      fc.property(
        norm,
        hash,
        id,
        fc.constantFrom(...DOCUMENT_KINDS),
        fc.array(id, { maxLength: 3 }),
        fc.option(hash, { nil: null }),
        time,
        (value, document, documentId, kind, subjects, supersedes, at) => {
          const registered = log("TraceGateRegistry", "NormRegistered", [orgs.indexOf(value.owner), encodeId(value.product), encodeNorm(value)]);
          expect(decodeLedgerEvent(registered, at, orgs)).toEqual({ type: "normRegistered", norm: value, time: at } satisfies LedgerEvent);
          const version = supersedes === null ? 1 : 2;
          const anchored = log("TraceGateRegistry", "DocumentAnchored", [
            document,
            orgs.indexOf(value.owner),
            encodeId(documentId),
            enumIndex(DOCUMENT_KINDS, kind),
            version,
            supersedes ?? `0x${"0".repeat(64)}`,
            `bafy-${documentId}`,
            subjects.map((s) => encodeId(s)),
          ]);
          expect(decodeLedgerEvent(anchored, at, orgs)).toEqual({
            type: "documentAnchored",
            document: {
              hash: document,
              id: documentId,
              kind,
              cid: `bafy-${documentId}`,
              issuer: value.owner,
              subjects,
              version,
              supersedes,
              supersededBy: null,
              status: "VALID",
              anchoredAt: at,
            },
            time: at,
          } satisfies LedgerEvent);
        },
      ),
    );
  });

  it("has one error surface (ITraceGateErrors) on both contracts, an error for every domain code", () => {
    const errors = (contract: "CustodyRegistry" | "TraceGateRegistry") => {
      const declared: string[] = [];
      contractInterface(contract).forEachError((fragment) => declared.push(fragment.format("full")));
      // Less OpenZeppelin's own, of the registry's access control (AccessControlDefaultAdminRules).
      return declared.filter((error) => !/^error (AccessControl|SafeCast)/.test(error)).sort();
    };
    expect(errors("CustodyRegistry")).toEqual(errors("TraceGateRegistry"));
    for (const contract of ["CustodyRegistry", "TraceGateRegistry"] as const) {
      for (const code of ERROR_CODES) {
        const fragment = contractInterface(contract).getError(solidityErrorName(code));
        expect(fragment, `${contract} ${solidityErrorName(code)}`).not.toBeNull();
        const args = fragment!.inputs.map((input) => (input.type === "bytes32" ? encodeId("X-1") : input.type === "address" ? `0x${"1".repeat(40)}` : 1));
        const decoded = decodeRevert(contractInterface(contract).encodeErrorResult(fragment!, args), orgs);
        expect(decoded).toBeInstanceOf(TraceGateError);
        expect((decoded as TraceGateError).code).toBe(code);
      }
    }
  });
});
