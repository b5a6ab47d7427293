import { expect, it } from "vitest";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { LedgerUnavailableError } from "../../sdk/ledger.js";
import { anchorAction, VCCI } from "./demo-actions.js";
import { startEvmDemoLedger } from "./evm-demo-ledger.js";
import { describeLedger } from "./ledger-contract.js";

describeLedger(
  "EvmLedger over HTTP JSON-RPC (the embedded chain served on 127.0.0.1)",
  () => startEvmDemoLedger({ port: 0 }),
  (demo) => {
    it("talks to a real HTTP endpoint", () => {
      expect(demo().endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("pipelines sends from one account", async () => {
      const sent = await Promise.all(Array.from({ length: 20 }, (_, index) => demo().ledger.submit(VCCI, anchorAction(`http-bulk-${index}`, "CO"))));
      expect(new Set(sent.map((submitted) => submitted.tx)).size).toBe(20);
    });

    it("says so when the endpoint cannot be reached", async () => {
      const error = await EvmLedger.connect({ endpoint: "http://127.0.0.1:9", addresses: demo().network.chain.addresses }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LedgerUnavailableError);
      expect((error as Error).message).toMatch(/cannot reach the JSON-RPC endpoint http:\/\/127\.0\.0\.1:9/);
    });
  },
);
