/**
 * The persistent demo network (product/chain/persistent-network.ts) on Hardhat's in-process EDR chain and
 * real files: what is done through it survives a restart, exactly; a journal that does not replay is
 * refused and left as it is; methods that could not be replayed are refused (a torn last line, damage
 * and durability: journal-durability.test.ts, journal-commit.test.ts).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toQuantity, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { ChainDataError } from "../../product/chain/chain-journal.js";
import { ChainReplayError, type ReplayProgress } from "../../product/chain/chain-replay.js";
import { UnjournaledMethodError } from "../../product/chain/journaling-provider.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { openPersistentDemoNetwork, type PersistentDemoNetwork } from "../../product/chain/persistent-network.js";
import { RegistryAdministration } from "../../sdk/evm/registry-admin.js";
import { httpRpc } from "../../sdk/evm/rpc.js";
import { anchorAction, ANPHAT, ANPHAT_SIGNER, CUSTOMS, declareAction, VCCI } from "../ledger/demo-actions.js";

const root = mkdtempSync(join(tmpdir(), "tracegate-chain-"));
const dataDir = join(root, "node");
const journalPath = join(dataDir, "chain", "journal.ndjson");
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Block {
  hash: string;
  number: string;
  timestamp: string;
  transactions: string[];
}

const rpcOf =
  (network: PersistentDemoNetwork) =>
  async <T>(method: string, params: unknown[] = []) =>
    (await network.chain.provider.request({ method, params })) as T;
const connectLedger = (network: PersistentDemoNetwork) =>
  EvmLedger.connect({ endpoint: network.chain.provider, addresses: network.chain.addresses, signers: network.signers, pollIntervalMs: 2 });

async function count(items: AsyncIterable<unknown>): Promise<number> {
  let total = 0;
  for await (const _ of items) total++;
  return total;
}

/** Every file of a directory tree and its bytes, to see that nothing was written. */
function snapshot(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(directory, { recursive: true }) as string[]) {
    const path = join(directory, name);
    if (statSync(path).isFile()) files.set(name, readFileSync(path, "hex"));
  }
  return files;
}

/** A copy of the data directory with its journal edited by `edit` (lines: header, then blocks 1, 2, ...). */
function tamperedCopy(name: string, edit: (lines: string[]) => void): string {
  const copy = join(root, name);
  cpSync(dataDir, copy, { recursive: true });
  const path = join(copy, "chain", "journal.ndjson");
  const lines = readFileSync(path, "utf8").split("\n");
  edit(lines);
  writeFileSync(path, lines.join("\n"));
  return copy;
}

