/**
 * A small scenario loaded onto the demo network's embedded chain, in process: one block per slot at
 * the slot's time, every transaction succeeding, the chain's events decoding to the scenario's count,
 * the same seed giving the same head block from the same chain, and stored documents readable by customs.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ORGANISATIONS } from "../../sdk/demo-registry.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import { startDemoNetwork, type DemoNetwork } from "../../sdk/evm/demo-network.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { loadScenario, LoadResumeError, type LoadProgress, type LoadResult } from "../../seeds/loader/load.js";
import { ensureRegistered } from "../../seeds/loader/registration.js";
import { openRpc } from "../../sdk/evm/rpc.js";
import { demoKey } from "../../sdk/evm/demo-network.js";
import { generateScenario } from "../../seeds/scenario.js";

const EVENTS = 800;

describe("loading a scenario onto the embedded chain", () => {
  let network: DemoNetwork;
  let fresh: string;
  let first: LoadResult;
  let before: bigint;
  const progress: LoadProgress[] = [];
  const request = <T>(method: string, params: unknown[] = []) => network.chain.connection.provider.request({ method, params }) as Promise<T>;
  const load = (seed: number, dataDir?: string) =>
    loadScenario({ endpoint: network.chain.connection.provider, addresses: network.chain.addresses, scenario: generateScenario({ seed, events: EVENTS }), dataDir, onProgress: (p) => progress.push(p) });

  beforeAll(async () => {
    network = await startDemoNetwork();
    // Registered and funded first: registration blocks carry the wall-clock time, the scenario's do not.
    const { provider } = network.chain.connection;
    const scenario = generateScenario({ events: 1 });
    await ensureRegistered(openRpc(provider), provider, network.chain.addresses, scenario, { registrar: demoKey("registrar"), funder: demoKey("registrar") });
    fresh = await request<string>("evm_snapshot");
    first = await load(3);
    before = BigInt(await request<string>("eth_blockNumber")) - BigInt(first.blocks);
  });
  afterAll(() => network?.chain.stop());

  it("records every step as one transaction, a block per slot, and reports progress", async () => {
    expect(first.events).toBeGreaterThan(EVENTS * 0.8);
    expect(first.blocks).toBeLessThanOrEqual(first.events);
    expect(first.anomalies).toHaveLength(5);
    expect(progress[0]?.phase).toBe("registering");
    expect(progress.at(-1)).toMatchObject({ phase: "done", done: first.events });
    const last = await request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
    expect(BigInt(last.timestamp) % 600n).toBe(0n);
  });

  it("leaves events the ledger decodes, as many as the scenario's steps", async () => {
    const ledger = await EvmLedger.connect({ endpoint: network.chain.connection.provider, addresses: network.chain.addresses });
    const counts = new Map<string, number>();
    let total = 0;
    for await (const entry of ledger.events({ block: before, index: Number.MAX_SAFE_INTEGER })) {
      total++;
      const kind = entry.event.type === "custody" ? entry.event.action : entry.event.type;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    expect(total).toBe(first.events);
    expect(counts.get("transform")).toBeGreaterThan(0);
    expect(counts.get("documentRevoked")).toBe(1);
    const flagged = first.anomalies.find((a) => a.kind === "OVER_CONSUMPTION")!;
    expect((await ledger.lot(flagged.lot!))?.state).toBeDefined();
  });

  it("gives the same head block for the same seed from the same chain, another for another seed", async () => {
    await request("evm_revert", [fresh]);
    fresh = await request<string>("evm_snapshot");
    expect((await load(3)).head.hash).toBe(first.head.hash);
    await request("evm_revert", [fresh]);
    fresh = await request<string>("evm_snapshot");
    expect((await load(4)).head.hash).not.toBe(first.head.hash);
  });

  it("resumes a load that stopped part-way: the same head as a load that never stopped", async () => {
    await request("evm_revert", [fresh]);
    fresh = await request<string>("evm_snapshot");
    const stop = new Error("interrupted");
    const partial = loadScenario({
      endpoint: network.chain.connection.provider,
      addresses: network.chain.addresses,
      scenario: generateScenario({ seed: 3, events: EVENTS }),
      onProgress: ({ phase, done }) => {
        if (phase === "loading" && done > EVENTS / 3) throw stop;
      },
    });
    await expect(partial).rejects.toBe(stop);
    const stoppedAt = await request<{ number: string }>("eth_getBlockByNumber", ["latest", false]);
    expect(BigInt(stoppedAt.number)).toBeLessThan(first.head.number);
    const resumed = await loadScenario({ endpoint: network.chain.connection.provider, addresses: network.chain.addresses, scenario: generateScenario({ seed: 3, events: EVENTS }), resume: true });
    expect(resumed.skipped).toBeGreaterThan(EVENTS / 3);
    expect(resumed.skipped + resumed.events).toBe(first.events);
    expect(resumed.head.hash).toBe(first.head.hash);
    // Resuming a load that finished loads nothing more.
    const again = await loadScenario({ endpoint: network.chain.connection.provider, addresses: network.chain.addresses, scenario: generateScenario({ seed: 3, events: EVENTS }), resume: true });
    expect([again.events, again.skipped, again.head.hash]).toEqual([0, first.events, first.head.hash]);
  });

  it("refuses to resume when the chain's newest block is not the scenario's", async () => {
    // The head is seed 3's last slot: seed 4's slots differ, and a block made since is no slot at all.
    const other = loadScenario({ endpoint: network.chain.connection.provider, addresses: network.chain.addresses, scenario: generateScenario({ seed: 4, events: EVENTS }), resume: true });
    await expect(other).rejects.toThrow(LoadResumeError);
    await request("evm_mine", []);
    const after = loadScenario({ endpoint: network.chain.connection.provider, addresses: network.chain.addresses, scenario: generateScenario({ seed: 3, events: EVENTS }), resume: true });
    await expect(after).rejects.toThrow(/^the chain's newest block \d+ \(.*, 0 transactions\) is not one of the scenario's: blocks were added after the load stopped/);
  });

  it("stores each document encrypted for its issuer, customs and its consignee, under the CID it anchors", async () => {
    await request("evm_revert", [fresh]);
    const dataDir = await mkdtemp(join(tmpdir(), "tracegate-seeds-"));
    try {
      const result = await load(5, dataDir);
      const ledger = await EvmLedger.connect({ endpoint: network.chain.connection.provider, addresses: network.chain.addresses });
      const revoked = result.anomalies.find((a) => a.kind === "CO_REVOKED_AFTER_CLEARANCE")!;
      const anchored = (await ledger.document(revoked.document!))!;
      expect(anchored.status).toBe("REVOKED");
      const store = await EmbeddedDocumentStore.open(join(dataDir, "documents"));
      const customs = DEMO_ORGANISATIONS.find((org) => org.kind === "CUSTOMS")!.id;
      const privateKey = await readFile(join(dataDir, "keys", `${customs}.private.pem`), "utf8").catch(() => undefined);
      // npm start made the demo organisations' keys elsewhere; the loader made the rest, customs' included when missing.
      expect(privateKey).toBeDefined();
      const bytes = await new EncryptedDocumentStore(store).getDocument(anchored.cid, customs, privateKey!, anchored.hash);
      expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ type: "certificate-of-origin", lot: revoked.lot });
      // The consignee, who owns the lot, reads its C/O too; another enterprise does not.
      const owner = (await ledger.lot(revoked.lot!))!.owner;
      const keyOf = (org: string) => readFile(join(dataDir, "keys", `${org}.private.pem`), "utf8");
      expect(await new EncryptedDocumentStore(store).getDocument(anchored.cid, owner, await keyOf(owner), anchored.hash)).toEqual(bytes);
      const other = DEMO_ORGANISATIONS.find((org) => org.kind === "ENTERPRISE" && org.id !== owner)!.id;
      await expect(new EncryptedDocumentStore(store).getDocument(anchored.cid, other, await keyOf(other), anchored.hash)).rejects.toMatchObject({ code: "NOT_A_RECIPIENT" });
      await store.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
