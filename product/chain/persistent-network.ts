/**
 * The demo network on an embedded chain that survives restarts. Its data directory holds
 * `chain/journal.ndjson` (every block, see chain-journal.ts) and `chain/network.json` (addresses, keys,
 * and the chain's key secret: 32 random bytes made with the chain, from which its one genesis-funded
 * account and every member's key derive, so that no key of a product's chain is publicly known). The first start deploys and registers in `chain.partial/`, renamed to `chain/` once
 * complete and served (an interrupted first start leaves only that, which the next start discards; a
 * failed one removes it); later starts rebuild the chain by replaying the journal, and deploy nothing.
 * A start that fails changes nothing in `chain/`: a torn last line of the journal is set aside only
 * once the chain is served. The chain is served through a journaling provider, which refuses the node
 * methods that change state without a block.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { hexlify, toQuantity, Wallet } from "ethers";
import type { NetworkConfigOverride } from "hardhat/types/config";
import type { NetworkConnection } from "hardhat/types/network";
import { CHAIN_DATA_REMEDY, ChainDataError, ChainJournal, JournalReader, syncDirectory, type JournalHeader, type SetAsideTail } from "./chain-journal.js";
import { checkHeader, replayJournal, type ReplayProgress } from "./chain-replay.js";
import { demoKey, registerDemoNetwork, type DemoNetwork } from "./demo-network.js";
import { createChainConnection, deployTraceGate, serveChain, type EmbeddedChain, type ServeOptions } from "./embedded-chain.js";
import { JournalingProvider } from "./journaling-provider.js";
import { CHAIN_DIR, NETWORK_FILE, readNetworkFile, writeNetworkFile, type NetworkFile } from "./network-file.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";

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
    /**
     * A torn last line the journal had (a block being written when the node stopped, which no request
     * was told of: answers wait for the disk), cut after the journal was copied aside.
     */
    tornTail: SetAsideTail | undefined;
  };
  keys: {
    /** The network file, which holds the chain's keys (owner-only). */
    file: string;
    /**
     * Whether the chain's keys are publicly known: a chain made before key secrets, whose registrar,
     * members and genesis accounts anyone can sign as. Only a fresh chain (another data directory) fixes that.
     */
    public: boolean;
  };
}

const JOURNAL_FILE = "journal.ndjson";
/** The genesis account's funds: the registrar and ten members get 500 ether each from it. */
const GENESIS_BALANCE = 10n ** 22n;
/** The last second a JavaScript Date can hold. */
const MAX_GENESIS_TIMESTAMP = 8_640_000_000_000n;

/**
 * Opens the demo network kept in `dataDir`: replays its chain, or makes it on the first start. A
 * journal that does not replay exactly refuses the start with a ChainDataError (ChainReplayError for
 * a differing block), and nothing in the data directory changes.
 */
export async function openPersistentDemoNetwork(options: PersistentDemoNetworkOptions): Promise<PersistentDemoNetwork> {
  const dataDir = resolve(options.dataDir);
  const chainDir = join(dataDir, CHAIN_DIR);
  return existsSync(chainDir) ? reopen(chainDir, options) : create(dataDir, chainDir, options);
}

