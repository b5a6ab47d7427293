/**
 * Puts a scenario on an EVM chain over JSON-RPC (the embedded chain in process, or served on
 * 127.0.0.1): the registry completed and members funded, then each time slot's steps as one block at
 * the slot's ledger time (a member's consecutive custody steps in one atomic batch transaction,
 * slot-transactions.ts), several slots to a JSON-RPC batch, their documents (and the seal tracks whose
 * SEAL_TRACK batches customs anchors) stored encrypted first when a data directory is given.
 * The same scenario onto the same chain gives the same blocks — when documents are not stored:
 * envelopes are sealed with fresh random keys, so their CIDs (anchored) differ from run to run.
 */
import { existsSync } from "node:fs";
import { getAddress } from "ethers";
import { MAX_BATCH_ACTIONS, type Actor, type Hash } from "../../domain/index.js";
import { batchCall } from "../../sdk/evm/batch-calls.js";
import type { ContractAddresses } from "../../sdk/evm/chain-reads.js";
import type { ContractCall } from "../../sdk/evm/calls.js";
import { encodeAction, type CallContext, type OrganisationDirectory } from "../../sdk/evm/codec.js";
import { demoKey } from "../../product/chain/demo-network.js";
import { networkFilePath, readNetworkFile } from "../../product/chain/network-file.js";
import { openBatchRpc } from "../../sdk/evm/batch-rpc.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import type { Endpoint, Rpc } from "../../sdk/evm/rpc.js";
import type { Anomaly } from "../anomalies.js";
import type { Scenario } from "../scenario.js";
import type { Step } from "../step.js";
import { BlockWriter, type Slot, type Transaction } from "./block-writer.js";
import { DocumentSink } from "./document-sink.js";
import { ensureRegistered, memberKey, organisationDirectory } from "./registration.js";
import { LoadedPrefix, loadedHead } from "./resume.js";
import { transactionSteps } from "./slot-transactions.js";

export { LoadResumeError } from "./resume.js";

export interface LoadProgress {
  phase: "registering" | "loading" | "done";
  /** Events (steps) on chain so far. */
  done: number;
  /** Events expected (the scenario's target; the year may yield a few more or less). */
  total: number;
  perSecond: number;
}

export interface LoadOptions {
  /** A JSON-RPC URL with the node's control token (the loader mines its blocks with evm_mine), or an in-process EIP-1193 provider. */
  endpoint: Endpoint;
  addresses: ContractAddresses;
  scenario: Scenario;
  /** The registry administrator's key; default the demo network's registrar (see `dataDir`). */
  registrarKey?: string;
  /** A funded account that pays the members' gas; default the registrar. */
  funderKey?: string;
  /**
   * Store documents encrypted under DIR/documents (keys in DIR/keys); without it, only hashes are anchored.
   * When DIR is the data directory of the chain being loaded (`npm start`'s: its chain/network.json
   * names the same contracts), the registrar's and members' keys derive from that chain's key secret;
   * otherwise from the public demo labels (tests' throwaway chains, a development node).
   */
  dataDir?: string;
  /**
   * Continue a load of this scenario onto this chain that stopped part-way: the steps up to the chain's
   * newest block are skipped. That block must be the scenario's slot at its time (LoadResumeError if
   * not), or lie before the scenario (nothing was loaded: a plain load).
   */
  resume?: boolean;
  onProgress?: (progress: LoadProgress) => void;
  /** The most steps in one batch transaction, 1 to MAX_BATCH_ACTIONS (1: a transaction per step); default MAX_BATCH_ACTIONS. */
  batchActions?: number;
  /** The most slots (blocks) in one JSON-RPC batch; default SLOTS_PER_REQUEST. The chain's blocks are the same whatever it is. */
  slotsPerRequest?: number;
}

export interface LoadResult {
  /** Events this load put on the chain. */
  events: number;
  /** Events a resumed load found on the chain already. */
  skipped: number;
  blocks: number;
  head: { number: bigint; hash: string };
  seconds: number;
  anomalies: Anomaly[];
  /** The seal tracks stored (with a data directory): each segment file's CID under the root its batch anchors. */
  tracks: StoredTrack[];
}

