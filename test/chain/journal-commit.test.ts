/**
 * Durable before acknowledged: a block-making request through the journaling provider is answered only
 * once its journal line is written and fdatasynced, and concurrent senders share one fdatasync (group
 * commit), as do the blocks of one JSON-RPC batch. fdatasync is held here so that the order can be
 * seen; the real one runs underneath. The durable head, what the indexer follows, moves only once a
 * block's line is on disk, and never to a block whose line failed to get there (a full disk).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { NetworkConnection } from "hardhat/types/network";

/** Every fdatasync the journal asks for waits for `release` (when set), then runs for real. */
const gate = vi.hoisted(() => ({ calls: 0, release: undefined as Promise<void> | undefined, onCall: () => {}, fail: undefined as Error | undefined }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const fdatasync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    gate.calls++;
    gate.onCall();
    void (gate.release ?? Promise.resolve()).then(() => (gate.fail === undefined ? fs.fdatasync(fd, callback) : callback(gate.fail)));
  };
  return { ...fs, default: { ...fs, fdatasync }, fdatasync };
});

const { ChainJournal, JournalReader } = await import("../../product/chain/chain-journal.js");
const { JournalingProvider } = await import("../../product/chain/journaling-provider.js");
const { createChainConnection } = await import("../../product/chain/embedded-chain.js");
const { serveJsonRpc } = await import("../../product/chain/json-rpc-http.js");

const root = mkdtempSync(join(tmpdir(), "tracegate-commit-"));
let connection: NetworkConnection;
afterAll(async () => {
  await connection?.close();
  rmSync(root, { recursive: true, force: true });
});

beforeAll(async () => {
  connection = await createChainConnection();
});

async function journaled(name: string) {
  const genesis = (await connection.provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
    number: string;
    hash: string;
    timestamp: string;
  };
  const path = join(root, name);
  const journal = ChainJournal.create(path, { chainId: 31337n, hardfork: "cancun", genesisTimestamp: BigInt(genesis.timestamp), genesisHash: genesis.hash });
  return { path, provider: new JournalingProvider(connection.provider, journal, BigInt(genesis.number)) };
}

const lineCount = (path: string) => readFileSync(path, "utf8").split("\n").length - 1;

/** The next fdatasync call, held until the returned release is called. */
function holdNextSync(): { called: Promise<void>; release: () => void } {
  let release!: () => void;
  gate.release = new Promise<void>((resolve) => (release = resolve));
  const called = new Promise<void>((resolve) => (gate.onCall = resolve));
  return {
    called,
    release: () => {
      gate.release = undefined;
      release();
    },
  };
}

describe("the journaling provider's acknowledgement", () => {
  it("answers a block-making request only after its block's line is written and fdatasynced", async () => {
    const { path, provider } = await journaled("one.ndjson");
    const sync = holdNextSync();
    const answered = provider.request({ method: "evm_mine" }).then(() => "answered");
    expect(await Promise.race([answered, sync.called.then(() => "syncing")])).toBe("syncing");
    // The line is on its way to the disk (written) while the answer waits for the disk.
    expect(lineCount(path)).toBe(2);
    const settled = await Promise.race([answered, new Promise((resolve) => setImmediate(() => resolve("waiting")))]);
    expect(settled).toBe("waiting");
    sync.release();
    expect(await answered).toBe("answered");
    await provider.close();
    expect(JournalReader.open(path).blockCount).toBe(1);
  }, 20_000);

  it("lets concurrent senders share one fdatasync (group commit)", async () => {
    const { path, provider } = await journaled("group.ndjson");
    const sync = holdNextSync();
    const before = gate.calls;
    const answers = Array.from({ length: 20 }, () => provider.request({ method: "evm_mine" }));
    await sync.called;
    // Every block is made and written while the first fdatasync runs; no request is answered.
    while (lineCount(path) < 21) await new Promise((resolve) => setImmediate(resolve));
    expect(await Promise.race([...answers, new Promise((resolve) => setImmediate(() => resolve("none answered")))])).toBe("none answered");
    sync.release();
    await Promise.all(answers);
    // The first block's fdatasync, then one for the 19 written while it ran.
    expect(gate.calls - before).toBe(2);
    await provider.close();
    expect(JournalReader.open(path).blockCount).toBe(20);
  }, 20_000);

  it("answers a JSON-RPC batch once all its blocks are on disk, with one fdatasync for them all", async () => {
    const { path, provider } = await journaled("batch.ndjson");
    const endpoint = await serveJsonRpc(provider, { port: 0, controlToken: "t", batch: (work) => provider.batch(work) });
    try {
      const head = BigInt((await connection.provider.request({ method: "eth_blockNumber" })) as string);
      const sync = holdNextSync();
      const before = gate.calls;
      let released = false;
      const mines = Array.from({ length: 5 }, (_, id) => ({ jsonrpc: "2.0", id, method: "evm_mine", params: [] }));
      const calls = [...mines, { jsonrpc: "2.0", id: 5, method: "eth_blockNumber", params: [] }];
      const response = fetch(endpoint.url, {
        method: "POST",
        headers: { authorization: "Bearer t", "content-type": "application/json" },
        body: JSON.stringify(calls),
      });
      const answeredAfterRelease = response.then(() => released);
      await sync.called;
      // All five blocks are made and written, in order, before the one fdatasync, which the answer waits for.
      expect(lineCount(path)).toBe(6);
      released = true;
      sync.release();
      expect(await answeredAfterRelease).toBe(true);
      const answers = (await (await response).json()) as Array<{ id: number; result: string }>;
      expect(gate.calls - before).toBe(1);
      expect(answers.map(({ id }) => id)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(BigInt(answers[5]!.result)).toBe(head + 5n);
    } finally {
      await endpoint.close();
      await provider.close();
    }
    expect(JournalReader.open(path).blockCount).toBe(5);
  }, 20_000);

  it("moves the durable head only once a block's line is on disk", async () => {
    const { provider } = await journaled("durable.ndjson");
    const head = async () => BigInt((await connection.provider.request({ method: "eth_blockNumber" })) as string);
    const before = provider.durableHead;
    expect(before).toBe(await head());
    const sync = holdNextSync();
    const answered = provider.request({ method: "evm_mine" });
    await sync.called;
    // Made and written, not yet on disk: the chain has it, the durable head does not.
    expect(await head()).toBe(before + 1n);
    expect(provider.durableHead).toBe(before);
    sync.release();
    await answered;
    expect(provider.durableHead).toBe(before + 1n);
    await provider.close();
  }, 20_000);

  it("never takes the durable head to a block whose line failed to reach the disk", async () => {
    const { provider } = await journaled("full.ndjson");
    const before = provider.durableHead;
    gate.fail = Object.assign(new Error("ENOSPC: no space left on device, fdatasync"), { code: "ENOSPC" });
    try {
      await expect(provider.request({ method: "evm_mine" })).rejects.toThrow(/could not record, so it makes no more.*ENOSPC/);
    } finally {
      gate.fail = undefined;
    }
    expect(BigInt((await connection.provider.request({ method: "eth_blockNumber" })) as string)).toBe(before + 1n);
    expect(provider.durableHead).toBe(before);
    // It makes no more blocks; the durable head stays where a restart would replay to.
    await expect(provider.request({ method: "evm_mine" })).rejects.toThrow(/makes no more/);
    expect(provider.durableHead).toBe(before);
    await provider.close().catch(() => undefined);
  }, 20_000);

  it("creates the journal owner-only (0600)", async () => {
    const { path, provider } = await journaled("mode.ndjson");
    await provider.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