async function reopen(chainDir: string, options: PersistentDemoNetworkOptions): Promise<PersistentDemoNetwork> {
  for (const file of [JOURNAL_FILE, NETWORK_FILE]) {
    if (!existsSync(join(chainDir, file))) throw new ChainDataError(chainDir, `the chain directory ${chainDir} has no ${file}. ${CHAIN_DATA_REMEDY}`);
  }
  const network = readNetworkFile(join(chainDir, NETWORK_FILE));
  const reader = JournalReader.open(join(chainDir, JOURNAL_FILE));
  const connection = await createChainConnection(chainOverride(reader.header, network.keySecret));
  let replay;
  try {
    checkHeader(reader.path, reader.header, await chainHeader(connection));
    replay = await replayJournal(connection.provider, reader, options.onProgress);
    await resumeClock(connection.provider);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const { served, tornTail } = await serveJournaled(connection, reader, network, options);
  return {
    ...served,
    journal: { path: reader.path, created: false, blocks: reader.blockCount, replay, tornTail },
    keys: { file: join(chainDir, NETWORK_FILE), public: network.keySecret === undefined },
  };
}

async function create(dataDir: string, chainDir: string, options: PersistentDemoNetworkOptions): Promise<PersistentDemoNetwork> {
  const genesisTimestamp = options.genesisTimestamp ?? BigInt(Math.floor(Date.now() / 1000));
  if (genesisTimestamp < 0n || genesisTimestamp > MAX_GENESIS_TIMESTAMP)
    throw new RangeError(`genesisTimestamp must be seconds since 1970 up to ${MAX_GENESIS_TIMESTAMP}, not ${genesisTimestamp}`);
  const staging = join(dataDir, "chain.partial");
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  const keySecret = hexlify(randomBytes(32));
  const connection = await createChainConnection(chainOverride({ genesisTimestamp }, keySecret));
  let network: NetworkFile;
  try {
    const journal = ChainJournal.create(join(staging, JOURNAL_FILE), await chainHeader(connection));
    const provider = new JournalingProvider(connection.provider, journal, 0n);
    try {
      const registrarKey = demoKey("registrar", keySecret);
      const deployment = await deployTraceGate(connection, new Wallet(registrarKey).address);
      await provider.recordNewBlocks(); // Ignition deployed through the connection's own provider
      network = { ...deployment, registrarKey, signers: await registerDemoNetwork({ provider, ...deployment }, registrarKey, keySecret), keySecret };
    } finally {
      await provider.close();
    }
    writeNetworkFile(join(staging, NETWORK_FILE), network);
    renameSync(staging, chainDir);
    syncDirectory(dataDir);
  } catch (error) {
    await connection.close();
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const reader = JournalReader.open(join(chainDir, JOURNAL_FILE));
  let served;
  try {
    ({ served } = await serveJournaled(connection, reader, network, options));
  } catch (error) {
    // This start made the chain: a start that fails leaves none (the next one makes it again).
    rmSync(chainDir, { recursive: true, force: true });
    syncDirectory(dataDir);
    throw error;
  }
  return {
    ...served,
    journal: { path: reader.path, created: true, blocks: reader.blockCount, replay: undefined, tornTail: undefined },
    keys: { file: join(chainDir, NETWORK_FILE), public: false },
  };
}

/**
 * The chain served through a journaling provider that appends to the journal `reader` read. The
 * journal is made ready for writing (a torn last line set aside) only once the chain is served, so
 * that a start that fails, on a port in use for one, leaves it as it was.
 */
async function serveJournaled(
  connection: NetworkConnection,
  reader: JournalReader,
  network: NetworkFile,
  serve: ServeOptions,
): Promise<{ served: DemoNetwork; tornTail: SetAsideTail | undefined }> {
  let journal;
  try {
    journal = ChainJournal.append(reader);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const provider = new JournalingProvider(connection.provider, journal, BigInt(reader.blockCount));
  // serveChain closes the provider (the journal) and the connection when it fails to listen.
  const chain: EmbeddedChain = await serveChain(connection, provider, network, serve, () => provider.close());
  let tornTail;
  try {
    tornTail = journal.beginWriting();
  } catch (error) {
    await chain.stop();
    throw error;
  }
  return { served: { chain, registrarKey: network.registrarKey, signers: network.signers }, tornTail };
}

/**
 * The network configuration a journaled chain needs: a fixed genesis time (the genesis block's hash
 * depends on it), the journal's chain id and hardfork when there is one, blocks made only on request,
 * and a first-in first-out mempool, so that a replayed block's transactions are mined in the order
 * they are sent, which is the order the journal recorded. The genesis state is one account whose key
 * derives from the chain's key secret (Hardhat's default accounts, whose keys are public, on a chain
 * made before secrets): the same secret gives the same genesis block.
 */
function chainOverride(header: Pick<JournalHeader, "genesisTimestamp"> & Partial<JournalHeader>, keySecret: string | undefined): NetworkConfigOverride {
  return {
    ...(keySecret === undefined ? {} : { accounts: [{ privateKey: demoKey("genesis", keySecret), balance: GENESIS_BALANCE }] }),
    initialDate: new Date(Number(header.genesisTimestamp) * 1000),
    ...(header.chainId === undefined ? {} : { chainId: Number(header.chainId) }),
    ...(header.hardfork === undefined ? {} : { hardfork: header.hardfork }),
    mining: { auto: true, interval: 0, mempool: { order: "fifo" } },
  };
}

async function chainHeader(connection: NetworkConnection): Promise<JournalHeader> {
  const { provider, networkConfig } = connection;
  if (networkConfig.type !== "edr-simulated")
    throw new Error(`a journaled chain runs on Hardhat's in-process EDR network, not on a ${networkConfig.type} network`);
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
