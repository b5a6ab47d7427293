/**
 * What capture takes in (api/capture/intake.ts), on the path every capture goes through (POST
 * /epcis/events and /epcis/capture alike): an eventID is a URI of printable ASCII, and a content hash
 * (`ni:`) only when it is the event's own; eventTime and eventTimeZoneOffset are checked whether or not
 * the event has an id; a quantity is whole as written, not once JSON.parse has rounded it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Actor } from "../../domain/index.js";
import { eventHash, epcisDirectory } from "../../sdk/epcis/index.js";
import { parseCaptureJson, wholeLiteral } from "../../sdk/epcis/from-epcis.js";
import { eventIdOf, intakeEvent } from "../../api/capture/intake.js";
import { epcis } from "./capture-product.js";

const AN_PHAT: Actor = { org: "AN-PHAT", role: "OPERATOR" };
const DECLARATION = `0x${"ab".repeat(32)}` as const;
const directory = epcisDirectory();
const take = (raw: unknown) => intakeEvent(raw, AN_PHAT, directory);
const declare = (eventID?: string) => epcis.declare("LOT-1", 1000n, DECLARATION, eventID);

describe("a client's eventID", () => {
  it("of the CBV 2.0 hash form is taken only when it is the event's own hash", () => {
    const event = declare();
    const own = eventHash(event);
    expect(take({ ...event, eventID: own })).toMatchObject({ eventId: own, action: { type: "declare", lot: "LOT-1" } });
    // The same event without an id gets the same id: sending its own hash is sending none.
    expect(take(event)).toMatchObject({ eventId: own });

    // Another event's hash (a customs arrival the client read): refused, naming the event's own.
    const other = eventHash(epcis.at("arriving", "PTE25I000001", "VNSGN-CATLAI"));
    const refused = take({ ...event, eventID: other });
    expect(refused).toEqual({
      eventId: other,
      refused: { code: "MALFORMED_EVENT", reason: expect.stringContaining(`is a content hash but not this event's: its CBV 2.0 event hash is ${own}`) },
    });
    expect("action" in refused).toBe(false);
    // Any other content id, in any case, or a hash of the event as changed after it was computed.
    for (const id of [own.toUpperCase(), own.replace("?ver=CBV2.0", ""), "ni:///sha-256;abc?ver=CBV2.0", "NI:///sha-256;x", "ni:x"])
      expect(take({ ...event, eventID: id })).toMatchObject({ eventId: id, refused: { code: "MALFORMED_EVENT" } });
    expect(take({ ...declare(), quantityList: [{ epcClass: "urn:tracegate:lot:LOT-1", quantity: "999", uom: "KGM" }], eventID: own })).toMatchObject({
      refused: { code: "MALFORMED_EVENT" },
    });
  });

  it("is 1 to 512 printable ASCII characters, no space or control character (an eventID is a URI)", () => {
    for (const id of ["urn:uuid:6d1e0c6e-1f2a-4c55-9d6e-0a1b2c3d4e5f", "x", "https://example.com/events/1?a=b#c", "!".repeat(512)])
      expect(take(declare(id))).toMatchObject({ eventId: id, action: { type: "declare" } });
    const forged = "line1\nrefused event 0 (x): FORGED\u0007";
    for (const id of [forged, "has space", "tab\there", "cr\r", "nel\u0085", "bidi\u202e", "é", "", "x".repeat(513)])
      expect(take(declare(id))).toEqual({
        eventId: "(invalid eventID)",
        refused: { code: "MALFORMED_EVENT", reason: expect.stringContaining("printable ASCII") },
      });
    for (const id of [42, null, { id: "x" }]) expect(eventIdOf({ ...declare(), eventID: id })).toMatchObject({ fallback: "(invalid eventID)" });
  });

  it("any string with a character outside printable ASCII is refused, and any other is taken as it is", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: "binary" }), fc.nat(40), (text, at) => {
        const id = /^ni:/i.test(text) ? `x${text}` : text;
        expect(eventIdOf(declare(id))).toEqual(/^[\x21-\x7e]+$/.test(id) ? id : expect.objectContaining({ fallback: "(invalid eventID)" }));
        const withControl = `${id.slice(0, at)}${String.fromCharCode(at % 33 === 32 ? 0x7f : at % 33)}${id.slice(at)}`;
        expect(eventIdOf(declare(withControl))).toMatchObject({ fallback: "(invalid eventID)" });
      }),
    );
  });
});

describe("an event's time on capture", () => {
  it("is checked with or without an eventID", () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ eventTime: undefined }, /^eventTime: is missing$/],
      [{ eventTime: "yesterday" }, /not an ISO 8601 time with an offset/],
      [{ eventTime: 12345 }, /must be a string|not an ISO 8601 time with an offset/],
      [{ eventTime: "2026-13-45T99:99:99Z" }, /not an ISO 8601 time with an offset/],
      [{ eventTimeZoneOffset: "+25:00" }, /not a UTC offset/],
      [{ eventTimeZoneOffset: undefined }, /^eventTimeZoneOffset: is missing$/],
    ];
    for (const [fields, reason] of bad) {
      for (const eventID of ["urn:uuid:with-an-id", undefined]) {
        const event = { ...declare(eventID), ...fields };
        expect([fields, eventID, take(event)]).toEqual([
          fields,
          eventID,
          expect.objectContaining({ refused: { code: "MALFORMED_EVENT", reason: expect.stringMatching(reason) } }),
        ]);
      }
    }
  });
});

describe("a quantity written as a JSON number", () => {
  const captured = (literal: string) => take(parseCaptureJson(JSON.stringify(declare("urn:uuid:q")).replace('"quantity":"1000"', `"quantity":${literal}`)));

  it("is taken when its literal is the whole number, however written", () => {
    for (const [literal, quantity] of [
      ["1000", 1000n],
      ["1000.000", 1000n],
      ["1e3", 1000n],
      ["1.5e1", 15n],
      ["9007199254740991", 9007199254740991n],
    ] as const)
      expect(captured(literal)).toMatchObject({ action: { goods: { quantity } } });
  });

  it("is refused when JSON.parse would have rounded a fraction away", () => {
    for (const literal of ["4503599627370496.5", "1.0000000000000001", "999999999999999.99999", "15e-1", "1.5", "1e-400"]) {
      expect(captured(literal)).toEqual({
        eventId: "urn:uuid:q",
        refused: { code: "MALFORMED_EVENT", reason: expect.stringMatching(/^quantityList\.0\.quantity: .* is not a whole quantity$/) },
      });
    }
    // However the key and the space around the colon are written.
    for (const written of ['"quantit\\u0079":1.0000000000000001', '"quantity" :\n\t1.0000000000000001', '"\\u0071uantity":4503599627370496.5']) {
      const text = JSON.stringify(declare("urn:uuid:q")).replace('"quantity":"1000"', written);
      expect([written, take(parseCaptureJson(text))]).toEqual([
        written,
        expect.objectContaining({ refused: expect.objectContaining({ code: "MALFORMED_EVENT" }) }),
      ]);
    }
    // Elsewhere a number is left as JSON.parse reads it.
    expect(parseCaptureJson('{"value": 1.0000000000000001, "quantity": "1"}')).toEqual({ value: 1, quantity: "1" });
  });

  it("whole as written exactly when its digits after the point, once the exponent moved it, are zeros", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: (1n << 53n) - 1n }),
        fc.stringMatching(/^0{0,5}$/),
        fc.integer({ min: 0, max: 6 }),
        fc.stringMatching(/^\d{0,4}[1-9]$/),
        (n, zeros, shift, fraction) => {
          const digits = n.toString();
          // n itself, with zeros after its point, and with its point moved by an exponent.
          const point = Math.max(1, digits.length - shift);
          for (const literal of [digits, `${digits}.${zeros || "0"}`, `${digits.slice(0, point)}.${digits.slice(point) || "0"}e${digits.length - point}`]) {
            expect([literal, wholeLiteral(literal)]).toEqual([literal, true]);
            expect(captured(literal)).toMatchObject({ action: { goods: { quantity: n } } });
          }
          // With a fraction that is not zero, however small: refused, whatever JSON.parse rounds it to.
          const inexact = `${digits}.${zeros}${fraction}`;
          expect([inexact, wholeLiteral(inexact)]).toEqual([inexact, false]);
          expect(captured(inexact)).toMatchObject({ refused: { code: "MALFORMED_EVENT" } });
        },
      ),
    );
  });
});
