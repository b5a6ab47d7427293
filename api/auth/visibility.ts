/**
 * What one viewer may see of records that need the store to decide: a document (issued by its
 * organisation, or about a lot it may see) and an event (performed or issued by its organisation, or
 * a custody event of a lot it may see). Lots need only their own row (Viewer.canSeeLot).
 */
import type { AnchoredDocument } from "../../sdk/ledger.js";
import type { Loaders } from "../loaders.js";
import type { EventRecord } from "../read/events.js";
import type { Viewer } from "./viewer.js";

export class Visibility {
  constructor(
    readonly viewer: Viewer,
    private readonly loaders: Loaders,
  ) {}

  async canSeeLotId(id: string): Promise<boolean> {
    const lot = await this.loaders.lot.load(id);
    return lot !== undefined && this.viewer.canSeeLot(lot);
  }

  async canSeeDocument(document: Pick<AnchoredDocument, "hash" | "issuer">): Promise<boolean> {
    if (this.viewer.isAuditor || document.issuer === this.viewer.org) return true;
    return this.anyLotVisible((await this.loaders.documentLots.load(document.hash)) ?? []);
  }

  async canSeeEvent(record: EventRecord): Promise<boolean> {
    if (this.viewer.isAuditor || record.actor === this.viewer.org) return true;
    return record.event.type === "custody" && this.anyLotVisible(record.event.transitions.map(({ lot }) => lot.id));
  }

  private async anyLotVisible(ids: readonly string[]): Promise<boolean> {
    return (await this.loaders.lots(ids)).some((lot) => this.viewer.canSeeLot(lot));
  }
}
