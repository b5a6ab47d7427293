/**
 * The persistent embedded chain (product/chain/persistent-network.ts): anchors sent through the journaling
 * provider (one block each, as with automine), then signed transfers mined in blocks of 20 (as the
 * seeds loader mines a slot), then a restart that replays the whole journal, timed.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { toQuantity, Wallet } from "ethers";
import { documentHash } from "../../domain/index.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { openPersistentDemoNetwork } from "../../product/chain/persistent-network.js";

const ANCHORS = 2_000;
const SLOT_BLOCKS = 100;
const SLOT_TRANSACTIONS = 20;
const ISSUER = { org: "VCCI-HCM", role: "SIGNER" } as const;
const CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

export async function benchChainReplay(progress: (label: string) => void = () => {}): Promise<Record<string, number>> {
  const dataDir = await mkdtemp(join(tmpdir(), "tracegate-bench-chain-"));
  try {
    const network = await openPersistentDemoNetwork({ dataDir });
    let journaledSeconds: number;
    try {
      const request = <T>(method: string, params: unknown[] = []) => network.chain.provider.request({ method, params }) as Promise<T>;
      const ledger = await EvmLedger.connect({
        endpoint: network.chain.provider,
        addresses: network.chain.addresses,
        signers: network.signers,
        pollIntervalMs: 1,
      });
      progress(`${ANCHORS} anchors through the journaling provider, all in flight`);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: ANCHORS }, (_, index) =>
          ledger.submit(ISSUER, { type: "anchor", hash: documentHash(randomBytes(32)), id: `CO-${index}`, kind: "CO", cid: CID, subjects: [] }),
        ),
      );
      journaledSeconds = (performance.now() - started) / 1000;
      await ledger.close();

      progress(`${SLOT_BLOCKS} blocks of ${SLOT_TRANSACTIONS} signed transfers, mined with evm_mine(timestamp)`);
      const payer = new Wallet(network.signers[0]!.privateKey);
      let nonce = Number(await request<string>("eth_getTransactionCount", [payer.address, "pending"]));
      let time = BigInt((await request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp);
      await request("evm_setAutomine", [false]);
      for (let block = 0; block < SLOT_BLOCKS; block++) {
        for (let index = 0; index < SLOT_TRANSACTIONS; index++) {
          const raw = await payer.signTransaction({
            type: 2,
            chainId: 31337n,
            nonce: nonce++,
            to: network.chain.deployer,
            value: 1n,
            gasLimit: 21_000n,
            maxFeePerGas: 10n ** 11n,
            maxPriorityFeePerGas: 1n,
          });
          await request("eth_sendRawTransaction", [raw]);
        }
        await request("evm_mine", [toQuantity((time += 60n))]);
      }
    } finally {
      await network.chain.stop();
    }

    progress("restart: replaying the journal");
    const reopened = await openPersistentDemoNetwork({
      dataDir,
      onProgress: ({ blocks, totalBlocks }) => progress(`replayed ${blocks} / ${totalBlocks} blocks`),
    });
    await reopened.chain.stop();
    const replay = reopened.journal.replay!;
    return {
      chain_journaled_anchors_per_s: Math.round(ANCHORS / journaledSeconds),
      chain_journal_blocks: replay.blocks,
      chain_journal_transactions: replay.transactions,
      chain_journal_MiB: Math.round(((await stat(reopened.journal.path)).size / 2 ** 20) * 10) / 10,
      chain_replay_blocks_per_s: Math.round(replay.blocksPerSecond),
      chain_replay_transactions_per_s: Math.round(replay.transactionsPerSecond),
      chain_replay_ms: Math.round(replay.seconds * 1000),
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
