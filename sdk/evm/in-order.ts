/**
 * Runs tasks in submission order per key, concurrently across keys. Custody calls carry the current
 * state of the lots they touch, so an action on a lot must be encoded only after the previous action on
 * that lot has been mined and its event followed; actions on other lots go on meanwhile.
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
