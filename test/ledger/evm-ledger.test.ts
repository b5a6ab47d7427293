import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, TraceGateError, type LedgerEvent } from "../../domain/index.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { LedgerConfigurationError } from "../../sdk/ledger.js";
import { anchorAction, ANPHAT, ANPHAT_SIGNER, CUSTOMS, declareAction, startDemoLedger, VCCI, type DemoLedger } from "./demo-ledger.js";

describe("EvmLedger on the in-process chain", () => {
  let demo: DemoLedger;
  beforeAll(async () => {
    demo = await startDemoLedger();
  });
  afterAll(() => demo.stop());

  it("submits an action and returns its domain event, transaction, block and ledger time", async () => {
    const submitted = await demo.ledger.submit(VCCI, anchorAction("co-1", "CO", ["LOT-A"]));
    expect(submitted.event.type).toBe("documentAnchored");
    expect(submitted.tx).toMatch(/^0x[0-9a-f]{64}$/);
    const document = await demo.ledger.document(documentHash("co-1"));
    expect(document).toMatchObject({ id: "CO-1", kind: "CO", issuer: "VCCI-HCM", subjects: ["LOT-A"], status: "VALID", version: 1, revocation: null });
    expect(document!.anchoredIn).toEqual({ tx: submitted.tx, block: submitted.block, time: submitted.time });
    expect(await demo.ledger.organisation("VCCI-HCM")).toEqual({ id: "VCCI-HCM", kind: "ISSUER" });
    expect(await demo.ledger.facility("VNSGN-CATLAI")).toEqual({ id: "VNSGN-CATLAI", kind: "BORDER_GATE", operator: "VNCUSTOMS" });
    expect(await demo.ledger.organisation("NOBODY")).toBeUndefined();
  });

  it("maps a revert to the domain's error and keeps its nonces right for the next send", async () => {
    await expect(demo.ledger.submit(ANPHAT_SIGNER, anchorAction("co-by-enterprise", "CO"))).rejects.toMatchObject({ code: "ISSUER_NOT_ENTITLED" });
    await expect(demo.ledger.submit(ANPHAT_SIGNER, anchorAction("decl-after-revert", "DECLARATION"))).resolves.toBeDefined();
  });

  it("validates the arguments before sending anything", async () => {
    const head = await demo.network.chain.connection.provider.request({ method: "eth_blockNumber" });
    const error = await demo.ledger.submit(CUSTOMS, { type: "hold", lot: "has a space", reason: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceGateError);
    expect((error as TraceGateError).code).toBe("INVALID_ARGUMENT");
    expect(await demo.network.chain.connection.provider.request({ method: "eth_blockNumber" })).toBe(head);
  });

  it("keeps many submissions in flight, ordering the actions on each lot", async () => {
    const lots = ["P-1", "P-2", "P-3", "P-4"];
    await Promise.all(lots.map((lot) => demo.ledger.submit(ANPHAT_SIGNER, anchorAction(`decl-${lot}`, "DECLARATION", [lot]))));
    const flows = lots.map(async (lot) => {
      const declared = demo.ledger.submit(ANPHAT, declareAction(lot, `decl-${lot}`));
      const arrived = demo.ledger.submit(CUSTOMS, { type: "arrive", lot, facility: "VNSGN-CATLAI" });
      const split = demo.ledger.submit(CUSTOMS, { type: "split", lot, parts: [{ lot: `${lot}a`, quantity: 400n }, { lot: `${lot}b`, quantity: 600n }] });
      return Promise.all([declared, arrived, split]);
    });
    const anchors = Array.from({ length: 40 }, (_, index) => demo.ledger.submit(VCCI, anchorAction(`bulk-${index}`, "CO")));
    await Promise.all([...flows, ...anchors]);
    expect((await demo.ledger.lot("P-3b"))?.quantity).toBe(600n);
    expect((await demo.ledger.lot("P-3"))?.state).toBe("SPLIT");
  });

  it("loads lots it did not follow from the chain's events, checked against the stored hash", async () => {
    const reader = await EvmLedger.connect({ endpoint: demo.endpoint, addresses: demo.network.chain.addresses });
    expect(await reader.lot("P-2a")).toEqual(await demo.ledger.lot("P-2a"));
    expect(await reader.lot("P-2")).toMatchObject({ state: "SPLIT", location: "VNSGN-CATLAI" });
    expect(await reader.lot("NO-SUCH-LOT")).toBeUndefined();
  });

  it("streams events from a checkpoint", async () => {
    const all: LedgerEvent[] = [];
    let middle;
    for await (const entry of demo.ledger.events()) {
      all.push(entry.event);
      if (all.length === 10) middle = entry.checkpoint;
    }
    const rest: LedgerEvent[] = [];
    for await (const entry of demo.ledger.events(middle)) rest.push(entry.event);
    expect(rest).toEqual(all.slice(10));
    expect(all.filter((event) => event.type === "custody")).toHaveLength(12);
  });

  it("waits for the configured number of confirmations", async () => {
    const { addresses, connection } = demo.network.chain;
    const confirming = await EvmLedger.connect({ endpoint: demo.endpoint, addresses, signers: demo.network.signers, confirmations: 2, pollIntervalMs: 5 });
    let final = false;
    const submitted = confirming.submit(VCCI, anchorAction("confirmed-twice", "CO")).then((result) => {
      final = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(final).toBe(false);
    await connection.provider.request({ method: "evm_mine" });
    expect((await submitted).event.type).toBe("documentAnchored");
  });

  it("refuses settings that cannot work, saying what is wrong", async () => {
    const { addresses } = demo.network.chain;
    await expect(EvmLedger.connect({ endpoint: demo.endpoint, addresses: { ...addresses, CustodyRegistry: "0x000000000000000000000000000000000000dEaD" } })).rejects.toThrow(/no contract at CustodyRegistry/);
    const notMember = { org: "VCCI-HCM", role: "SIGNER" as const, privateKey: documentHash("not a member") };
    await expect(EvmLedger.connect({ endpoint: demo.endpoint, addresses, signers: [notMember] })).rejects.toThrow(/is no member of any organisation/);
    const reader = await EvmLedger.connect({ endpoint: demo.endpoint, addresses });
    await expect(reader.submit(VCCI, anchorAction("no key", "CO"))).rejects.toBeInstanceOf(LedgerConfigurationError);
  });
});
