/**
 * The fast CBV 2.0 event hash gives byte for byte the hash of the path it replaced (test/epcis/oracle,
 * a frozen copy): for custody events the domain writes (every action), for arbitrary custody events
 * (odd ids, times at the ends of the range, huge quantities, any directory), and for arbitrary EPCIS
 * events a client captures (identifiers, CBV terms and times in every form the rules know), where a
 * refused event is refused alike.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CUSTODY_ACTIONS,
  DIRECTIONS,
  DOCUMENT_KINDS,
  LOT_STATES,
  TraceGateError,
  type CustodyEvent,
  type DocumentKind,
  type Hash,
  type LedgerEvent,
  type Lot,
} from "../../domain/index.js";
import { custodyEventHash, epcisDirectory, eventHash, preHashString, toEpcis, type EpcisDirectory } from "../../sdk/epcis/index.js";
import { DomainLedger } from "../conformance/domain-ledger.js";
import { scriptArb, ScriptContext } from "../differential/generator.js";
import { START_TIME, setUpWorld } from "../differential/setup.js";
import { eventHash as oracleEventHash, preHashString as oraclePreHashString } from "./oracle/event-hash.js";
import { toEpcis as oracleToEpcis } from "./oracle/to-epcis.js";

const directories: EpcisDirectory[] = [
  epcisDirectory(),
  epcisDirectory({
    defaultOffset: "-09:30",
    facilities: { "GATE-HUUNGHI": { gln: "8931234000011" }, "BONDED-WH": { gln: "8931234000028", utcOffset: "+14:00" }, "FACTORY-G": { utcOffset: "-12:00" } },
    organisations: { TERMINAL: { gln: "8935555000019" } },
  }),
];

type Record_ = { tx: string; index: number; block: bigint };

/** Both hashes of one custody event, with the same context: the fast one, toEpcis's eventID, and the oracle's. */
function expectSameHash(event: CustodyEvent, directory: EpcisDirectory, kindOf: (hash: Hash) => DocumentKind | undefined, record?: Record_) {
  const context = { directory, kindOf, ...(record === undefined ? {} : { record }) };
  const expected = oracleToEpcis(event, context);
  expect(JSON.stringify(toEpcis(event, context))).toBe(JSON.stringify(expected)); // the same fields in the same order
  expect(custodyEventHash(event, context)).toBe(expected.eventID);
}