describe("the persistent demo network", () => {
  /** What the first run left, to compare after each restart. */
  let recorded: { head: Block; reads: unknown; network: PersistentDemoNetwork };
  let slotBlock: Block;
  // Ahead of the other blocks (and of the wall clock), within the lead a chain's clock may take (ledger-clock.ts).
  const slotTime = BigInt(Math.floor(Date.now() / 1000)) + 3_600n;

  async function reads(network: PersistentDemoNetwork) {
    const ledger = await connectLedger(network);
    try {
      const rpc = rpcOf(network);
      return {
        organisation: await ledger.organisation("HAI-AN"),
        facility: await ledger.facility("VNHPH-HAIAN-W1"),
        lot: await ledger.lot("PL-1"),
        document: await ledger.document(documentHash("pdecl-PL-1")),
        slotDocuments: await Promise.all(["slot-a", "slot-b", "slot-c"].map((name) => ledger.document(documentHash(name)))),
        events: await count(ledger.events()),
        balance: await rpc("eth_getBalance", [network.chain.deployer, "latest"]),
      };
    } finally {
      await ledger.close();
    }
  }

  beforeAll(async () => {
    const network = await openPersistentDemoNetwork({ dataDir, port: 0 });
    expect(network.journal).toMatchObject({ path: journalPath, created: true, replay: undefined });
    const rpc = rpcOf(network);
    const ledger = await connectLedger(network);
    // Registration over HTTP: what clients send to the served endpoint is journaled too.
    const admin = await RegistryAdministration.connect(network.chain.url!, network.chain.addresses, network.registrarKey);
    await admin.registerOrganisation({ id: "HAI-AN", kind: "WAREHOUSE" });
    await admin.registerFacility({ id: "VNHPH-HAIAN-W1", kind: "WAREHOUSE", operator: "HAI-AN" });
    await ledger.submit(ANPHAT_SIGNER, anchorAction("pdecl-PL-1", "DECLARATION", ["PL-1"]));
    await ledger.submit(ANPHAT, declareAction("PL-1", "pdecl-PL-1"));
    await ledger.submit(CUSTOMS, { type: "arrive", lot: "PL-1", facility: "VNSGN-CATLAI" });

    // A slot as the seeds loader mines it: automine off, several transactions, evm_mine at the slot's time.
    await rpc("evm_setAutomine", [false]);
    const payer = new Wallet(network.signers[0]!.privateKey);
    const transfer = await payer.signTransaction({
      type: 2,
      chainId: 31337n,
      nonce: Number(await rpc<string>("eth_getTransactionCount", [payer.address, "pending"])),
      to: network.chain.deployer,
      value: 1n,
      gasLimit: 21_000n,
      maxFeePerGas: 10n ** 11n,
      maxPriorityFeePerGas: 1n,
    });
    await rpc("eth_sendRawTransaction", [transfer]);
    const submits = ["slot-a", "slot-b", "slot-c"].map((name) => ledger.submit(VCCI, anchorAction(name, "CO")));
    while ((await rpc<Block>("eth_getBlockByNumber", ["pending", false])).transactions.length < 4) await new Promise((resolve) => setTimeout(resolve, 2));
    await rpc("evm_mine", [toQuantity(slotTime)]);
    const slot = await Promise.all(submits);
    expect(new Set(slot.map((submitted) => submitted.block)).size).toBe(1);
    expect(slot[0]!.time).toBe(slotTime);
    slotBlock = await rpc<Block>("eth_getBlockByNumber", ["latest", false]);
    expect(slotBlock.transactions).toHaveLength(4);
    await rpc("evm_setAutomine", [true]);
    await rpc("hardhat_mine", ["0x3", "0x3c"]);
    await ledger.close();

    recorded = { head: await rpc<Block>("eth_getBlockByNumber", ["latest", false]), reads: await reads(network), network };
    await network.chain.stop();
  });

  it("comes back after a restart with the same blocks, state, addresses and keys, and goes on", async () => {
    const progress: ReplayProgress[] = [];
    const network = await openPersistentDemoNetwork({ dataDir, port: 0, onProgress: (figures) => progress.push(figures) });
    try {
      const rpc = rpcOf(network);
      expect(network.journal.created).toBe(false);
      expect(network.journal.replay).toMatchObject({ blocks: Number(recorded.head.number), totalBlocks: Number(recorded.head.number) });
      expect(progress.at(-1)).toEqual(network.journal.replay);
      expect(await rpc<Block>("eth_getBlockByNumber", ["latest", false])).toEqual(recorded.head);
      expect(await rpc<Block>("eth_getBlockByNumber", [slotBlock.number, false])).toEqual(slotBlock);
      expect(network.chain.addresses).toEqual(recorded.network.chain.addresses);
      expect(network.signers).toEqual(recorded.network.signers);
      expect(await reads(network)).toEqual(recorded.reads);

      const ledger = await connectLedger(network);
      await ledger.submit(CUSTOMS, { type: "hold", lot: "PL-1", reason: "inspection after restart" });
      expect(await ledger.lot("PL-1")).toMatchObject({ state: "HELD" });
      await ledger.close();
      // The clock resumes at the wall clock: never before the last block (the slot is in the future).
      const next = await rpc<Block>("eth_getBlockByNumber", ["latest", false]);
      expect(BigInt(next.timestamp)).toBeGreaterThan(BigInt(recorded.head.timestamp));
    } finally {
      await network.chain.stop();
    }
    const again = await openPersistentDemoNetwork({ dataDir });
    try {
      const ledger = await connectLedger(again);
      expect(await ledger.lot("PL-1")).toMatchObject({ state: "HELD" });
      await ledger.close();
    } finally {
      await again.chain.stop();
    }
  });

  it("refuses methods that change state without a block, over HTTP and in process, and changes nothing", async () => {
    // Over HTTP as the owner's tools call the node's control methods: with its control token.
    const network = await openPersistentDemoNetwork({ dataDir, port: 0, controlToken: "the-owner" });
    try {
      const before = readFileSync(journalPath, "hex");
      const balance = await rpcOf(network)("eth_getBalance", [network.chain.deployer, "latest"]);
      const response = await fetch(network.chain.url!, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer the-owner" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "hardhat_setBalance", params: [network.chain.deployer, "0x1"] }),
      });
      const { error } = (await response.json()) as { error: { code: number; message: string } };
      expect(error.code).toBe(-32004);
      expect(error.message).toMatch(
        /^hardhat_setBalance is refused on this persistent chain: .* could not replay it .* Instead, fund accounts with a value transfer/,
      );
      await expect(httpRpc({ url: network.chain.url!, token: "the-owner" }).request("evm_snapshot")).rejects.toThrow(
        /evm_snapshot is refused .* move its data directory aside/,
      );
      // A batch's calls go through the clock guard too: a block dated ten days ahead is refused.
      const ahead = toQuantity(BigInt(Math.floor(Date.now() / 1000)) + 10n * 86_400n);
      const batch = await fetch(network.chain.url!, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer the-owner" },
        body: JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "evm_mine", params: [ahead] }]),
      });
      expect(((await batch.json()) as Array<{ error?: { code: number } }>)[0]!.error?.code).toBe(-32602);
      await expect(network.chain.provider.request({ method: "hardhat_setCode", params: [network.chain.deployer, "0x00"] })).rejects.toBeInstanceOf(
        UnjournaledMethodError,
      );
      expect(await rpcOf(network)("eth_getBalance", [network.chain.deployer, "latest"])).toBe(balance);
      expect(readFileSync(journalPath, "hex")).toBe(before);
    } finally {
      await network.chain.stop();
    }
  });

  it("refuses to start on a journal whose block differs (a timestamp, a transaction), naming the block and both hashes, and writes nothing", async () => {
    const slot = Number(slotBlock.number);
    const editSlot = (edit: (block: { timestamp: string; txs: string[] }) => void) => (lines: string[]) => {
      const block = JSON.parse(lines[slot]!) as { timestamp: string; txs: string[] };
      edit(block);
      lines[slot] = JSON.stringify(block);
    };
    const mismatch = (path: string, error: ChainReplayError) =>
      `cannot replay the chain journal ${path}: block ${slot} has hash ${error.actual} here but ${slotBlock.hash} in the journal`;
    const cases = [
      { name: "retimed", edit: editSlot((block) => (block.timestamp = toQuantity(slotTime + 1n))), message: mismatch },
      { name: "reordered", edit: editSlot((block) => block.txs.push(block.txs.shift()!)), message: mismatch },
      {
        name: "altered",
        edit: editSlot((block) => (block.txs[0] = `${block.txs[0]!.slice(0, -1)}${block.txs[0]!.endsWith("0") ? "1" : "0"}`)),
        message: (path: string) => `cannot replay the chain journal ${path}: block ${slot}: its transaction 0 was refused`,
      },
    ];
    for (const { name, edit, message } of cases) {
      const copy = tamperedCopy(name, edit);
      const files = snapshot(copy);
      const error = (await openPersistentDemoNetwork({ dataDir: copy, port: 0 }).catch((e: unknown) => e)) as ChainReplayError;
      expect(error, name).toBeInstanceOf(ChainReplayError);
      const path = join(copy, "chain", "journal.ndjson");
      expect(error).toMatchObject({ path, blockNumber: BigInt(slot) });
      expect(error.message).toContain(message(path, error));
      expect(error.message).toMatch(/move the data directory aside to start a new chain/);
      expect(snapshot(copy)).toEqual(files);
    }
  });

  it("refuses a journal it cannot read, or whose genesis differs, with a ChainDataError", async () => {
    const garbled = tamperedCopy("garbled", (lines) => {
      lines[3] = "not json";
    });
    await expect(openPersistentDemoNetwork({ dataDir: garbled })).rejects.toThrow(
      /journal\.ndjson is unreadable at line 4 \(bytes \d+ to \d+\): it is not JSON/,
    );
    const regenesis = tamperedCopy("regenesis", (lines) => {
      lines[0] = lines[0]!.replace(/"genesisHash":"0x[0-9a-f]+"/, `"genesisHash":"0x${"ab".repeat(32)}"`);
    });
    const error = await openPersistentDemoNetwork({ dataDir: regenesis }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChainDataError);
    expect(error).toMatchObject({ blockNumber: 0n, expected: `0x${"ab".repeat(32)}` });
    expect((error as Error).message).toMatch(/the genesis block hash is 0x[0-9a-f]{64} here but 0x(ab){32} in the journal/);
  });
});
