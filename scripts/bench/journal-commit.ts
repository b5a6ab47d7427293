/**
 * The chain journal's durable commit (product/chain/chain-journal.ts): a block-making request is answered
 * only once its journal line is fdatasynced. On an in-process chain with nothing deployed, so that the
 * journal's cost shows: one sender (an fdatasync per block), then 32 senders sharing fdatasyncs (group
 * commit), then value transfers, one per block, 32 in flight, through the journaling provider and
 * through the bare chain. The journal lives in the system's temporary directory.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChainJournal } from "../../product/chain/chain-journal.js";
import { createChainConnection } from "../../product/chain/embedded-chain.js";
import { JournalingProvider } from "../../product/chain/journaling-provider.js";
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";
import { percentile } from "./api-probe.js";

const SEQUENTIAL_BLOCKS = 300;
const GROUP_BLOCKS = 2_000;
const TRANSFERS = 1_000;
const SENDERS = 32;

/** Runs `count` requests, `concurrency` at a time; the milliseconds each took, sorted, and the seconds all took. */
async function timed(count: number, concurrency: number, send: () => Promise<unknown>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let started = 0;
  const worker = async () => {
    while (started++ < count) {
      const at = performance.now();
      await send();
      latencies.push(performance.now() - at);
    }
  };
  const at = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - at) / 1000 };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function benchJournalCommit(progress: (label: string) => void = () => {}): Promise<Record<string, number>> {
  const directory = await mkdtemp(join(tmpdir(), "tracegate-bench-journal-"));
  const connection = await createChainConnection();
  try {
    const chain = connection.provider;
    const genesis = (await chain.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; hash: string; timestamp: string };
    const journal = ChainJournal.create(join(directory, "journal.ndjson"), {
      chainId: 31337n,
      hardfork: "cancun",
      genesisTimestamp: BigInt(genesis.timestamp),
      genesisHash: genesis.hash,
    });
    const journaled = new JournalingProvider(chain, journal, BigInt(genesis.number));
    const mine = () => journaled.request({ method: "evm_mine" });

    progress(`${SEQUENTIAL_BLOCKS} blocks from one sender, each answered once fdatasynced`);
    const one = await timed(SEQUENTIAL_BLOCKS, 1, mine);

    progress(`${GROUP_BLOCKS} blocks from ${SENDERS} senders at once (group commit)`);
    const syncsBefore = journal.syncCount;
    const group = await timed(GROUP_BLOCKS, SENDERS, mine);
    const groupSyncs = journal.syncCount - syncsBefore;

    progress(`${TRANSFERS} value transfers, ${SENDERS} in flight, journaled and bare`);
    const [from, to] = (await chain.request({ method: "eth_accounts" })) as string[];
    const transfer = (provider: Eip1193Provider) => () => provider.request({ method: "eth_sendTransaction", params: [{ from, to, value: "0x1" }] });
    const journaledTransfers = await timed(TRANSFERS, SENDERS, transfer(journaled));
    const bareTransfers = await timed(TRANSFERS, SENDERS, transfer(chain));
    await journaled.close();

    return {
      journal_durable_commits_per_s: Math.round(SEQUENTIAL_BLOCKS / one.seconds),
      journal_commit_p50_ms: round(percentile(one.latencies, 50)),
      journal_commit_p99_ms: round(percentile(one.latencies, 99)),
      journal_group_blocks_per_s: Math.round(GROUP_BLOCKS / group.seconds),
      journal_group_commit_p50_ms: round(percentile(group.latencies, 50)),
      journal_group_commit_p99_ms: round(percentile(group.latencies, 99)),
      journal_group_blocks_per_fdatasync: round(GROUP_BLOCKS / groupSyncs, 1),
      journaled_transfers_per_s: Math.round(TRANSFERS / journaledTransfers.seconds),
      bare_chain_transfers_per_s: Math.round(TRANSFERS / bareTransfers.seconds),
    };
  } finally {
    await connection.close();
    await rm(directory, { recursive: true, force: true });
  }
}
