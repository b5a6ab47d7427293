/**
 * CustodyRegistry.batch on its own terms, past what the vectors say: its size, calls that are no
 * custody action, an outdated lot state inside a batch, and the events of an accepted batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchRefusedError, type Actor, type CustodyEvent, type Lot } from "../../domain/index.js";
import { contractInterface, decodeLedgerEvent, decodeRevert, encodeId, encodeLot, EvmRevertError, revertDataOf } from "../../sdk/evm/codec.js";
import { EvmChain } from "../../scripts/harness/evm-chain.js";
import { TimedEvmLedger } from "../../scripts/harness/timed-evm-ledger.js";
import { setUpWorld, START_TIME } from "../differential/setup.js";
import { SETUP_DOCUMENTS } from "../differential/world.js";

const OFFICER: Actor = { org: "CUSTOMS", role: "OFFICER" };
const custody = contractInterface("CustodyRegistry");
const transitDeclaration = SETUP_DOCUMENTS.find((document) => document.name === "transit-c")!.hash;

describe("CustodyRegistry.batch", () => {
  let chain: EvmChain;
  let ledger: TimedEvmLedger;
  let time = START_TIME;
  beforeAll(async () => {
    chain = await EvmChain.start();
    ledger = new TimedEvmLedger(chain);
    await setUpWorld(ledger);
  });
  afterAll(() => chain.stop());

  const storedHash = async (lot: string): Promise<string> =>
    custody.decodeFunctionResult("lotHash", await chain.call("CustodyRegistry", custody.encodeFunctionData("lotHash", [encodeId(lot)])))[0];
  const call = (name: string, args: unknown[]) => custody.encodeFunctionData(name, args);
  const arrive = (lot: Lot) => call("arrive", [encodeLot(lot, ledger.orgs), encodeId("GATE-HUUNGHI")]);
  const hold = (lot: Lot) => call("hold", [encodeLot(lot, ledger.orgs), "inspection"]);
  /** Sends a batch of raw calls; a revert throws its decoded error. */
  const batch = async (calls: string[]) => {
    try {
      return await chain.send(ledger.accountOf(OFFICER), "CustodyRegistry", call("batch", [calls]));
    } catch (error) {
      const data = revertDataOf(error);
      throw data === undefined ? error : decodeRevert(data, ledger.orgs);
    }
  };
  const refusal = (sent: Promise<unknown>) =>
    sent.then(
      () => "accepted",
      (error: unknown) => error,
    );

  it.each([
    ["no call", 0],
    ["more than MAX_BATCH_ACTIONS calls", 101],
  ])("refuses %s with INVALID_ARGUMENT, naming no action", async (_what, size) => {
    const declared = (await ledger.lot("LOT-C"))!;
    const error = await refusal(batch(Array<string>(size).fill(arrive(declared))));
    expect(error).not.toBeInstanceOf(BatchRefusedError);
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it.each([
    ["a read (lotHash)", () => call("lotHash", [encodeId("LOT-C")])],
    ["a nested batch", () => call("batch", [[]])],
    ["calldata shorter than a selector", () => "0x1234"],
    ["an unknown selector", () => "0xdeadbeef"],
  ])("refuses %s inside a batch at its index with INVALID_ARGUMENT, and changes nothing", async (_what, other) => {
    const declared = (await ledger.lot("LOT-C"))!;
    const before = await storedHash("LOT-C");
    const error = await refusal(batch([arrive(declared), other()]));
    expect(error).toBeInstanceOf(BatchRefusedError);
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT", index: 1 });
    expect(await storedHash("LOT-C")).toBe(before);
  });

  it("refuses an outdated lot state inside a batch as StaleLotState at its index (nothing applied)", async () => {
    const declared = (await ledger.lot("LOT-C"))!;
    const before = await storedHash("LOT-C");
    const error = await refusal(batch([arrive(declared), hold(declared)]));
    expect(error).toBeInstanceOf(EvmRevertError);
    expect(error).toMatchObject({ errorName: "StaleLotState", details: { lot: "LOT-C", batchIndex: "1" } });
    expect(await storedHash("LOT-C")).toBe(before);
  });

  it("emits each action's event from the custody registry, in order, in the one transaction", async () => {
    const events = await ledger.submitBatch(
      OFFICER,
      [
        { type: "arrive", lot: "LOT-C", facility: "GATE-HUUNGHI" },
        { type: "hold", lot: "LOT-C", reason: "inspection" },
        { type: "unhold", lot: "LOT-C" },
      ],
      (time += 10n),
    );
    expect(events.map((event) => event.type === "custody" && [event.action, event.transitions[0]!.from, event.transitions[0]!.lot.state])).toEqual([
      ["arrive", "DECLARED", "ARRIVED"],
      ["hold", "ARRIVED", "HELD"],
      ["unhold", "HELD", "ARRIVED"],
    ]);
    const receipt = await chain.send(ledger.accountOf(OFFICER), "CustodyRegistry", call("batch", [[hold((await ledger.lot("LOT-C"))!)]]));
    const logs = receipt.logs.filter((log) => decodeLedgerEvent(log, 0n, ledger.orgs) !== undefined);
    expect(logs.map((log) => (log as unknown as { address: string }).address.toLowerCase())).toEqual([chain.address("CustodyRegistry").toLowerCase()]);
  });

  it("carries a sealed lot to the actions after it: arrive, seal, an OPENED alert and the unseal at the destination in one transaction", async () => {
    const sealedAt = (time += 10n);
    const events = await ledger.submitBatch(
      OFFICER,
      [
        { type: "arrive", lot: "LOT-B", facility: "GATE-HUUNGHI" },
        { type: "seal", lot: "LOT-B", facility: "BONDED-WH", seal: "ESEAL-1", deadline: sealedAt + 3600n, transit: transitDeclaration },
        { type: "alert", lot: "LOT-B", seal: "ESEAL-1", alert: "OPENED", detail: "wire cut" },
        { type: "unseal", lot: "LOT-B", facility: "BONDED-WH", sealIntact: true, reason: "" },
      ],
      sealedAt,
    );
    const custody = events as CustodyEvent[];
    expect(custody.map((event) => [event.action, event.transitions[0]!.lot.state, event.reason, event.flagged])).toEqual([
      ["arrive", "ARRIVED", "", false],
      ["seal", "IN_TRANSIT", "", false],
      ["alert", "IN_TRANSIT", "OPENED: wire cut", true],
      ["unseal", "ARRIVED", "", false],
    ]);
    expect(custody[1]!.transitions[0]!.lot).toMatchObject({ location: "GATE-HUUNGHI", seal: "ESEAL-1", destination: "BONDED-WH", deadline: sealedAt + 3600n });
    expect(await ledger.lot("LOT-B")).toMatchObject({
      state: "ARRIVED",
      location: "BONDED-WH",
      custodian: "TERMINAL",
      seal: "",
      destination: "",
      deadline: 0n,
    });
  });

  it("works out a batch's unseal at the time of the block it goes in: overdue since the last block, held, and then unheld in the same transaction, sent once", async () => {
    const sealedAt = (time += 10n);
    await ledger.submit(
      OFFICER,
      { type: "seal", lot: "LOT-B", facility: "ICD-GARMENT", seal: "ESEAL-2", deadline: sealedAt + 5n, transit: transitDeclaration },
      sealedAt,
    );
    const events = (await ledger.submitBatch(
      OFFICER,
      [
        { type: "unseal", lot: "LOT-B", facility: "ICD-GARMENT", sealIntact: true, reason: "" },
        { type: "unhold", lot: "LOT-B" },
      ],
      (time += 10n),
    )) as CustodyEvent[];
    // In the block the step's time was set for: not resent after a refusal of outdated lot states.
    expect(events.map((event) => event.time)).toEqual([time, time]);
    expect(events.map((event) => [event.action, event.transitions[0]!.lot.state, event.reason, event.flagged])).toEqual([
      ["unseal", "HELD", "OVERDUE", true],
      ["unhold", "ARRIVED", "", false],
    ]);
  });
});
