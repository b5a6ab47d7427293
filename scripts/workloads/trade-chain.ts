/**
 * The trade workload on Hardhat's in-process chain: TraceGate deployed, the workload's organisations
 * registered, and each accepted action sent as its own transaction (automine: one block each, at the
 * action's ledger time). The domain ledger decides first, so every transaction succeeds.
 */
import { toQuantity } from "ethers";
import type { LedgerEvent, Lot, Norm } from "../../domain/index.js";
import { providerBatchRpc, type BatchRpc } from "../../sdk/evm/batch-rpc.js";
import type { TraceGateAddresses } from "../../indexer/sources/evm/evm-source.js";
import { encodeAction, type CallContext } from "../../sdk/evm/codec.js";
import { EvmChain } from "../harness/evm-chain.js";
import { TimedEvmLedger } from "../harness/timed-evm-ledger.js";
import { FLOW_FACILITIES, FLOW_ORGANISATIONS, TradeFlows, type Step } from "./trade-flows.js";

/** Enough for the workload's largest transaction (a transform of one input into two products). */
const GAS = toQuantity(2_000_000);

export interface ChainSnapshot {
  id: string;
  lots: ReadonlyMap<string, Lot>;
  norms: ReadonlyMap<string, Norm>;
  lastTime: bigint;
}

export class TradeChain {
  private lots = new Map<string, Lot>();
  private norms = new Map<string, Norm>();
  private readonly context: CallContext;
  private lastTime = 0n;

  private constructor(
    readonly chain: EvmChain,
    private readonly ledger: TimedEvmLedger,
  ) {
    this.context = { orgs: ledger.orgs, lot: (id) => this.lots.get(id), norm: (owner, product) => this.norms.get(`${owner}/${product}`) };
  }

  static async start(): Promise<TradeChain> {
    const chain = await EvmChain.start();
    const ledger = new TimedEvmLedger(chain);
    await ledger.register(FLOW_ORGANISATIONS, FLOW_FACILITIES);
    return new TradeChain(chain, ledger);
  }

  get rpc(): BatchRpc {
    return providerBatchRpc(this.chain.connection.provider);
  }

  get addresses(): TraceGateAddresses {
    return { registry: this.chain.address("TraceGateRegistry"), custody: this.chain.address("CustodyRegistry") };
  }

  /** Sends the steps' actions, one block each, at their ledger time (or a second after the last block). */
  async send(steps: readonly Step[]): Promise<void> {
    for (const { actor, action, event } of steps) {
      const call = encodeAction(actor, action, this.context);
      this.follow(event);
      this.lastTime = event.time > this.lastTime ? event.time : this.lastTime + 1n;
      await this.request("evm_setNextBlockTimestamp", [toQuantity(this.lastTime)]);
      await this.request("eth_sendTransaction", [{ from: this.ledger.accountOf(actor), to: this.chain.address(call.contract), data: call.data, gas: GAS }]);
    }
  }

  async head(): Promise<bigint> {
    return BigInt(await this.request<string>("eth_blockNumber"));
  }

  /** The chain as it is now (evm_snapshot), with what this follows of it. */
  async snapshot(): Promise<ChainSnapshot> {
    return { id: await this.request<string>("evm_snapshot"), lots: new Map(this.lots), norms: new Map(this.norms), lastTime: this.lastTime };
  }

  /** Back to `snapshot` (evm_revert), which is used up. */
  async revert(snapshot: ChainSnapshot): Promise<void> {
    if (!(await this.request<boolean>("evm_revert", [snapshot.id]))) throw new Error(`no snapshot ${snapshot.id}`);
    this.lots = new Map(snapshot.lots);
    this.norms = new Map(snapshot.norms);
    this.lastTime = snapshot.lastTime;
  }

  stop(): Promise<void> {
    return this.chain.stop();
  }

  private follow(event: LedgerEvent): void {
    if (event.type === "custody") for (const { lot } of event.transitions) this.lots.set(lot.id, lot);
    if (event.type === "normRegistered") this.norms.set(`${event.norm.owner}/${event.norm.product}`, event.norm);
  }

  private request<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return this.chain.connection.provider.request({ method, params }) as Promise<T>;
  }
}

/** Ledger time of the workload's first block. */
export const WORKLOAD_START = 1_800_000_000n;
/** Ledger time between workload steps: ten minutes, so a few thousand steps span weeks of day buckets. */
export const STEP_SECONDS = 600n;

/** A chain with the workload's setup and then at least `actions` of its steps, sent in order. */
export async function tradeChainWith(
  actions: number,
  seed: number,
  progress?: (sent: number) => void,
): Promise<{ chain: TradeChain; flows: TradeFlows; time: bigint }> {
  const chain = await TradeChain.start();
  const flows = new TradeFlows(seed);
  let time = WORKLOAD_START;
  await chain.send(await flows.setUp(time));
  for (let sent = 0; sent < actions; ) {
    time += STEP_SECONDS;
    const steps = await flows.step(time);
    await chain.send(steps);
    sent += steps.length;
    if (sent % 10_000 < steps.length) progress?.(sent);
  }
  return { chain, flows, time };
}