describe("the CBV 2.0 event hash", () => {
  it("of every custody event the domain accepts is the oracle's, in any directory, with or without its record", async () => {
    const actions = new Set<string>();
    await fc.assert(
      fc.asyncProperty(scriptArb(40), fc.nat(1), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), async (script, which, block) => {
        const ledger = new DomainLedger();
        await setUpWorld(ledger);
        const context = new ScriptContext(ledger);
        const kinds = new Map<string, DocumentKind>();
        for (const [index, choice] of script.entries()) {
          const { actor, action } = context.concretize(choice);
          let event: LedgerEvent;
          try {
            event = await ledger.submit(actor, action, START_TIME + BigInt(index) * 10n);
          } catch (error) {
            if (error instanceof TraceGateError) continue;
            throw error;
          }
          if (event.type === "documentAnchored") kinds.set(event.document.hash, event.document.kind);
          if (event.type !== "custody") continue;
          actions.add(event.action);
          expectSameHash(event, directories[which]!, (hash) => kinds.get(hash), { tx: `0x${index.toString(16).padStart(64, "0")}`, index, block });
          expectSameHash(event, directories[1 - which]!, () => undefined);
        }
      }),
      { numRuns: 60 },
    );
    expect([...actions].sort()).toEqual([...CUSTODY_ACTIONS].sort());
  });

  const text = fc.oneof(
    fc.constantFrom("", " x ", "GATE-HUUNGHI", "BONDED-WH", "TERMINAL", "a:b", "tg:x", "100%"),
    fc.string({ unit: "grapheme", maxLength: 8 }),
  );
  const quantity = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 60n }), fc.constantFrom(2n ** 53n - 1n, 2n ** 53n, 2n ** 256n - 1n));
  const time = fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.bigInt({ min: -62_200_000_000n, max: 253_500_000_000n }), // around years 0000 and 9999
    fc.bigInt({ min: 8_640_000_000_000n - 200_000n, max: 8_640_000_000_000n + 200_000n }).map((s) => (s % 2n === 0n ? s : -s)), // the ends of a JavaScript Date
  );
  const lot: fc.Arbitrary<Lot> = fc.record({
    id: text,
    material: text,
    hsCode: text,
    unit: text,
    quantity,
    owner: text,
    custodian: text,
    location: text,
    state: fc.constantFrom(...LOT_STATES),
    priorState: fc.constantFrom(...LOT_STATES),
    direction: fc.constantFrom(...DIRECTIONS),
    preferenceClaimed: fc.boolean(),
    permitRequired: fc.boolean(),
    declaration: fc.constant(null),
  });
  const hash = fc.constantFrom(...["01", "02", "03"].map((n) => `0x${n.repeat(32)}` as Hash));
  const custodyEvent: fc.Arbitrary<CustodyEvent> = fc.record({
    type: fc.constant("custody" as const),
    action: fc.constantFrom(...CUSTODY_ACTIONS),
    actor: text,
    facility: text,
    documents: fc.array(hash, { maxLength: 3 }),
    reason: text,
    deviations: fc.array(fc.record({ material: text, expected: quantity, consumed: quantity }), { maxLength: 3 }),
    flagged: fc.boolean(),
    consumed: fc.array(fc.record({ lot: text, quantity }), { maxLength: 3 }),
    transitions: fc.array(fc.record({ from: fc.constantFrom(...LOT_STATES), lot }), { maxLength: 4 }),
    time,
  });

  it("of any custody event is the oracle's (odd ids, any time, any quantity, any directory)", () => {
    fc.assert(
      fc.property(
        custodyEvent,
        fc.nat(1),
        fc.option(fc.record({ tx: text, index: fc.nat(), block: fc.bigInt({ min: 0n, max: 2n ** 64n }) }), { nil: undefined }),
        fc.func(fc.option(fc.constantFrom(...DOCUMENT_KINDS), { nil: undefined })),
        (event, which, record, kindOf) => expectSameHash(event, directories[which]!, kindOf, record),
      ),
      { numRuns: 2000 },
    );
  });

  const identifier = fc.oneof(
    text,
    fc.constantFrom(
      "urn:tracegate:lot:A",
      "urn:epc:id:sgln:8931234.00001.0",
      "urn:epc:id:sgln:8931234.00001.7",
      "urn:epc:id:sgtin:0614141.107346.2017",
      "urn:epc:class:lgtin:4012345.012345.998877",
      "urn:epcx",
      "urn:",
      "https://example.com/01/09506000134352/10/ABC?x=1#f",
      "http://id.gs1.org/414/8931234000011",
      "https://example.com/nothing",
      "tg:thing",
      "gs1:x",
      "cbv:Disp-active",
      "epcis:y",
      ":x",
    ),
    fc.tuple(fc.constantFrom("urn:", "urn:epc:id:", "urn:epc:idpat:", "https://a.b/", "tg:", "cbv:", "x:"), text).map(([a, b]) => a + b),
  );
  const term = fc.oneof(
    identifier,
    fc.constantFrom(
      "arriving",
      "in_progress",
      "cert",
      "possessing_party",
      "tg:held",
      "urn:epcglobal:cbv:bizstep:shipping",
      "urn:epcglobal:cbv:disp:x",
      "Arriving",
    ),
  );
  const isoTime = fc
    .tuple(
      fc.oneof(
        fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, "0")),
        fc.integer({ min: -999999, max: 999999 }).map((y) => (y < 0 ? "-" : "+") + String(Math.abs(y)).padStart(6, "0")),
      ),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.option(fc.stringMatching(/^\d{1,7}$/), { nil: undefined }),
      fc.oneof(
        fc.constant("Z"),
        fc.tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([s, h, m]) => `${s}${two(h)}:${two(m)}`),
      ),
    )
    .map(([y, mo, d, h, mi, s, f, z]) => `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${f === undefined ? "" : `.${f}`}${z}`);
  const scalar = fc.oneof(text, fc.double(), fc.boolean(), fc.constant(null));
  const extension = fc.dictionary(
    fc.constantFrom("tg:a", "tg:b", "gs1:c", "x:d", "e", "cbv:f"),
    fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.dictionary(fc.constantFrom("tg:x", "y"), scalar, { maxKeys: 2 })),
    { maxKeys: 3 },
  );
  const quantities = fc.array(fc.record({ epcClass: identifier, quantity: fc.oneof(fc.nat(), fc.double(), text), uom: text }, { requiredKeys: ["epcClass"] }), {
    maxLength: 3,
  });
  const typed = (key: string) => fc.array(fc.record({ [key]: identifier, type: term }, { requiredKeys: [key] }), { maxLength: 3 });
  const epcisEvent = fc.record(
    {
      type: fc.constantFrom("ObjectEvent", " TransformationEvent ", "AggregationEvent"),
      eventID: text,
      eventTime: fc.oneof({ arbitrary: isoTime, weight: 5 }, { arbitrary: text, weight: 1 }),
      eventTimeZoneOffset: fc.constantFrom("+07:00", "-03:30"),
      epcList: fc.array(identifier, { maxLength: 3 }),
      parentID: identifier,
      childEPCs: fc.array(identifier, { maxLength: 2 }),
      quantityList: quantities,
      inputQuantityList: quantities,
      outputQuantityList: quantities,
      action: fc.constantFrom("ADD", "OBSERVE", "DELETE"),
      transformationID: identifier,
      bizStep: term,
      disposition: term,
      persistentDisposition: fc.record({ set: fc.array(term, { maxLength: 2 }), unset: fc.array(term, { maxLength: 2 }) }, { requiredKeys: [] }),
      readPoint: fc.record({ id: identifier }),
      bizLocation: fc.record({ id: identifier }),
      bizTransactionList: typed("bizTransaction"),
      sourceList: typed("source"),
      destinationList: typed("destination"),
      ilmd: extension,
      recordTime: text,
    },
    { requiredKeys: ["type"] },
  );

  it("of any captured EPCIS event is the oracle's, and an event the oracle refuses is refused alike", () => {
    const outcome = (hash: (event: Record<string, unknown>) => string, event: Record<string, unknown>) => {
      try {
        return hash(event);
      } catch (error) {
        return (error as { code?: string }).code ?? String(error);
      }
    };
    fc.assert(
      fc.property(epcisEvent, extension, (event, extensions) => {
        const whole = { ...extensions, ...event };
        expect(outcome(preHashString, whole)).toBe(outcome(oraclePreHashString, whole));
        expect(outcome(eventHash, whole)).toBe(outcome(oracleEventHash, whole));
      }),
      { numRuns: 3000 },
    );
  });
});

function two(n: number): string {
  return String(n).padStart(2, "0");
}