export interface StoredTrack {
  root: Hash;
  cid: string;
  count: number;
}

const PROGRESS_EVERY_MS = 250;
/** Slots per JSON-RPC batch: measured on the demo year against `npm start` (README, seeds/README.md). */
export const SLOTS_PER_REQUEST = 32;
/**
 * A batch holds at most this many calls (a send and a receipt per transaction, a mine and a block per
 * slot) and calldata bytes, unless one slot alone needs more: one HTTP request of the SDK's (500
 * calls), well under a node's 5 MiB.
 */
const MAX_CALLS_PER_REQUEST = 480;
const MAX_DATA_BYTES_PER_REQUEST = 1 << 20;

export async function loadScenario(options: LoadOptions): Promise<LoadResult> {
  const { scenario, onProgress = () => {}, batchActions = MAX_BATCH_ACTIONS, slotsPerRequest = SLOTS_PER_REQUEST } = options;
  transactionSteps([], batchActions); // checks it before anything is done
  if (!Number.isSafeInteger(slotsPerRequest) || slotsPerRequest < 1)
    throw new RangeError(`slotsPerRequest must be a whole number of at least 1, not ${slotsPerRequest}`);
  const started = performance.now();
  const rpc = openBatchRpc(options.endpoint);
  const head = options.resume === true ? await loadedHead(rpc, scenario.period.from) : undefined;
  const prefix = head === undefined ? undefined : new LoadedPrefix(head);
  const skipped = () => prefix?.skipped ?? 0;
  // Steps a resumed load finds on the chain count as done, not in the rate.
  const report = (phase: LoadProgress["phase"], loaded: number) =>
    onProgress({ phase, done: skipped() + loaded, total: scenario.events, perSecond: loaded / Math.max((performance.now() - started) / 1000, 1e-3) });
  const secret = keySecretOf(options.dataDir, options.addresses);
  let orgs: OrganisationDirectory;
  if (prefix === undefined) {
    report("registering", 0);
    const registrar = options.registrarKey ?? demoKey("registrar", secret);
    orgs = await ensureRegistered(rpc, options.endpoint, options.addresses, scenario, { registrar, funder: options.funderKey ?? registrar, secret });
    await requireTimeBefore(rpc, scenario.period.from);
  } else {
    // Registered before the first slot; a registration now would make a block at the node's clock, after the next slot.
    orgs = await organisationDirectory(rpc, options.addresses);
  }
  const chainId = BigInt(await rpc.request<string>("eth_chainId"));
  const writer = new BlockWriter(rpc, chainId, (actor: Actor) => memberKey(actor, secret), orgs);
  const sink = options.dataDir === undefined ? undefined : await DocumentSink.open(options.dataDir);
  const store = sink === undefined ? undefined : { sink, tracks: [] as StoredTrack[] };
  let events = 0;
  // One batch of slots in flight while the next one's calls are prepared (documents sealed and stored,
  // calls encoded): the chain and this process work at the same time.
  let writing: Promise<void> = Promise.resolve();
  let pending: { slots: Slot[]; calls: number; bytes: number } = { slots: [], calls: 0, bytes: 0 };
  let reported = performance.now();
  const flush = async () => {
    const { slots } = pending;
    if (slots.length === 0) return;
    pending = { slots: [], calls: 0, bytes: 0 };
    await writing;
    let steps = 0;
    for (const slot of slots) for (const transaction of slot.transactions) steps += transaction.steps.length;
    // Counted once their blocks are mined: the progress says what is on the chain, which a load
    // killed after it resumes from, not what was only handed to the node.
    writing = writer.write(slots).then(() => {
      events += steps;
      if (performance.now() - reported > PROGRESS_EVERY_MS) {
        report("loading", events);
        reported = performance.now();
      }
    });
    writing.catch(() => undefined);
  };
  const endSlot = async (steps: Step[]) => {
    const groups = transactionSteps(steps, batchActions);
    if (prefix?.holds(steps[0]!.time, steps.length, groups.length) === true) return;
    const transactions: Transaction[] = [];
    for (const group of groups) transactions.push(await transactionOf(group, orgs, options.addresses, store));
    const calls = 2 * transactions.length + 2;
    const bytes = transactions.reduce((sum, { data }) => sum + data.length / 2, 0);
    if (pending.calls + calls > MAX_CALLS_PER_REQUEST || pending.bytes + bytes > MAX_DATA_BYTES_PER_REQUEST) await flush();
    pending.slots.push({ time: steps[0]!.time, transactions });
    pending.calls += calls;
    pending.bytes += bytes;
    if (pending.slots.length >= slotsPerRequest) await flush();
  };
  await rpc.request("evm_setAutomine", [false]);
  try {
    let slot: Step[] = [];
    for await (const step of scenario.steps) {
      if (slot.length > 0 && step.time !== slot[0]!.time) {
        await endSlot(slot);
        slot = [];
      }
      slot.push(step);
    }
    if (slot.length > 0) await endSlot(slot);
    prefix?.check();
    await flush();
    await writing;
  } finally {
    // Blocks still in flight when loading stops are finished first: with automine back on, their
    // transactions would each be mined alone, at the node's clock.
    await writing.catch(() => undefined);
    await rpc.request("evm_setAutomine", [true]);
    await sink?.close();
  }
  const last = await rpc.request<{ number: string; hash: string }>("eth_getBlockByNumber", ["latest", false]);
  report("done", events);
  return {
    events,
    skipped: skipped(),
    blocks: writer.blocks,
    head: { number: BigInt(last.number), hash: last.hash },
    seconds: (performance.now() - started) / 1000,
    anomalies: scenario.anomalies,
    tracks: store?.tracks ?? [],
  };
}

