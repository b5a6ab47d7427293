/**
 * The ledger the product follows: the embedded chain (started here, with the demo network), or an
 * EVM chain or Fabric channel TraceGate is deployed on. Either way the indexer reads it as a LedgerSource.
 */
import type { Eip1193Provider } from "ethers";
import type { SignerKey } from "../sdk/evm/ledger.js";
import type { ContractAddresses } from "../sdk/evm/chain-reads.js";
import { openPersistentDemoNetwork } from "./chain/persistent-network.js";
import { EvmSource } from "../indexer/sources/evm/evm-source.js";
import { durableBlocksOnly } from "./durable-blocks.js";
import { providerBatchRpc } from "../sdk/evm/batch-rpc.js";
import { openSource } from "../indexer/sources/from-settings.js";
import type { LedgerSource } from "../indexer/sources/source.js";
import { issueControlToken } from "./rpc-control-token.js";
import type { LedgerSettings } from "./settings.js";

export interface FollowedLedger {
  source: LedgerSource;
  /** Blocks after which the ledger cannot reorganise. */
  finality: number;
  /**
   * The embedded chain's JSON-RPC URL, the token that opens its control methods there (also in
   * <home>/rpc-control-token), its journal's path, contracts and demo accounts, and the file that holds
   * their keys (owner-only); undefined for an external ledger.
   */
  embedded:
    | {
        rpcUrl: string;
        provider: Eip1193Provider;
        controlToken: string;
        journal: string;
        addresses: ContractAddresses;
        registrarKey: string;
        signers: SignerKey[];
        keysFile: string;
      }
    | undefined;
  close(): Promise<void>;
}

/**
 * A new embedded chain's clock starts this far back, so that `npm run demo` can lay a year of
 * history ending today (ledger time only moves forward).
 */
const HISTORY_ROOM_SECONDS = 400n * 86_400n;

export async function openLedger(settings: LedgerSettings, home: string, log: (line: string) => void): Promise<FollowedLedger> {
  if (settings.kind === "external") {
    const { source, defaultFinality, close } = await openSource(settings.source);
    return { source, finality: settings.finality ?? defaultFinality, embedded: undefined, close: async () => close() };
  }
  const controlToken = await issueControlToken(home);
  const { chain, registrarKey, signers, journal, keys } = await openPersistentDemoNetwork({
    dataDir: home,
    port: settings.rpcPort,
    host: settings.rpcHost,
    controlToken,
    genesisTimestamp: BigInt(Math.floor(Date.now() / 1000)) - HISTORY_ROOM_SECONDS,
    onProgress: ({ blocks, totalBlocks, blocksPerSecond }) =>
      log(`replaying the chain's journal: block ${blocks} of ${totalBlocks} (${Math.round(blocksPerSecond)} blocks/s)`),
  });
  log(
    journal.created ? `made a new chain, journaled in ${journal.path}` : `replayed ${journal.blocks} blocks from ${journal.path}: every block hash as recorded`,
  );
  if (keys.public) {
    log(
      `WARNING: this chain was made before chains had their own keys: its registrar's, members' and genesis accounts' keys are publicly known ` +
        `(derived from labels in the source, and Hardhat's default mnemonic), so anyone who can reach its JSON-RPC port can act as any organisation. ` +
        `To start a fresh chain with secret keys: stop TraceGate, move ${home} aside and start it again.`,
    );
  }
  if (journal.tornTail !== undefined) {
    const { line, offset, bytes, copy } = journal.tornTail;
    log(
      `WARNING: the chain journal's last line was torn (line ${line}, ${bytes} bytes from byte ${offset}): a block being written when the node stopped, ` +
        `which no sender was told of (answers wait for the disk). The journal as it was is kept in ${copy}; the torn line was cut. ` +
        "Nothing to do, unless a sender reports a transaction as lost: send it again.",
    );
  }
  try {
    const evm = await EvmSource.connect(providerBatchRpc(chain.provider), {
      registry: chain.addresses.TraceGateRegistry,
      custody: chain.addresses.CustodyRegistry,
    });
    const source = chain.durableHead === undefined ? evm : durableBlocksOnly(evm, chain.durableHead);
    // The embedded chain mines each block once and never reorganises.
    return {
      source,
      finality: 0,
      embedded: {
        rpcUrl: chain.url!,
        provider: chain.provider,
        controlToken,
        journal: journal.path,
        addresses: chain.addresses,
        registrarKey,
        signers,
        keysFile: keys.file,
      },
      close: () => chain.stop(),
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}
