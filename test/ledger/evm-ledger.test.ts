import { expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { contractInterface } from "../../sdk/evm/artifacts.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { LedgerConfigurationError } from "../../sdk/ledger.js";
import { anchorAction, VCCI } from "./demo-actions.js";
import { startEvmDemoLedger } from "./evm-demo-ledger.js";
import { describeLedger } from "./ledger-contract.js";

describeLedger(
  "EvmLedger on the in-process chain",
  () => startEvmDemoLedger(),
  (demo) => {
    it("loads lots it did not follow from the chain's events, checked against the stored hash", async () => {
      const reader = await EvmLedger.connect({ endpoint: demo().endpoint, addresses: demo().network.chain.addresses });
      expect(await reader.lot("P-2a")).toEqual(await demo().ledger.lot("P-2a"));
      expect(await reader.lot("P-2")).toMatchObject({ state: "SPLIT", location: "VNSGN-CATLAI" });
      expect(await reader.lot("NO-SUCH-LOT")).toBeUndefined();
    });

    it("reads the lots asked for together in lotHashes calls, and one by one from a deployment without it", async () => {
      const { network } = demo();
      const provider = network.chain.connection.provider;
      const iface = contractInterface("CustodyRegistry");
      const [bulk, single] = [iface.getFunction("lotHashes")!.selector, iface.getFunction("lotHash")!.selector];
      const calls = { bulk: 0, single: 0 };
      const counting = (withoutBulk: boolean) => ({
        async request(args: { method: string; params?: unknown[] }) {
          const data = args.method === "eth_call" ? ((args.params?.[0] as { data?: string } | undefined)?.data ?? "") : "";
          if (data.startsWith(bulk)) {
            calls.bulk++;
            if (withoutBulk) throw new Error("execution reverted");
          }
          if (data.startsWith(single)) calls.single++;
          return provider.request(args as never);
        },
      });
      // Two lots on the chain and 600 that are not: 602 reads, two calls of at most 500.
      const ids = ["P-2a", "P-2", ...Array.from({ length: 600 }, (_, i) => `ABSENT-${i}`)];
      const expected = await Promise.all(ids.map((id) => demo().ledger.lot(id)));
      expect(expected.slice(0, 2).every((lot) => lot !== undefined)).toBe(true);
      for (const withoutBulk of [false, true]) {
        const reader = await EvmLedger.connect({ endpoint: counting(withoutBulk), addresses: network.chain.addresses });
        calls.bulk = calls.single = 0;
        expect(await Promise.all(ids.map((id) => reader.lot(id)))).toEqual(expected);
        expect(calls).toEqual(withoutBulk ? { bulk: 1, single: ids.length } : { bulk: 2, single: 0 });
        // Without lotHashes, the reader does not try it again.
        calls.bulk = calls.single = 0;
        await Promise.all(ids.slice(0, 10).map((id) => reader.lot(id)));
        expect(calls.bulk).toBe(withoutBulk ? 0 : 1);
        await reader.close();
      }
    });

    it("waits for the configured number of confirmations", async () => {
      const { network } = demo();
      const provider = network.chain.connection.provider;
      // The signal that the ledger saw its transaction mined with one confirmation and kept waiting: it
      // asks for the head again after a receipt came back (a ledger that settled would not ask).
      let mined = false;
      let headsAfterReceipt = 0;
      let headAskedAgain!: () => void;
      const askedAgain = new Promise<void>((resolve) => (headAskedAgain = resolve));
      const watching = {
        async request(args: { method: string; params?: unknown[] }) {
          if (args.method === "eth_blockNumber" && mined && ++headsAfterReceipt === 2) headAskedAgain();
          const result = await provider.request(args as never);
          if (args.method === "eth_getTransactionReceipt" && result !== null) mined = true;
          return result;
        },
      };
      const confirming = await EvmLedger.connect({
        endpoint: watching,
        addresses: network.chain.addresses,
        signers: network.signers,
        confirmations: 2,
        pollIntervalMs: 5,
      });
      let final = false;
      const submitted = confirming.submit(VCCI, anchorAction("confirmed-twice", "CO")).then((result) => {
        final = true;
        return result;
      });
      await Promise.race([askedAgain, submitted]);
      expect(final).toBe(false);
      await network.chain.connection.provider.request({ method: "evm_mine" });
      expect((await submitted).event.type).toBe("documentAnchored");
    });

    it("refuses settings that cannot work, saying what is wrong", async () => {
      const { endpoint, network } = demo();
      const { addresses } = network.chain;
      await expect(EvmLedger.connect({ endpoint, addresses: { ...addresses, CustodyRegistry: "0x000000000000000000000000000000000000dEaD" } })).rejects.toThrow(
        /no contract at CustodyRegistry/,
      );
      const notMember = { org: "VCCI-HCM", role: "SIGNER" as const, privateKey: documentHash("not a member") };
      await expect(EvmLedger.connect({ endpoint, addresses, signers: [notMember] })).rejects.toThrow(/is no member of any organisation/);
      const reader = await EvmLedger.connect({ endpoint, addresses });
      await expect(reader.submit(VCCI, anchorAction("no key", "CO"))).rejects.toBeInstanceOf(LedgerConfigurationError);
    });
  },
);
