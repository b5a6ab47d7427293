/**
 * A small scenario loaded onto the demo network's embedded chain, in process: one block per slot at
 * the slot's time, every transaction succeeding, the chain's events decoding to the scenario's count,
 * the same seed giving the same head block from the same chain (however many slots go in one JSON-RPC
 * batch), a member's consecutive custody steps as one batch transaction with the same events as one
 * transaction each, a revert naming its step, and stored documents readable by customs, seal tracks
 * verifying against the batches customs anchored.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ORGANISATIONS } from "../../sdk/demo-registry.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import { startDemoNetwork, type DemoNetwork } from "../../product/chain/demo-network.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { loadScenario, LoadResumeError, type LoadOptions, type LoadProgress, type LoadResult } from "../../seeds/loader/load.js";
import { transactionSteps } from "../../seeds/loader/slot-transactions.js";
import type { Step } from "../../seeds/step.js";
import { ensureRegistered } from "../../seeds/loader/registration.js";
import { openRpc } from "../../sdk/evm/rpc.js";
import { demoKey } from "../../product/chain/demo-network.js";
import { generateScenario } from "../../seeds/scenario.js";
import { segmentFile } from "../../domain/seal-track.js";
import { verifySegmentFile } from "../../sdk/transit/track-verifier.js";

const EVENTS = 800;

describe("loading a scenario onto the embedded chain", () => {
  let network: DemoNetwork;
  let fresh: string;
  let first: LoadResult;
  let before: bigint;
  const progress: LoadProgress[] = [];
  const request = <T>(method: string, params: unknown[] = []) => network.chain.connection.provider.request({ method, params }) as Promise<T>;
  const load = (seed: number, dataDir?: string, tuning: Pick<LoadOptions, "batchActions" | "slotsPerRequest"> = {}) =>
    loadScenario({
      endpoint: network.chain.connection.provider,
      addresses: network.chain.addresses,
      scenario: generateScenario({ seed, events: EVENTS }),
      dataDir,
      onProgress: (p) => progress.push(p),
      ...tuning,
    });
  /** The decoded events from block `from` on, without where their transactions are. */
  const eventsFrom = async (from: bigint) => {
    const ledger = await EvmLedger.connect({ endpoint: network.chain.connection.provider, addresses: network.chain.addresses });
    const events = [];
    for await (const { event, block, time } of ledger.events({ block: from, index: Number.MAX_SAFE_INTEGER })) events.push({ event, block, time });
    return events;
  };
  const restart = async () => {
    await request("evm_revert", [fresh]);
    fresh = await request<string>("evm_snapshot");
  };

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
    expect(first.anomalies).toHaveLength(8);
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
    // However many slots share a JSON-RPC batch.
    for (const slotsPerRequest of [1, 5]) {
      await restart();
      expect((await load(3, undefined, { slotsPerRequest })).head.hash).toBe(first.head.hash);
    }
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
    const resumed = await loadScenario({
      endpoint: network.chain.connection.provider,
      addresses: network.chain.addresses,
      scenario: generateScenario({ seed: 3, events: EVENTS }),
      resume: true,
    });
    expect(resumed.skipped).toBeGreaterThan(EVENTS / 3);
    expect(resumed.skipped + resumed.events).toBe(first.events);
    expect(resumed.head.hash).toBe(first.head.hash);
    // Resuming a load that finished loads nothing more.
    const again = await loadScenario({
      endpoint: network.chain.connection.provider,
      addresses: network.chain.addresses,
      scenario: generateScenario({ seed: 3, events: EVENTS }),
      resume: true,
    });
    expect([again.events, again.skipped, again.head.hash]).toEqual([0, first.events, first.head.hash]);
  });

  it("refuses to resume when the chain's newest block is not the scenario's", async () => {
    // The head is seed 3's last slot: seed 4's slots differ, and a block made since is no slot at all.
    const other = loadScenario({
      endpoint: network.chain.connection.provider,
      addresses: network.chain.addresses,
      scenario: generateScenario({ seed: 4, events: EVENTS }),
      resume: true,
    });
    await expect(other).rejects.toThrow(LoadResumeError);
    await request("evm_mine", []);
    const after = loadScenario({
      endpoint: network.chain.connection.provider,
      addresses: network.chain.addresses,
      scenario: generateScenario({ seed: 3, events: EVENTS }),
      resume: true,
    });
    await expect(after).rejects.toThrow(
      /^the chain's newest block \d+ \(.*, 0 transactions\) is not one of the scenario's: blocks were added after the load stopped/,
    );
  });

  it("records a member's consecutive custody steps of a slot as one batch, emitting what a transaction per step does", async () => {
    const count = async (from: bigint, to: bigint) => {
      let transactions = 0;
      for (let number = from; number <= to; number++) {
        transactions += (await request<{ transactions: string[] }>("eth_getBlockByNumber", [`0x${number.toString(16)}`, false])).transactions.length;
      }
      return transactions;
    };
    await restart();
    const single = await load(7, undefined, { batchActions: 1 });
    const unbatched = await eventsFrom(before);
    expect(await count(before + 1n, single.head.number)).toBe(single.events);
    await restart();
    const batched = await load(7);
    // Seed 7's year has one slot where a member takes two custody steps in a row.
    expect(await count(before + 1n, batched.head.number)).toBe(batched.events - 1);
    expect(batched.blocks).toBe(single.blocks);
    expect(await eventsFrom(before)).toEqual(unbatched);
  });

  it("names the step a reverted transaction records and the contract's reason, inside a batch too", async () => {
    await restart();
    // The second of a member's two custody steps in a row sent without the lot it acts on.
    async function* refusedInBatch(steps: AsyncIterable<Step>): AsyncGenerator<Step> {
      let previous: Step | undefined;
      let tampered = false;
      for await (const step of steps) {
        const joined: boolean = !tampered && previous !== undefined && transactionSteps([previous, step], 2).length === 1;
        tampered ||= joined;
        yield joined ? { ...step, reads: { lots: [] } } : step;
        previous = step;
      }
    }
    const scenario = generateScenario({ seed: 7, events: EVENTS });
    const refused = loadScenario({
      endpoint: network.chain.connection.provider,
      addresses: network.chain.addresses,
      scenario: { ...scenario, steps: refusedInBatch(scenario.steps) },
    });
    const message = await refused.then(
      () => "loaded",
      (error: Error) => error.message,
    );
    const named =
      /^the step \w+ of lot ([\w-]+) by [\w-]+\/[A-Z_]+ at \d{4}-\d\d-\d\dT[\d:.]+Z reverted in block \d+ \(transaction 0x[0-9a-f]{64}, action 1 of a batch of 2\): the contract reverted with StaleLotState\(lot: ([\w-]+), batchIndex: 1\)$/.exec(
        message,
      );
    expect(named, message).not.toBeNull();
    expect(named![1]).toBe(named![2]);
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
      await expect(new EncryptedDocumentStore(store).getDocument(anchored.cid, other, await keyOf(other), anchored.hash)).rejects.toMatchObject({
        code: "NOT_A_RECIPIENT",
      });
      // Each trip's track: stored for customs and the goods' owner, VALID against the SEAL_TRACK batch customs anchored.
      let batches = 0;
      for await (const { event } of ledger.events({ block: before, index: Number.MAX_SAFE_INTEGER })) {
        if (event.type === "batchAnchored" && event.batch.kind === "SEAL_TRACK") batches++;
      }
      expect(result.tracks.length).toBeGreaterThanOrEqual(3);
      expect(result.tracks).toHaveLength(batches);
      for (const track of result.tracks) {
        const file = await new EncryptedDocumentStore(store).getDocument(track.cid, customs, privateKey!);
        const { verdict, segment } = await verifySegmentFile(ledger, file);
        expect(verdict.verdict, track.root).toBe("VALID");
        expect(segment!.messages).toHaveLength(track.count);
        const lotOwner = (await ledger.lot(segment!.lots[0]!))!.owner;
        expect(await new EncryptedDocumentStore(store).getDocument(track.cid, lotOwner, await keyOf(lotOwner))).toEqual(file);
      }
      // A track whose one position moved fails verification.
      const { segment } = await verifySegmentFile(ledger, await new EncryptedDocumentStore(store).getDocument(result.tracks[0]!.cid, customs, privateKey!));
      const moved = { ...segment!, messages: segment!.messages.map((m, i) => (i === 1 ? { ...m, longitude: m.longitude + 1n } : m)) };
      expect((await verifySegmentFile(ledger, segmentFile(moved))).verdict.verdict).toBe("INVALID");
      await store.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
