import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, TraceGateError, type Actor, type CustodyEvent, type Lot } from "../../domain/index.js";
import { absentLot, contractInterface, encodeId, encodeLot, encodeNorm, type TraceGateContractName } from "../../sdk/evm/codec.js";
import { DomainLedger } from "../conformance/domain-ledger.js";
import { EvmChain } from "../../scripts/harness/evm-chain.js";
import { TimedEvmLedger } from "../../scripts/harness/timed-evm-ledger.js";
import { scriptArb, ScriptContext } from "../differential/generator.js";
import { setUpWorld, START_TIME } from "../differential/setup.js";
import { SETUP_DOCUMENTS, SETUP_NORMS } from "../differential/world.js";
import { revertName } from "./fixture.js";

const OFFICER: Actor = { org: "CUSTOMS", role: "OFFICER" };
const ELECTRO: Actor = { org: "ELECTRO", role: "OPERATOR" };
const ELECTRO_SIGNER: Actor = { org: "ELECTRO", role: "SIGNER" };

describe("hashed state", () => {
  let chain: EvmChain;
  let ledger: TimedEvmLedger;
  let time: bigint;
  beforeAll(async () => {
    chain = await EvmChain.start();
  });
  afterAll(() => chain.stop());

  const freshWorld = async () => {
    ledger = new TimedEvmLedger(chain);
    await setUpWorld(ledger);
    time = START_TIME;
  };
  const submit = async (actor: Actor, action: Parameters<TimedEvmLedger["submit"]>[1]) => (await ledger.submit(actor, action, (time += 10n))) as CustodyEvent;
  /** Sends a call with the given (possibly outdated) arguments, bypassing EvmLedger and its followed states. */
  const raw = (actor: Actor, contract: TraceGateContractName, name: string, args: unknown[]) =>
    chain.send(ledger.accountOf(actor), contract, contractInterface(contract).encodeFunctionData(name, args));
  const storedHash = async (lot: string): Promise<string> => {
    const custody = contractInterface("CustodyRegistry");
    return custody.decodeFunctionResult("lotHash", await chain.call("CustodyRegistry", custody.encodeFunctionData("lotHash", [encodeId(lot)])))[0];
  };

  it("refuses a lot state that is not the stored one with StaleLotState, and changes nothing", async () => {
    await freshWorld();
    const declared = (await ledger.lot("LOT-C"))!;
    const arrived = (await submit(OFFICER, { type: "arrive", lot: "LOT-C", facility: "GATE-HUUNGHI" })).transitions[0]!.lot;
    const before = await storedHash("LOT-C");
    const hold = (lot: Lot) => raw(OFFICER, "CustodyRegistry", "hold", [encodeLot(lot, ledger.orgs), "inspection"]);

    expect(await revertName(hold(declared))).toBe("StaleLotState");
    expect(await revertName(hold({ ...arrived, quantity: arrived.quantity + 1n }))).toBe("StaleLotState");
    expect(await revertName(hold({ ...arrived, custodian: "ELECTRO" }))).toBe("StaleLotState");
    expect(await revertName(raw(OFFICER, "CustodyRegistry", "hold", [absentLot("LOT-C"), "inspection"]))).toBe("StaleLotState");
    expect(await revertName(raw(OFFICER, "CustodyRegistry", "hold", [absentLot("LOT-NEW"), "inspection"]))).toBe("UnknownLot");
    const redeclare = {
      lot: encodeId("LOT-C"),
      goods: { material: encodeId("CHIP"), hsCode: encodeId("85423100"), unit: encodeId("KGM"), quantity: 800n },
      direction: 1,
      preferenceClaimed: false,
      permitRequired: false,
      declaration: SETUP_DOCUMENTS[2]!.hash,
    };
    expect(await revertName(raw(ELECTRO, "CustodyRegistry", "declare", [redeclare, []]))).toBe("StaleLotState");
    expect(await storedHash("LOT-C")).toBe(before);
    expect(await ledger.lot("LOT-C")).toEqual(arrived);
    expect((await submit(OFFICER, { type: "hold", lot: "LOT-C", reason: "inspection" })).transitions[0]!.lot.state).toBe("HELD");
  });

  it("refuses a sealed lot sent with its transit fields forged, or its deadline's word not canonical, with StaleLotState", async () => {
    await freshWorld();
    const transit = SETUP_DOCUMENTS.find((document) => document.name === "transit-c")!.hash;
    await submit(OFFICER, { type: "arrive", lot: "LOT-C", facility: "GATE-HUUNGHI" });
    const deadline = time + 100n;
    const sealed = (await submit(OFFICER, { type: "seal", lot: "LOT-C", facility: "BONDED-WH", seal: "SEAL-1", deadline, transit })).transitions[0]!.lot;
    time = deadline + 50n;
    const before = await storedHash("LOT-C");
    const unseal = (lot: Lot, facility: string) =>
      contractInterface("CustodyRegistry").encodeFunctionData("unseal", [encodeLot(lot, ledger.orgs), encodeId(facility), true, ""]);
    const send = (data: string) => chain.send(ledger.accountOf(OFFICER), "CustodyRegistry", data);

    // Unsealed elsewhere, on time, or as no sealed lot at all: each would dodge WRONG_DESTINATION or OVERDUE.
    expect(await revertName(send(unseal({ ...sealed, destination: "ICD-GARMENT" }, "ICD-GARMENT")))).toBe("StaleLotState");
    expect(await revertName(send(unseal({ ...sealed, deadline: time + 1_000n }, "BONDED-WH")))).toBe("StaleLotState");
    expect(await revertName(send(unseal({ ...sealed, seal: "", destination: "", deadline: 0n }, "BONDED-WH")))).toBe("StaleLotState");
    // The deadline is a uint64 in a word: the same number with a bit above them is another lot state.
    const data = unseal(sealed, "BONDED-WH");
    const deadlineWord = 2 + 2 * (4 + 16 * 32);
    expect(BigInt(`0x${data.slice(deadlineWord, deadlineWord + 64)}`)).toBe(deadline);
    const dirty = `${data.slice(0, deadlineWord)}01${data.slice(deadlineWord + 2)}`;
    expect(await revertName(send(dirty))).toBe("StaleLotState");
    expect(await storedHash("LOT-C")).toBe(before);
    // The lot as it is: overdue, held.
    const unsealed = await submit(OFFICER, { type: "unseal", lot: "LOT-C", facility: "BONDED-WH", sealIntact: true, reason: "" });
    expect(unsealed).toMatchObject({ reason: "OVERDUE", flagged: true, transitions: [{ lot: { state: "HELD", location: "BONDED-WH" } }] });
  });

  it("reads a lot another writer changed from the chain's events, and acts on it", async () => {
    await freshWorld();
    const arrived = (await submit(OFFICER, { type: "arrive", lot: "LOT-C", facility: "GATE-HUUNGHI" })).transitions[0]!.lot;
    await raw(OFFICER, "CustodyRegistry", "hold", [encodeLot(arrived, ledger.orgs), "inspection"]);
    expect(await ledger.lot("LOT-C")).toEqual({ ...arrived, state: "HELD", priorState: "ARRIVED" });
    const unheld = (await submit(OFFICER, { type: "unhold", lot: "LOT-C" })).transitions[0]!.lot;
    expect(unheld.state).toBe(arrived.state);
    expect(await ledger.lot("LOT-C")).toEqual(unheld);
  });

  it("refuses a norm that is not the registered one with StaleNormState", async () => {
    await freshWorld();
    for (const action of [
      { type: "arrive", lot: "LOT-C", facility: "GATE-HUUNGHI" },
      { type: "clear", lot: "LOT-C", co: null, permit: null },
      { type: "release", lot: "LOT-C" },
    ] as const)
      await submit(OFFICER, action);
    await submit(ELECTRO, { type: "receive", lot: "LOT-C", facility: "FACTORY-E" });
    const original = SETUP_NORMS.find((norm) => norm.owner === "ELECTRO")!;
    const amended = documentHash("ELECTRO board norm, second edition");
    await submit(ELECTRO_SIGNER, { type: "anchor", hash: amended, id: "NORM-E2", kind: "NORM", cid: "bafy-norm-e2", subjects: [] });
    const { owner: _owner, document: _name, ...terms } = original;
    await submit(ELECTRO_SIGNER, { type: "registerNorm", ...terms, inputs: [{ material: "CHIP", quantity: 5n, wasteBps: 0 }], document: amended });

    const transformation = {
      product: encodeId("BOARD"),
      inputs: [{ lot: encodeId("LOT-C"), quantity: 8n }],
      outputs: [{ lot: encodeId("BOARD-1"), quantity: 2n }],
    };
    const outdated = encodeNorm({ ...terms, document: SETUP_DOCUMENTS.find((d) => d.name === "norm-e")!.hash });
    const current = encodeLot((await ledger.lot("LOT-C"))!, ledger.orgs);
    expect(await revertName(raw(ELECTRO, "CustodyRegistry", "transform", [transformation, [current], outdated]))).toBe("StaleNormState");
    const event = await submit(ELECTRO, {
      type: "transform",
      product: "BOARD",
      inputs: [{ lot: "LOT-C", quantity: 8n }],
      outputs: [{ lot: "BOARD-1", quantity: 2n }],
    });
    expect(event.deviations).toEqual([{ material: "CHIP", expected: 10n, consumed: 8n }]);
  });

  it("leaves every lot, document and norm hash unchanged when it refuses an action", async () => {
    const worldDocuments = SETUP_DOCUMENTS.map((document) => document.hash);
    const readState = async (lots: Iterable<string>) => {
      const registry = contractInterface("TraceGateRegistry");
      const read = (name: string, args: unknown[]) => chain.call("TraceGateRegistry", registry.encodeFunctionData(name, args));
      const state: string[] = [];
      for (const lot of lots) state.push(await storedHash(lot));
      for (const hash of worldDocuments) state.push(await read("document", [hash]), await read("supersededBy", [hash]));
      for (const { owner, product } of SETUP_NORMS) state.push(await read("normHash", [ledger.orgs.indexOf(owner), encodeId(product)]));
      return state;
    };
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(scriptArb(24), async (script) => {
        const domain = new DomainLedger();
        await setUpWorld(domain);
        await freshWorld();
        const context = new ScriptContext(domain);
        for (const choice of script) {
          const { actor, action } = context.concretize(choice);
          time += 10n;
          const lots = new Set([...domain.allLots().map((lot) => lot.id), "LOT-X0", "LOT-X1", "LOT-X2"]);
          const before = await readState(lots);
          try {
            await ledger.submit(actor, action, time);
          } catch (error) {
            if (!(error instanceof TraceGateError)) throw error;
            refusals++;
            expect(await readState(lots)).toEqual(before);
            continue;
          }
          await domain.submit(actor, action, time);
        }
      }),
      { numRuns: 15 },
    );
    expect(refusals).toBeGreaterThan(20);
  });
});
