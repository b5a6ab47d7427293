/**
 * Removing a member account on the EVM, end to end: the registrar removes it through the SDK, the
 * ledger then refuses its actions with the domain's NOT_AUTHORIZED while its organisation's other
 * members carry on, and the indexer records the removal in the audit trail under the organisation.
 */
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, TraceGateError } from "../../domain/index.js";
import { Indexer } from "../../indexer/indexer.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { eventsFrom } from "../../indexer/store/read/events.js";
import { providerBatchRpc } from "../../sdk/evm/batch-rpc.js";
import { EvmRevertError } from "../../sdk/evm/errors.js";
import { demoKey } from "../../product/chain/demo-network.js";
import { RegistryAdministration } from "../../sdk/evm/registry-admin.js";
import { startEvmDemoLedger, type EvmDemoLedger } from "./evm-demo-ledger.js";

const anchor = (text: string) => ({
  type: "anchor" as const,
  hash: documentHash(text),
  id: `CO-${text.length}`,
  kind: "CO" as const,
  cid: "bafkqaaa",
  subjects: [],
});

describe("removing a member account", () => {
  let demo: EvmDemoLedger;
  let registrar: RegistryAdministration;
  let store: Store;
  beforeAll(async () => {
    demo = await startEvmDemoLedger();
    registrar = await RegistryAdministration.connect(demo.endpoint, demo.network.chain.addresses, demo.network.registrarKey);
    store = await openStore(":memory:");
  });
  afterAll(async () => {
    await store?.close();
    await demo?.stop();
  });

  it("refuses the removed account's actions from then on and records the removal under its organisation", async () => {
    const signer = { org: "VCCI-HCM", role: "SIGNER" as const };
    const account = new Wallet(demoKey("VCCI-HCM/SIGNER")).address;
    await demo.ledger.submit(signer, anchor("before the removal"));

    await registrar.removeMember(account);
    const refused = await demo.ledger.submit(signer, anchor("after the removal!")).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TraceGateError);
    expect((refused as TraceGateError).code).toBe("NOT_AUTHORIZED");
    expect(await demo.ledger.document(documentHash("after the removal!"))).toBeUndefined();
    expect((await demo.ledger.document(documentHash("before the removal")))?.issuer).toBe("VCCI-HCM");

    const again = await registrar.removeMember(account).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(EvmRevertError);
    expect((again as EvmRevertError).errorName).toBe("NotAMember");

    const { TraceGateRegistry: registry, CustodyRegistry: custody } = demo.network.chain.addresses;
    const source = await EvmSource.connect(providerBatchRpc(demo.network.chain.provider), { registry, custody });
    await (
      await Indexer.open(
        store,
        source,
        { finality: 0, batchBlocks: 1000, pollMs: 1 },
        {
          committed() {},
          rolledBack() {},
          failed: (error) => {
            throw error;
          },
        },
      )
    ).run({ untilHead: true });
    const removals = (await eventsFrom(store.db, 0n)).filter(({ event }) => event.type === "memberRemoved").map(({ event }) => event);
    expect(removals).toEqual([{ type: "memberRemoved", member: account, org: "VCCI-HCM", role: "SIGNER", time: expect.any(BigInt) }]);
    const row = await store.db.selectFrom("events").select(["kind", "actor"]).where("kind", "=", "memberRemoved").executeTakeFirstOrThrow();
    expect(row).toEqual({ kind: "memberRemoved", actor: "VCCI-HCM" });
  });
});
