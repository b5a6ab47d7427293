/**
 * The demo network on an embedded chain that survives restarts. Its data directory holds
 * `chain/journal.ndjson` (every block, see chain-journal.ts) and `chain/network.json` (addresses and
 * demo keys). The first start deploys and registers in `chain.partial/`, renamed to `chain/` once
 * complete (an interrupted first start leaves only that, which the next start discards); later starts
 * rebuild the chain by replaying the journal, and deploy nothing. The chain is served through a
 * journaling provider, which refuses the node methods that change state without a block.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { toQuantity, Wallet } from "ethers";
import type { NetworkConfigOverride } from "hardhat/types/config";
import type { NetworkConnection } from "hardhat/types/network";
import { CHAIN_DATA_REMEDY, ChainDataError, ChainJournal, JournalReader, type JournalHeader } from "./chain-journal.js";
import { checkHeader, replayJournal, type ReplayProgress } from "./chain-replay.js";
import { demoKey, registerDemoNetwork, type DemoNetwork } from "./demo-network.js";
import { createChainConnection, deployTraceGate, serveChain, type EmbeddedChain, type ServeOptions } from "./embedded-chain.js";
import { JournalingProvider } from "./journaling-provider.js";
import { readNetworkFile, writeNetworkFile, type NetworkFile } from "./network-file.js";
import type { Eip1193Provider } from "./rpc.js";

/** `port`, `host`, `controlToken`: how the chain is served over HTTP JSON-RPC, if it is. */
export interface PersistentDemoNetworkOptions extends ServeOptions {
  /** The node's data directory; the chain lives in its `chain/` folder. */
  dataDir: string;
  /** Called as the journal is replayed (at the start, every 250 ms, at the end). */
  onProgress?: (progress: ReplayProgress) => void;
  /** A new chain's genesis time in seconds (default: now); a chain read from the journal keeps its own. */
  genesisTimestamp?: bigint;
}

export interface PersistentDemoNetwork extends DemoNetwork {
  journal: {
    path: string;
    /** Whether this start made the chain (deployed and registered), rather than replaying it. */
    created: boolean;
    /** Blocks in the journal when the network opened. */
    blocks: number;
    /** The replay's figures, when the chain was replayed. */
    replay: ReplayProgress | undefined;
  };
}

const JOURNAL_FILE = "journal.ndjson";
const NETWORK_FILE = "network.json";
/** The last second a JavaScript Date can hold. */
const MAX_GENESIS_TIMESTAMP = 8_640_000_000_000n;

/**
 * Opens the demo network kept in `dataDir`: replays its chain, or makes it on the first start. A
 * journal that does not replay exactly refuses the start with a ChainDataError (ChainReplayError for
 * a differing block), and nothing in the data directory changes.
 */
export async function openPersistentDemoNetwork(options: PersistentDemoNetworkOptions): Promise<PersistentDemoNetwork> {
  const dataDir = resolve(options.dataDir);
  const chainDir = join(dataDir, "chain");
  return existsSync(chainDir) ? reopen(chainDir, options) : create(dataDir, chainDir, options);
}