/** The key secret of the chain `addresses` names, if `dataDir` is its data directory (a chain made before secrets has none). */
function keySecretOf(dataDir: string | undefined, addresses: ContractAddresses): string | undefined {
  if (dataDir === undefined || !existsSync(networkFilePath(dataDir))) return undefined;
  const network = readNetworkFile(networkFilePath(dataDir));
  const same = (a: string, b: string) => getAddress(a) === getAddress(b);
  const ours = same(network.addresses.TraceGateRegistry, addresses.TraceGateRegistry) && same(network.addresses.CustodyRegistry, addresses.CustodyRegistry);
  return ours ? network.keySecret : undefined;
}

/** Where documents and seal tracks go, and the tracks stored so far. */
interface Storage {
  sink: DocumentSink;
  tracks: StoredTrack[];
}

/** The steps as one transaction: a step's own call, or the batch of several custody steps' calls. */
async function transactionOf(steps: Step[], orgs: OrganisationDirectory, addresses: ContractAddresses, store: Storage | undefined): Promise<Transaction> {
  const calls: ContractCall[] = [];
  for (const step of steps) calls.push(await callOf(step, orgs, store));
  const call = calls.length === 1 ? calls[0]! : batchCall(calls.map(({ data }) => data));
  return { actor: steps[0]!.actor, to: addresses[call.contract], data: call.data, steps };
}

/**
 * The step as a contract call: its document stored first (the anchor or amendment records where; a
 * seal track's batch anchors only its root, so where its file is goes in the result), its reads as
 * the call's state.
 */
async function callOf(step: Step, orgs: OrganisationDirectory, store: Storage | undefined): Promise<ContractCall> {
  let action = step.action;
  if (store !== undefined && step.document !== undefined) {
    const cid = await store.sink.put(step.actor.org, step.document.bytes, step.document.readers);
    if (action.type === "anchor" || action.type === "supersede") action = { ...action, cid };
    else if (action.type === "anchorBatch") store.tracks.push({ root: action.root, cid, count: action.count });
  }
  const context: CallContext = { orgs, lot: (id) => step.reads.lots.find((lot) => lot.id === id), norm: () => step.reads.norm };
  return encodeAction(step.actor, action, context);
}

async function requireTimeBefore(rpc: Rpc, start: bigint): Promise<void> {
  const head = await rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  if (BigInt(head.timestamp) >= start) {
    throw new Error(
      `the chain's head is at ${ledgerTimeIso(BigInt(head.timestamp))}, not before the scenario's start ${ledgerTimeIso(start)}: ledger time cannot go back; start the scenario later`,
    );
  }
}
