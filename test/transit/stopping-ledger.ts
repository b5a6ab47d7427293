import type { Ledger } from "../../sdk/ledger.js";

/**
 * The ledger as a node sees it that stops right after `method` was accepted: that call's answer is
 * lost (it throws, though the ledger has its transaction), and every call after it fails — a crash
 * between sending and recording.
 */
export function stoppingAfter(ledger: Ledger, method: "submit" | "submitBatch"): Ledger {
  let stopped = false;
  return new Proxy(ledger, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        if (stopped) throw new Error("the node stopped");
        const result = await value.apply(target, args);
        if (name === method) {
          stopped = true;
          throw new Error("the node stopped");
        }
        return result;
      };
    },
  });
}