async function reopen(chainDir: string, options: PersistentDemoNetworkOptions): Promise<PersistentDemoNetwork> {
  for (const file of [JOURNAL_FILE, NETWORK_FILE]) {
    if (!existsSync(join(chainDir, file))) throw new ChainDataError(chainDir, `the chain directory ${chainDir} has no ${file}. ${CHAIN_DATA_REMEDY}`);
  }
  const network = readNetworkFile(join(chainDir, NETWORK_FILE));
  const reader = JournalReader.open(join(chainDir, JOURNAL_FILE));
  const connection = await createChainConnection(chainOverride(reader.header));
  let replay;
  try {
    checkHeader(reader.path, reader.header, await chainHeader(connection));
    replay = await replayJournal(connection.provider, reader, options.onProgress);
    await resumeClock(connection.provider);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return { ...(await serveJournaled(connection, reader, network, options)), journal: { path: reader.path, created: false, blocks: reader.blockCount, replay } };
}

async function create(dataDir: string, chainDir: string, options: PersistentDemoNetworkOptions): Promise<PersistentDemoNetwork> {
  const genesisTimestamp = options.genesisTimestamp ?? BigInt(Math.floor(Date.now() / 1000));
  if (genesisTimestamp < 0n || genesisTimestamp > MAX_GENESIS_TIMESTAMP) throw new RangeError(`genesisTimestamp must be seconds since 1970 up to ${MAX_GENESIS_TIMESTAMP}, not ${genesisTimestamp}`);
  const staging = join(dataDir, "chain.partial");
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const connection = await createChainConnection(chainOverride({ genesisTimestamp }));
  let network: NetworkFile;
  try {
    const journal = ChainJournal.create(join(staging, JOURNAL_FILE), await chainHeader(connection));
    const provider = new JournalingProvider(connection.provider, journal, 0n);
    try {
      const registrarKey = demoKey("registrar");
      const deployment = await deployTraceGate(connection, new Wallet(registrarKey).address);
      await provider.recordNewBlocks(); // Ignition deployed through the connection's own provider
      network = { ...deployment, registrarKey, signers: await registerDemoNetwork({ provider, ...deployment }, registrarKey) };
    } finally {
      await provider.close();
    }
    writeNetworkFile(join(staging, NETWORK_FILE), network);
    renameSync(staging, chainDir);
    syncDirectory(dataDir);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const reader = JournalReader.open(join(chainDir, JOURNAL_FILE));
  return { ...(await serveJournaled(connection, reader, network, options)), journal: { path: reader.path, created: true, blocks: reader.blockCount, replay: undefined } };
}

/** The chain served through a journaling provider that appends to the journal `reader` read. */
async function serveJournaled(connection: NetworkConnection, reader: JournalReader, network: NetworkFile, serve: ServeOptions): Promise<DemoNetwork> {
  const provider = new JournalingProvider(connection.provider, ChainJournal.reopen(reader), BigInt(reader.blockCount));
  const chain: EmbeddedChain = await serveChain(connection, provider, network, serve, () => provider.close());
  return { chain, registrarKey: network.registrarKey, signers: network.signers };
}

/**
 * The network configuration a journaled chain needs: a fixed genesis time (the genesis block's hash
 * depends on it), the journal's chain id and hardfork when there is one, blocks made only on request,
 * and a first-in first-out mempool, so that a replayed block's transactions are mined in the order
 * they are sent, which is the order the journal recorded.
 */
function chainOverride(header: Pick<JournalHeader, "genesisTimestamp"> & Partial<JournalHeader>): NetworkConfigOverride {
  return {
    initialDate: new Date(Number(header.genesisTimestamp) * 1000),
    ...(header.chainId === undefined ? {} : { chainId: Number(header.chainId) }),
    ...(header.hardfork === undefined ? {} : { hardfork: header.hardfork }),
    mining: { auto: true, interval: 0, mempool: { order: "fifo" } },
  };
}

async function chainHeader(connection: NetworkConnection): Promise<JournalHeader> {
  const { provider, networkConfig } = connection;
  if (networkConfig.type !== "edr-simulated") throw new Error(`a journaled chain runs on Hardhat's in-process EDR network, not on a ${networkConfig.type} network`);
  const genesis = (await provider.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as { hash: string; timestamp: string };
  return {
    chainId: BigInt((await provider.request({ method: "eth_chainId" })) as string),
    hardfork: networkConfig.hardfork,
    genesisTimestamp: BigInt(genesis.timestamp),
    genesisHash: genesis.hash,
  };
}

/**
 * evm_mine with a timestamp sets the chain's clock, so after a replay it stands at the last block's
 * time: move it on to the wall clock, as a node that was stopped resumes (the chain never mines a
 * block before its parent, so a last block in the future stays in the lead).
 */
async function resumeClock(provider: Eip1193Provider): Promise<void> {
  const offset = Number(await provider.request({ method: "evm_increaseTime", params: ["0x0"] }));
  if (offset < 0) await provider.request({ method: "evm_increaseTime", params: [toQuantity(-offset)] });
}

/** Makes a rename inside `directory` durable. */
function syncDirectory(directory: string): void {
  const fd = openSync(directory, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
