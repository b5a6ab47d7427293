/**
 * Lots and norms as the custody contract needs them sent back: CustodyRegistry stores only
 * `keccak256(abi.encode(lot))` (and the registry a norm's hash), and the full states are in its events.
 * States this process saw in its own events are kept; any other is loaded from the logs. Either way it
 * is returned only when it hashes to what the chain stores now.
 */
import { toBeHex, ZeroHash, zeroPadValue } from "ethers";
import type { Id, LedgerEvent, Lot, Norm } from "../../domain/index.js";
import { LedgerUnavailableError } from "../ledger.js";
import type { ChainReader } from "./chain-reads.js";
import { decodeLedgerEvent } from "./events.js";
import { encodeId } from "./ids.js";
import type { OrganisationDirectory } from "./organisations.js";
import { LotHashReads } from "./lot-hash-reads.js";
import { lotHash, normHash } from "./structs.js";

/** Log decoding needs a time; the states read here do not depend on it. */
const NO_TIME = 0n;

export class FollowedState {
  private readonly lots = new Map<Id, Lot>();
  private readonly norms = new Map<string, Norm>();
  private readonly hashes: LotHashReads;

  constructor(
    private readonly reader: ChainReader,
    private readonly orgs: OrganisationDirectory,
  ) {
    this.hashes = new LotHashReads(reader);
  }

  /** Keeps the states an accepted action wrote. */
  remember(event: LedgerEvent): void {
    if (event.type === "custody") for (const { lot } of event.transitions) this.lots.set(lot.id, lot);
    if (event.type === "normRegistered") this.norms.set(normKey(event.norm.owner, event.norm.product), event.norm);
  }

  /** The lot as this process last saw it, unchecked (undefined when it has not seen it, or forgot it). */
  known(id: Id): Lot | undefined {
    return this.lots.get(id);
  }

  async lot(id: Id): Promise<Lot | undefined> {
    const stored = await this.hashes.read(id);
    if (stored === ZeroHash) return undefined;
    const known = this.lots.get(id);
    if (known !== undefined && lotHash(known, this.orgs) === stored) return known;
    const loaded = await this.loadLot(id);
    if (loaded === undefined || lotHash(loaded, this.orgs) !== stored) {
      throw new LedgerUnavailableError(`lot ${id}: no event on the chain gives the state it stores (${stored})`);
    }
    this.lots.set(id, loaded);
    return loaded;
  }

  async norm(owner: Id, product: Id): Promise<Norm | undefined> {
    const index = this.orgs.indexOf(owner);
    if (index === 0) return undefined;
    const [stored] = await this.reader.call("TraceGateRegistry", "normHash", [index, encodeId(product)]);
    if (stored === ZeroHash) return undefined;
    const key = normKey(owner, product);
    const known = this.norms.get(key);
    if (known !== undefined && normHash(known, this.orgs) === stored) return known;
    const logs = await this.reader.logs("TraceGateRegistry", "NormRegistered", [zeroPadValue(toBeHex(index), 32), encodeId(product)]);
    const event = logs.length === 0 ? undefined : decodeLedgerEvent(logs.at(-1)!, NO_TIME, this.orgs);
    if (event?.type !== "normRegistered" || normHash(event.norm, this.orgs) !== stored) {
      throw new LedgerUnavailableError(`norm of ${owner} for ${product}: no event on the chain gives the hash it stores (${stored})`);
    }
    this.norms.set(key, event.norm);
    return event.norm;
  }

  /** Forgets what this process believed of these lots (another writer changed them). */
  forget(ids: readonly Id[]): void {
    for (const id of ids) this.lots.delete(id);
  }

  /**
   * The lot's latest state in the events: its last CustodyRecorded (indexed by lot), or a later
   * LineageRecorded naming it among its transitions (only a lineage event's first lot is indexed).
   */
  private async loadLot(id: Id): Promise<Lot | undefined> {
    const custody = await this.reader.logs("CustodyRegistry", "CustodyRecorded", [encodeId(id)]);
    const last = custody.at(-1);
    let lot = last === undefined ? undefined : transitionOf(decodeLedgerEvent(last, NO_TIME, this.orgs), id);
    const since = last === undefined ? this.reader.fromBlock : BigInt(last.blockNumber);
    for (const log of await this.reader.logs("CustodyRegistry", "LineageRecorded", [], since)) {
      if (last !== undefined && BigInt(log.blockNumber) === since && BigInt(log.logIndex) < BigInt(last.logIndex)) continue;
      lot = transitionOf(decodeLedgerEvent(log, NO_TIME, this.orgs), id) ?? lot;
    }
    return lot;
  }
}

function transitionOf(event: LedgerEvent | undefined, id: Id): Lot | undefined {
  return event?.type === "custody" ? event.transitions.find(({ lot }) => lot.id === id)?.lot : undefined;
}

function normKey(owner: Id, product: Id): string {
  return `${owner}/${product}`;
}
