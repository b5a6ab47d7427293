/**
 * A large store for the API benchmark, built without a chain: the trade workload's steps are decided
 * by the domain ledger (scripts/workloads/trade-flows.ts) and written through the indexer's own write
 * transaction (commitBatch), one block per step, a minute of ledger time apart, with the workload's
 * organisations and facilities registered in block 0. Sending a million events through the EVM would
 * take hours; what the API reads is the same tables the indexer writes either way.
 */
import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { ChainEvent, RegistrationEvent } from "../../indexer/events.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch } from "../../indexer/store/commit.js";
import { openStore } from "../../indexer/store/open.js";
import { FLOW_FACILITIES, FLOW_ORGANISATIONS, TradeFlows } from "../workloads/trade-flows.js";
import { WORKLOAD_START } from "../workloads/trade-chain.js";

const STEP_SECONDS = 60n;
const BLOCKS_PER_TRANSACTION = 2_000;

const txHash = (block: bigint, index: number) => `0x${createHash("sha256").update(`bench ${block} ${index}`).digest("hex")}`;

/** Writes at least `events` events of the workload (seed `seed`) into a new SQLite store at `path`. */
export async function buildBenchStore(path: string, events: number, seed: number, progress: (label: string) => void): Promise<void> {
  const store = await openStore(path);
  try {
    let checkpoint = await openCheckpoint(store.db, `bench-api:${seed}`);
    const flows = new TradeFlows(seed);
    const registrations: RegistrationEvent[] = [
      ...FLOW_ORGANISATIONS.map(({ id, kind }): RegistrationEvent => ({ type: "organisationRegistered", id, kind, time: WORKLOAD_START })),
      ...FLOW_FACILITIES.map(({ id, kind, operator }): RegistrationEvent => ({ type: "facilityRegistered", id, kind, operator, time: WORKLOAD_START })),
    ];
    let pending: ChainEvent[] = registrations.map((event, index) => ({ block: 0n, index, tx: txHash(0n, index), event }));
    pending.push(
      ...(await flows.setUp(WORKLOAD_START)).map(({ event }, index) => ({
        block: 0n,
        index: registrations.length + index,
        tx: txHash(0n, registrations.length + index),
        event,
      })),
    );
    let written = 0;
    let block = 0n;
    const commit = async () => {
      ({ checkpoint } = await commitBatch(store, checkpoint, { events: pending, to: { number: block, hash: `block ${block}` }, headers: [], finalUpTo: -1n }));
      written += pending.length;
      pending = [];
    };
    while (written + pending.length < events) {
      block += 1n;
      const steps = await flows.step(WORKLOAD_START + block * STEP_SECONDS);
      steps.forEach(({ event }, index) => pending.push({ block, index, tx: txHash(block, index), event }));
      if (block % BigInt(BLOCKS_PER_TRANSACTION) === 0n) {
        await commit();
        if (block % 100_000n === 0n) progress(`${written.toLocaleString("en")} events written`);
      }
    }
    await commit();
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
  } finally {
    await store.close();
  }
}
