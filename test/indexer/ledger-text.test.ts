/**
 * Ledger text inside the explanations the node writes: every bidi control written out by name, so none
 * is left to reorder the sentence; any other text (right-to-left letters too) kept as it was.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quotedLedgerText, writtenOut } from "../../indexer/findings/ledger-text.js";

const CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

describe("ledger text in explanations", () => {
  it("writes out each bidi control by name and keeps everything else", () => {
    expect(writtenOut("a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j")).toBe("a[LRE]b[RLE]c[PDF]d[LRO]e[RLO]f[LRI]g[RLI]h[FSI]i[PDI]j");
    expect(writtenOut("فحص روتيني 12")).toBe("فحص روتيني 12");
    expect(quotedLedgerText("seal \u202ecut")).toBe('"seal [RLO]cut"');
  });

  it("leaves no bidi control in any text, and changes text without one not at all", () => {
    const control = fc.constantFrom(..."\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069");
    const text = fc.array(fc.oneof(control, fc.string({ unit: "binary", maxLength: 3 }))).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (value) => {
        const written = writtenOut(value);
        expect(written).not.toMatch(CONTROLS);
        if (!CONTROLS.test(value)) expect(written).toBe(value);
      }),
    );
  });
});
