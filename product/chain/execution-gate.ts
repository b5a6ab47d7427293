/**
 * The order in which code runs on the embedded chain. Its EVM runs one request at a time, in the order
 * they come, and a call may loop until it runs out of gas (about a second at the transaction gas cap),
 * so reads that execute code (eth_call, eth_estimateGas) from callers without the control token could
 * keep the node's own writes waiting behind as many of them as they send at once. Here they enter the
 * EVM one at a time, and only when the node's own requests are done (or have kept one waiting
 * MAX_DEFER_MS): a request of the node's own waits for at most the one public call running, however
 * many are sent; public callers take turns call by call, so one large batch does not shut out the others.
 */
import type { Eip1193Provider } from "../../sdk/evm/rpc.js";

/** The methods of the public surface that run contract code without a fee: what the gate orders. */
export const EXECUTING_METHODS: ReadonlySet<string> = new Set(["eth_call", "eth_estimateGas"]);

/** How long a public call waits for the node's own requests before it runs anyway, so that it is not put off for good. */
export const MAX_DEFER_MS = 2_000;

export class ExecutionGate {
  /** The last public call let in, settled or not: the next starts after it. */
  private last: Promise<unknown> = Promise.resolve();
  private ownInFlight = 0;
  /** Public calls waiting for the node's own requests to be done. */
  private readonly waiting = new Set<() => void>();

  constructor(private readonly maxDeferMs = MAX_DEFER_MS) {}

  /** `provider` as the node's own: while one of its requests is in flight, public calls wait. */
  foreground(provider: Eip1193Provider): Eip1193Provider {
    return {
      request: async (request) => {
        this.ownInFlight += 1;
        try {
          return await provider.request(request);
        } finally {
          this.ownInFlight -= 1;
          if (this.ownInFlight === 0) for (const wake of this.waiting) wake();
        }
      },
    };
  }

  /** Runs `call`, a public caller's executing call, after those let in before it, once the node's own requests allow. */
  run<T>(call: () => Promise<T>): Promise<T> {
    const turn = this.last.then(() => this.ownDone()).then(call);
    this.last = turn.catch(() => undefined);
    return turn;
  }

  private ownDone(): Promise<void> {
    if (this.ownInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.maxDeferMs);
      this.waiting.add(wake);
    });
  }
}
