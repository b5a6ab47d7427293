import { expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { LedgerConfigurationError } from "../../sdk/ledger.js";
import { anchorAction, VCCI } from "./demo-actions.js";
import { startEvmDemoLedger } from "./evm-demo-ledger.js";
import { describeLedger } from "./ledger-contract.js";

describeLedger("EvmLedger on the in-process chain", () => startEvmDemoLedger(), (demo) => {
  it("loads lots it did not follow from the chain's events, checked against the stored hash", async () => {
    const reader = await EvmLedger.connect({ endpoint: demo().endpoint, addresses: demo().network.chain.addresses });
    expect(await reader.lot("P-2a")).toEqual(await demo().ledger.lot("P-2a"));
    expect(await reader.lot("P-2")).toMatchObject({ state: "SPLIT", location: "VNSGN-CATLAI" });
    expect(await reader.lot("NO-SUCH-LOT")).toBeUndefined();
  });

  it("waits for the configured number of confirmations", async () => {
    const { endpoint, network } = demo();
    const confirming = await EvmLedger.connect({ endpoint, addresses: network.chain.addresses, signers: network.signers, confirmations: 2, pollIntervalMs: 5 });
    let final = false;
    const submitted = confirming.submit(VCCI, anchorAction("confirmed-twice", "CO")).then((result) => {
      final = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(final).toBe(false);
    await network.chain.connection.provider.request({ method: "evm_mine" });
    expect((await submitted).event.type).toBe("documentAnchored");
  });

  it("refuses settings that cannot work, saying what is wrong", async () => {
    const { endpoint, network } = demo();
    const { addresses } = network.chain;
    await expect(EvmLedger.connect({ endpoint, addresses: { ...addresses, CustodyRegistry: "0x000000000000000000000000000000000000dEaD" } })).rejects.toThrow(/no contract at CustodyRegistry/);
    const notMember = { org: "VCCI-HCM", role: "SIGNER" as const, privateKey: documentHash("not a member") };
    await expect(EvmLedger.connect({ endpoint, addresses, signers: [notMember] })).rejects.toThrow(/is no member of any organisation/);
    const reader = await EvmLedger.connect({ endpoint, addresses });
    await expect(reader.submit(VCCI, anchorAction("no key", "CO"))).rejects.toBeInstanceOf(LedgerConfigurationError);
  });
});
