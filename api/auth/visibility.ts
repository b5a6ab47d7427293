/**
 * What one viewer may see of records that need the store to decide: a document (issued by its
 * organisation, or about a lot it may see), an event (performed or issued by its organisation, or a
 * custody event of a lot it may see), and of each event, only what the per-lot rule allows
 * (`shownEvents`: the one place events are cut down, before any field, EPCIS mapping or subscription
 * filter reads them). Lots need only their own row (Viewer.canSeeLot).
 */
import type { CustodyEvent } from "../../domain/index.js";
import type { Verdict } from "../../sdk/anchoring/verdict.js";
import type { AnchoredDocument } from "../../sdk/ledger.js";
import type { Loaders } from "../loaders.js";
import type { EventRecord } from "../read/events.js";
import { verdictWithheld } from "./disclosure.js";
import type { Viewer } from "./viewer.js";

export class Visibility {
  /** The records shownEvents handed out: the only ones the Event type will resolve. */
  private readonly shown = new WeakSet<EventRecord>();
  private readonly verdicts = new WeakMap<Verdict, Promise<Verdict>>();

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

  /** Decided on an event as shownEvents left it: its own action, or a lot of it the viewer may see. */
  async canSeeEvent(record: EventRecord): Promise<boolean> {
    if (this.viewer.isAuditor || record.actor === this.viewer.org) return true;
    return record.event.type === "custody" && this.anyLotVisible(record.event.transitions.map(({ lot }) => lot.id));
  }

  /** The lots a document names, as the viewer may see them: all for customs and for its issuer (who named them), otherwise those it may see. */
  async shownSubjects(document: Pick<AnchoredDocument, "issuer" | "subjects">): Promise<string[]> {
    if (this.viewer.isAuditor || document.issuer === this.viewer.org) return document.subjects;
    const visible = new Set((await this.loaders.lots(document.subjects)).filter((lot) => this.viewer.canSeeLot(lot)).map((lot) => lot.id));
    return document.subjects.filter((id) => visible.has(id));
  }

  /** A verdict whole when the viewer may see its document, otherwise without what names it or its lots (disclosure.ts). */
  disclosed(verdict: Verdict): Promise<Verdict> {
    let disclosed = this.verdicts.get(verdict);
    if (disclosed === undefined) this.verdicts.set(verdict, (disclosed = this.disclose(verdict)));
    return disclosed;
  }

  private async disclose(verdict: Verdict): Promise<Verdict> {
    const anchor = verdict.anchor;
    // A batch member's anchor names no lots, and its CID comes from the proof file the caller presented.
    if (anchor === undefined || anchor.batch !== undefined) return verdict;
    const document = await this.loaders.document.load(verdict.hash);
    return document !== undefined && (await this.canSeeDocument(document)) ? verdict : verdictWithheld(verdict);
  }

  wasShown(record: EventRecord): boolean {
    return this.shown.has(record);
  }

  /**
   * The events as this viewer may see them. A custody event keeps the lots (transitions, consumed
   * parts) the viewer may see now and the documents it may see; its norm deviations (figures of the
   * whole action) only when no lot was left out. Other events are shown only to the organisation that
   * issued or registered them (canSeeEvent), which wrote all of them: they are shown whole.
   */
  async shownEvents(records: readonly EventRecord[]): Promise<EventRecord[]> {
    const shown = this.viewer.isAuditor ? [...records] : await this.cutDown(records);
    for (const record of shown) this.shown.add(record);
    return shown;
  }

  private async cutDown(records: readonly EventRecord[]): Promise<EventRecord[]> {
    const custody = records.flatMap((record) => (record.event.type === "custody" ? [record.event] : []));
    const lots = new Set(
      (await this.loaders.lots(custody.flatMap((event) => event.transitions.map(({ lot }) => lot.id))))
        .filter((lot) => this.viewer.canSeeLot(lot))
        .map((lot) => lot.id),
    );
    const hashes = [...new Set(custody.flatMap((event) => event.documents))];
    const known = await this.loaders.documents(hashes);
    const seen = await Promise.all(known.map((document) => this.canSeeDocument(document)));
    const documents = new Set(known.filter((_document, index) => seen[index]).map((document) => document.hash));
    return records.map((record) => (record.event.type === "custody" ? { ...record, event: cutCustody(record.event, lots, documents) } : record));
  }

  private async anyLotVisible(ids: readonly string[]): Promise<boolean> {
    return (await this.loaders.lots(ids)).some((lot) => this.viewer.canSeeLot(lot));
  }
}

function cutCustody(event: CustodyEvent, lots: ReadonlySet<string>, documents: ReadonlySet<string>): CustodyEvent {
  const transitions = event.transitions.filter(({ lot }) => lots.has(lot.id));
  return {
    ...event,
    transitions,
    consumed: event.consumed.filter((part) => lots.has(part.lot)),
    documents: event.documents.filter((hash) => documents.has(hash)),
    deviations: transitions.length === event.transitions.length ? event.deviations : [],
  };
}
