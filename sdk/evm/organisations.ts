import type { Id } from "../../domain/index.js";

/**
 * Organisation ids and the numbers the registry gave them. Contracts refer to organisations by number
 * (lot owner and custodian, document issuer, event actor); `OrganisationRegistered` events fill this.
 */
export class OrganisationDirectory {
  private readonly numbers = new Map<Id, number>();
  private readonly ids = new Map<number, Id>();

  add(id: Id, index: number): void {
    this.numbers.set(id, index);
    this.ids.set(index, id);
  }

  /** Every organisation and its number, in the order they were added. */
  entries(): Array<[Id, number]> {
    return [...this.numbers];
  }

  /** The organisation's number, or 0 (the contracts' "none") when it is not registered. */
  indexOf(id: Id): number {
    return this.numbers.get(id) ?? 0;
  }

  /** The id of organisation number `index`, which must be registered. */
  idOf(index: bigint | number): Id {
    const id = this.ids.get(Number(index));
    if (id === undefined) throw new RangeError(`no organisation number ${index} is known`);
    return id;
  }
}
