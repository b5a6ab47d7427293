/**
 * Ledger text (a reason, a remark, a seal's detail) inside an explanation the node writes. Its bidi
 * controls are written out ("[RLO]"), so that the text cannot reorder the sentence around it wherever
 * the explanation is shown: an API client, or a CSV export opened in a spreadsheet. The audit pages
 * write ledger text out the same way (`visibleControls` in `api/web/js/dom.js`).
 */
const BIDI_CONTROLS: ReadonlyMap<string, string> = new Map([
  ["\u202a", "LRE"],
  ["\u202b", "RLE"],
  ["\u202c", "PDF"],
  ["\u202d", "LRO"],
  ["\u202e", "RLO"],
  ["\u2066", "LRI"],
  ["\u2067", "RLI"],
  ["\u2068", "FSI"],
  ["\u2069", "PDI"],
]);

export const writtenOut = (text: string) => text.replace(/[\u202a-\u202e\u2066-\u2069]/g, (control) => `[${BIDI_CONTROLS.get(control)}]`);

/** Ledger text in quotes, its bidi controls written out. */
export const quotedLedgerText = (text: string) => `"${writtenOut(text)}"`;
