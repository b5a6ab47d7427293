/**
 * CustodyRegistry.batch on its own terms, past what the vectors say: its size, calls that are no
 * custody action, an outdated lot state inside a batch, and the events of an accepted batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchRefusedError, type Actor, type Lot } from "../../domain/index.js";
import { contractInterface, decodeLedgerEvent, decodeRevert, encodeId, encodeLot, EvmRevertError, revertDataOf } from "../../sdk/evm/codec.js";
import { EvmChain } from "../../scripts/harness/evm-chain.js";
import { TimedEvmLedger } from "../../scripts/harness/timed-evm-ledger.js";
import { setUpWorld, START_TIME } from "../differential/setup.js";

const OFFICER: Actor = { org: "CUSTOMS", role: "OFFICER" };
const custody = contractInterface("CustodyRegistry");

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
});
