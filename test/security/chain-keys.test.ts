/**
 * No key of a product's chain is publicly known (issue #12, the class of defect 1): the registrar's and
 * members' keys derive from a random secret made with the chain and kept owner-only in its network
 * file, and the chain's one genesis-funded account derives from it too, so neither the public demo
 * labels nor Hardhat's well-known mnemonic sign anything that counts on it. The same secret gives the
 * same chain on replay; `npm run demo`'s loader finds it in the data directory. A chain made before
 * secrets still starts, with a warning that its keys are public.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAddress, toQuantity, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLedger } from "../../product/ledger.js";
import { loadScenario } from "../../seeds/loader/load.js";
import { generateScenario } from "../../seeds/scenario.js";
import { ChainDataError } from "../../product/chain/chain-journal.js";
import { ChainReader } from "../../sdk/evm/chain-reads.js";
import { demoKey } from "../../product/chain/demo-network.js";
import { networkFilePath, readNetworkFile } from "../../product/chain/network-file.js";
import { openPersistentDemoNetwork, type PersistentDemoNetwork } from "../../product/chain/persistent-network.js";
import { RegistryAdministration } from "../../sdk/evm/registry-admin.js";
import { httpRpc } from "../../sdk/evm/rpc.js";
import { GAS_PRICE } from "../../seeds/loader/block-writer.js";

/** Hardhat's first default account ("test test … junk"), which deploys on a default Hardhat network. */
const HARDHAT_ACCOUNT = new Wallet("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const DAY = 86_400n;

const root = mkdtempSync(join(tmpdir(), "tracegate-keys-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const allKeys = (network: PersistentDemoNetwork) => [network.registrarKey, ...network.signers.map((signer) => signer.privateKey)];

describe("a product chain's keys", () => {
  const dataDir = join(root, "a");
  let network: PersistentDemoNetwork;
  let other: string[];
  /** The chain over HTTP without the control token: what anyone on the machine can send. */
  let anyone: ReturnType<typeof httpRpc>;

  beforeAll(async () => {
    const second = await openPersistentDemoNetwork({ dataDir: join(root, "b") });
    other = allKeys(second);
    await second.chain.stop();
    network = await openPersistentDemoNetwork({ dataDir, port: 0, genesisTimestamp: BigInt(Math.floor(Date.now() / 1000)) - 400n * DAY });
    anyone = httpRpc(network.chain.url!);
  }, 60_000);
  afterAll(() => network?.chain.stop());

  it("derive from the chain's own secret, kept owner-only: none is a public demo key, and two data directories share none", () => {
    const file = readNetworkFile(networkFilePath(dataDir));
    expect(file.keySecret).toMatch(/^0x[0-9a-f]{64}$/);
    expect(statSync(networkFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, "chain")).mode & 0o777).toBe(0o700);
    expect(network.keys).toEqual({ file: networkFilePath(dataDir), public: false });

    expect(network.registrarKey).toBe(demoKey("registrar", file.keySecret));
    expect(network.registrarKey).not.toBe(demoKey("registrar"));
    for (const { org, role, privateKey } of network.signers) {
      expect(privateKey).toBe(demoKey(`${org}/${role}`, file.keySecret));
      expect(privateKey).not.toBe(demoKey(`${org}/${role}`));
    }
    expect(network.signers.length).toBeGreaterThan(5);
    expect(allKeys(network).filter((key) => other.includes(key))).toEqual([]);
  });

  it("refuses a registration signed with the public demo registrar key, even once that account has funds", async () => {
    const publicRegistrar = new Wallet(demoKey("registrar"));
    const member = new Wallet(network.signers[0]!.privateKey);
    const chainId = BigInt(await anyone.request<string>("eth_chainId"));
    const nonce = Number(BigInt(await anyone.request<string>("eth_getTransactionCount", [member.address, "pending"])));
    const funding = await member.signTransaction({
      type: 0,
      chainId,
      nonce,
      to: publicRegistrar.address,
      value: 10n ** 18n,
      gasLimit: 21_000n,
      gasPrice: GAS_PRICE,
    });
    await anyone.request("eth_sendRawTransaction", [funding]);
    expect(BigInt(await anyone.request<string>("eth_getBalance", [publicRegistrar.address, "latest"]))).toBe(10n ** 18n);

    const intruder = new Wallet(demoKey("intruder"));
    const admin = await RegistryAdministration.connect(network.chain.url!, network.chain.addresses, publicRegistrar.privateKey);
    await expect(admin.registerMember(intruder.address, "VNCUSTOMS", "AUDITOR")).rejects.toMatchObject({
      errorName: "AccessControlUnauthorizedAccount",
      details: { account: publicRegistrar.address },
    });
    const reader = new ChainReader(anyone, network.chain.addresses, 0n);
    for (const account of [intruder.address, new Wallet(demoKey("VNCUSTOMS/AUDITOR")).address]) {
      const [record] = await reader.call("TraceGateRegistry", "member", [account]);
      expect(record.org).toBe(0n);
    }
  });

  it("funds none of Hardhat's well-known accounts: a transaction signed by one is refused", async () => {
    expect(BigInt(await anyone.request<string>("eth_getBalance", [HARDHAT_ACCOUNT.address, "latest"]))).toBe(0n);
    const chainId = BigInt(await anyone.request<string>("eth_chainId"));
    const raw = await HARDHAT_ACCOUNT.signTransaction({
      type: 0,
      chainId,
      nonce: 0,
      to: HARDHAT_ACCOUNT.address,
      value: 1n,
      gasLimit: 21_000n,
      gasPrice: GAS_PRICE,
    });
    await expect(anyone.request("eth_sendRawTransaction", [raw])).rejects.toThrow(/funds/i);
    const secret = readNetworkFile(networkFilePath(dataDir)).keySecret;
    expect(getAddress(network.chain.deployer)).toBe(new Wallet(demoKey("genesis", secret)).address);
    expect(BigInt(await anyone.request<string>("eth_getBalance", [network.chain.deployer, "latest"]))).toBeGreaterThan(0n);
  });

  it("are the keys `npm run demo`'s loader signs with, found in the data directory", async () => {
    const head = BigInt((await anyone.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp);
    const scenario = generateScenario({ seed: 2, events: 40, start: head - (head % DAY) + DAY });
    const loaded = await loadScenario({ endpoint: network.chain.provider, addresses: network.chain.addresses, scenario, dataDir });
    expect(loaded.events).toBeGreaterThan(0);
  }, 60_000);

  it("replay to the same chain after a restart, with the same keys", async () => {
    const head = await anyone.request<{ hash: string }>("eth_getBlockByNumber", ["latest", false]);
    const keys = allKeys(network);
    await network.chain.stop();
    network = await openPersistentDemoNetwork({ dataDir, port: 0 });
    anyone = httpRpc(network.chain.url!);
    expect(network.journal.created).toBe(false);
    expect((await anyone.request<{ hash: string }>("eth_getBlockByNumber", ["latest", false])).hash).toBe(head.hash);
    expect(allKeys(network)).toEqual(keys);
  }, 60_000);

  it("refuses a network file others can read, and one whose secret is damaged, changing nothing", async () => {
    await network.chain.stop();
    const copy = join(root, "copy");
    cpSync(dataDir, copy, { recursive: true });
    const file = networkFilePath(copy);
    const journal = readFileSync(join(copy, "chain", "journal.ndjson"));
    chmodSync(file, 0o644);
    await expect(openPersistentDemoNetwork({ dataDir: copy })).rejects.toThrow(/readable by other users \(mode 0644\): make it private \(chmod 600/);
    chmodSync(file, 0o600);
    const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...json, keySecret: "0x1234" }));
    await expect(openPersistentDemoNetwork({ dataDir: copy })).rejects.toThrow(ChainDataError);
    await expect(openPersistentDemoNetwork({ dataDir: copy })).rejects.toThrow(
      /keySecret: expected the chain's key secret \(0x and 64 hex digits\), got "0x1234"/,
    );
    const { keySecret: _, ...withoutSecret } = json;
    writeFileSync(file, JSON.stringify(withoutSecret));
    await expect(openPersistentDemoNetwork({ dataDir: copy })).rejects.toThrow(/lacks the chain's key secret/);
    writeFileSync(file, JSON.stringify({ ...json, signers: [{ org: "VNCUSTOMS", role: "OFFICER", privatKey: json.keySecret }] }));
    await expect(openPersistentDemoNetwork({ dataDir: copy })).rejects.toThrow(/signers\[0\]: unknown key "privatKey"/);
    expect(readFileSync(join(copy, "chain", "journal.ndjson"))).toEqual(journal);
    network = await openPersistentDemoNetwork({ dataDir });
  }, 60_000);
});

describe("a chain made before key secrets", () => {
  it("still starts and replays, with its public keys, and warns that they are public", async () => {
    const home = join(root, "legacy");
    cpSync(new URL("fixtures/public-keys-chain", import.meta.url), home, { recursive: true });
    chmodSync(networkFilePath(home), 0o600);
    const log: string[] = [];
    const ledger = await openLedger({ kind: "embedded", rpcPort: 0, rpcHost: "127.0.0.1" }, home, (line) => log.push(line));
    try {
      expect(log.join("\n")).toMatch(/replayed 28 blocks/);
      expect(log.join("\n")).toContain(`WARNING: this chain was made before chains had their own keys`);
      expect(log.join("\n")).toContain(`move ${home} aside and start it again`);
      const { embedded } = ledger;
      expect(embedded!.registrarKey).toBe(demoKey("registrar"));
      expect(embedded!.signers.every(({ org, role, privateKey }) => privateKey === demoKey(`${org}/${role}`))).toBe(true);
      const rpc = httpRpc(embedded!.rpcUrl);
      expect(BigInt(await rpc.request<string>("eth_getBalance", [HARDHAT_ACCOUNT.address, "latest"]))).toBeGreaterThan(0n);
      expect(toQuantity(BigInt(await rpc.request<string>("eth_blockNumber")))).toBe(toQuantity(28));
    } finally {
      await ledger.close();
    }
  }, 60_000);
});
