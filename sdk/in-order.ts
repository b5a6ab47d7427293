/**
 * Runs tasks in submission order per key, concurrently across keys. An action on a lot must be sent
 * only after the previous action on that lot is final: EVM custody calls carry the lot's current state,
 * and a Fabric proposal is endorsed against the current world state. Actions on other lots go on meanwhile.
 */
export class InOrder {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const previous = keys.flatMap((key) => this.tails.get(key) ?? []);
    const result = Promise.allSettled(previous).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    for (const key of keys) this.tails.set(key, tail);
    void tail.then(() => {
      for (const key of keys) if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
