/** What the EPCIS export says about each custody event, and how capture refuses what it cannot map. */
import { beforeAll, describe, expect, it } from "vitest";
import type { CustodyEvent, DocumentKind, Hash } from "../../domain/index.js";
import { actionEvent, EpcisMappingError, epcisDirectory, eventHash, fromEpcis, preHashString, toEpcis } from "../../sdk/epcis/index.js";
import { DomainLedger } from "../conformance/domain-ledger.js";
import { START_TIME, setUpWorld } from "../differential/setup.js";
import { SETUP_DOCUMENTS } from "../differential/world.js";

const hashOf = (name: string) => SETUP_DOCUMENTS.find((doc) => doc.name === name)!.hash;
const kinds = new Map<Hash, DocumentKind>(SETUP_DOCUMENTS.map((doc) => [doc.hash, doc.kind]));
const plain = epcisDirectory();
const withGlns = epcisDirectory({
  facilities: { "GATE-HUUNGHI": { gln: "8931234000011" }, "BONDED-WH": { utcOffset: "+08:00" } },
  organisations: { TERMINAL: { gln: "8935555000019" } },
});
const exported = (event: CustodyEvent, directory = plain, kindOf = (hash: Hash) => kinds.get(hash)) =>
  toEpcis(event, { directory, kindOf }) as Record<string, any>;

// LOT-A (1200 KGM of FABRIC, preference claimed) through the gate, the warehouse, clearance and into a flagged production run.
const events: Record<string, CustodyEvent> = {};
beforeAll(async () => {
  const ledger = new DomainLedger();
  await setUpWorld(ledger);
  const customs = { org: "CUSTOMS", role: "OFFICER" } as const;
  const steps = [
    ["arrive", customs, { type: "arrive", lot: "LOT-A", facility: "GATE-HUUNGHI" }],
    ["store", { org: "TERMINAL", role: "OPERATOR" }, { type: "store", lot: "LOT-A", facility: "BONDED-WH" }],
    ["clear", customs, { type: "clear", lot: "LOT-A", co: hashOf("co-1"), permit: null }],
    ["release", customs, { type: "release", lot: "LOT-A" }],
    ["receive", { org: "GARMENT", role: "OPERATOR" }, { type: "receive", lot: "LOT-A", facility: "FACTORY-G" }],
    [
      "transform",
      { org: "GARMENT", role: "OPERATOR" },
      { type: "transform", product: "SHIRT", inputs: [{ lot: "LOT-A", quantity: 100n }], outputs: [{ lot: "SHIRT-1", quantity: 10n }] },
    ],
    ["hold", customs, { type: "hold", lot: "SHIRT-1", reason: "x" }],
  ] as const;
  for (const [index, [name, actor, action]] of steps.entries()) {
    try {
      events[name] = (await ledger.submit(actor, action as any, START_TIME + BigInt(index) * 3600n)) as CustodyEvent;
    } catch {
      // hold of a PRODUCED lot is refused: the declare below stands in for an event without a facility
    }
  }
  events.declare = ledger.events.find((event): event is CustodyEvent => event.type === "custody" && event.action === "declare")!;
});

describe("EPCIS export", () => {
  it("writes eventTime on the facility's clock with its offset, Vietnam's +07:00 unless the directory says otherwise", () => {
    // START_TIME is 2027-01-15T08:00:00Z.
    expect(exported(events.arrive!)).toMatchObject({ eventTime: "2027-01-15T15:00:00.000+07:00", eventTimeZoneOffset: "+07:00" });
    expect(exported(events.store!, withGlns)).toMatchObject({ eventTime: "2027-01-15T17:00:00.000+08:00", eventTimeZoneOffset: "+08:00" });
    expect(exported(events.declare!)).toMatchObject({ eventTimeZoneOffset: "+07:00" });
    expect(new Date(exported(events.arrive!).eventTime).getTime()).toBe(Number(events.arrive!.time) * 1000);
    // Offsets as eventTimeZoneOffset takes them: ±hh:mm within ±14:00.
    for (const utcOffset of ["+7", "+14:59", "-14:30", "+07:60"])
      expect(() => epcisDirectory({ facilities: { X: { utcOffset } } }), utcOffset).toThrow(
        expect.objectContaining({ code: "INVALID_SETTING", field: "facilities.X.utcOffset" }),
      );
    expect(() => epcisDirectory({ facilities: { X: { utcOffset: "-14:00" } } })).not.toThrow();
  });

  it("names the new custodian as possessing_party where custody changes, the owner too where a lot comes into being", () => {
    expect(exported(events.store!).destinationList).toEqual([{ type: "possessing_party", destination: "urn:tracegate:org:TERMINAL" }]);
    expect(exported(events.store!, withGlns).destinationList).toEqual([{ type: "possessing_party", destination: "https://id.gs1.org/417/8935555000019" }]);
    expect(exported(events.release!).destinationList).toEqual([{ type: "possessing_party", destination: "urn:tracegate:org:GARMENT" }]);
    expect(exported(events.declare!).destinationList).toEqual([
      { type: "owning_party", destination: "urn:tracegate:org:GARMENT" },
      { type: "possessing_party", destination: "urn:tracegate:org:GARMENT" },
    ]);
    expect(exported(events.clear!).destinationList).toBeUndefined();
  });

  it("types documents with CBV's business transaction types where one exists", () => {
    expect(exported(events.clear!).bizTransactionList).toEqual([
      { type: "tg:declaration", bizTransaction: `urn:tracegate:document:${hashOf("decl-g1")}` },
      { type: "cert", bizTransaction: `urn:tracegate:document:${hashOf("co-1")}` },
    ]);
    const inspected = exported(events.clear!, plain, () => "INSPECTION");
    expect(inspected.bizTransactionList.map((entry: any) => entry.type)).toEqual(["testres", "testres"]);
  });

  it("identifies a facility with a GLN by GS1 Digital Link, others by urn:tracegate:", () => {
    expect(exported(events.arrive!, withGlns).readPoint).toEqual({ id: "https://id.gs1.org/414/8931234000011" });
    expect(exported(events.arrive!).bizLocation).toEqual({ id: "urn:tracegate:facility:GATE-HUUNGHI" });
    expect(() => epcisDirectory({ facilities: { X: { gln: "8931234000012" } } })).toThrow(expect.objectContaining({ code: "INVALID_SETTING" }));
    expect(fromEpcis(exported(events.arrive!, withGlns), { directory: withGlns }).action).toEqual({ type: "arrive", lot: "LOT-A", facility: "GATE-HUUNGHI" });
    const sgln = { ...exported(events.arrive!, withGlns), bizLocation: { id: "urn:epc:id:sgln:8931234.00001.0" } };
    expect(fromEpcis(sgln, { directory: withGlns }).action).toMatchObject({ facility: "GATE-HUUNGHI" });
  });

  it("gives transformation outputs their lot master data (ilmd) and a norm deviation its figures", () => {
    const transform = exported(events.transform!);
    expect(transform.ilmd).toEqual({ "tg:material": "SHIRT", "tg:hsCode": "62052000" });
    // The norm allows 12 FABRIC per 10 shirts with 5% waste: 13 (rounded up); the run consumed 100.
    expect(transform["tg:flagged"]).toBe(true);
    expect(transform["tg:normDeviations"]).toEqual([{ "tg:material": "FABRIC", "tg:expected": "13", "tg:consumed": "100" }]);
    expect(exported(events.store!)).not.toHaveProperty("tg:normDeviations");
  });

  it("gives the event the CBV 2.0 event hash as its eventID, unless it was captured with one", () => {
    const { eventID, ...rest } = exported(events.clear!);
    expect(eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(eventHash(rest)).toBe(eventID);
    // Key order and list order do not matter; content does.
    const reordered = Object.fromEntries(Object.entries(rest).reverse());
    expect(eventHash({ ...reordered, bizTransactionList: [...rest.bizTransactionList].reverse() })).toBe(eventID);
    expect(eventHash({ ...rest, "tg:actor": "GARMENT" })).not.toBe(eventID);
    expect(toEpcis(events.clear!, { directory: plain, kindOf: () => undefined, eventID: "urn:uuid:1" }).eventID).toBe("urn:uuid:1");
  });

  it("writes the pre-hash string by CBV 2.0's rules", () => {
    const event = {
      type: "ObjectEvent",
      eventID: "ignored",
      eventTime: "2027-01-15T15:00:00.5+07:00",
      eventTimeZoneOffset: "+07:00",
      quantityList: [
        { epcClass: "urn:tracegate:lot:B", quantity: 2, uom: "KGM" },
        { epcClass: "urn:tracegate:lot:A", quantity: 1.0 },
      ],
      action: "OBSERVE",
      bizStep: "urn:epcglobal:cbv:bizstep:arriving",
      disposition: "tg:held",
      readPoint: { id: "urn:epc:id:sgln:8931234.00001.0" },
      bizTransactionList: [{ type: "cert", bizTransaction: "urn:tracegate:document:0x1" }],
      destinationList: [{ type: "possessing_party", destination: "https://example.com/417/8935555000019?x=1" }],
      "tg:reason": " spaces ",
      "tg:normDeviations": [{ "tg:material": "F", "tg:consumed": "9" }],
    };
    expect(preHashString(event)).toBe(
      "eventType=ObjectEvent" +
        "eventTime=2027-01-15T08:00:00.500ZeventTimeZoneOffset=+07:00" +
        "quantityListquantityElementepcClass=urn:tracegate:lot:Aquantity=1quantityElementepcClass=urn:tracegate:lot:Bquantity=2uom=KGM" +
        "action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-arrivingdisposition=https://tracegate.dev/epcis/held" +
        "readPointid=https://id.gs1.org/414/8931234000011" +
        "bizTransactionListbizTransaction=urn:tracegate:document:0x1type=https://ref.gs1.org/cbv/BTT-cert" +
        "destinationListdestination=https://id.gs1.org/417/8935555000019type=https://ref.gs1.org/cbv/SDT-possessing_party" +
        "{https://tracegate.dev/epcis/}normDeviations{https://tracegate.dev/epcis/}consumed=9{https://tracegate.dev/epcis/}material=F" +
        "{https://tracegate.dev/epcis/}reason=spaces",
    );
  });
});

describe("EPCIS capture refuses what it cannot map, with a typed reason", () => {
  const refusal = (event: unknown) => {
    try {
      fromEpcis(event, { directory: withGlns });
    } catch (error) {
      if (error instanceof EpcisMappingError) return [error.code, error.field];
      throw error;
    }
    return "accepted";
  };

  it("an unknown bizStep, a malformed event, an event no custody action records", () => {
    const arrive = exported(events.arrive!);
    expect(refusal({ ...arrive, bizStep: "packing" })).toEqual(["UNKNOWN_BIZ_STEP", "bizStep"]);
    expect(refusal(null)).toEqual(["MALFORMED_EVENT", "event"]);
    expect(refusal({ ...arrive, quantityList: undefined })).toEqual(["MALFORMED_EVENT", "quantityList"]);
    expect(refusal({ ...arrive, quantityList: [{ epcClass: "urn:tracegate:lot:LOT-A", quantity: 1.5 }] })).toEqual([
      "MALFORMED_EVENT",
      "quantityList.0.quantity",
    ]);
    expect(refusal({ ...arrive, type: "TransformationEvent" })).toEqual(["MALFORMED_EVENT", "type"]);
    expect(refusal({ ...arrive, type: "AggregationEvent" })).toEqual(["UNMAPPABLE_EVENT", "type"]);
    expect(refusal({ ...arrive, quantityList: [{ epcClass: "urn:epc:class:lgtin:4012345.012345.998877", quantity: 1 }] })).toEqual([
      "UNMAPPABLE_EVENT",
      "quantityList.0.epcClass",
    ]);
    expect(refusal({ ...arrive, bizLocation: { id: "https://id.gs1.org/414/8931234000035" } })).toEqual(["UNMAPPABLE_EVENT", "bizLocation.id"]);
    expect(refusal({ ...exported(events.declare!), "tg:direction": "SIDEWAYS" })).toEqual(["MALFORMED_EVENT", "tg:direction"]);
    expect(refusal(arrive)).toBe("accepted");
    expect(refusal({ ...arrive, bizStep: "https://ref.gs1.org/cbv/BizStep-arriving" })).toBe("accepted");
  });

  it("a sealing, an unseal or an alert missing what its action needs, or naming it twice", () => {
    const transit = `0x${"ab".repeat(32)}`;
    const seal = actionEvent(
      { type: "seal", lot: "LOT-A", facility: "BONDED-WH", seal: "ES-1", deadline: 1_800_000_000n, transit: transit as `0x${string}` },
      { directory: withGlns, time: 1_799_990_000n },
    );
    const location = (destination: string) => ({ type: "location", destination });
    expect(refusal(seal)).toBe("accepted");
    expect(refusal({ ...seal, "tg:seal": undefined })).toEqual(["MALFORMED_EVENT", "tg:seal"]);
    expect(refusal({ ...seal, "tg:seal": "ES-1" })).toEqual(["UNMAPPABLE_EVENT", "tg:seal"]);
    expect(refusal({ ...seal, "tg:deadline": "2027-01-15T08:00:00.500Z" })).toEqual(["MALFORMED_EVENT", "tg:deadline"]);
    expect(refusal({ ...seal, "tg:deadline": "2027-01-15T08:00:00" })).toEqual(["MALFORMED_EVENT", "tg:deadline"]);
    expect(refusal({ ...seal, destinationList: [] })).toEqual(["MALFORMED_EVENT", "destinationList"]);
    expect(refusal({ ...seal, destinationList: [location("urn:tracegate:facility:A"), location("urn:tracegate:facility:B")] })).toEqual([
      "MALFORMED_EVENT",
      "destinationList",
    ]);
    expect(refusal({ ...seal, bizTransactionList: undefined })).toEqual(["MALFORMED_EVENT", "bizTransactionList"]);

    const unseal = actionEvent({ type: "unseal", lot: "LOT-A", facility: "BONDED-WH", sealIntact: false, reason: "cut" }, { directory: withGlns, time: 0n });
    expect(refusal(unseal)).toBe("accepted");
    expect(refusal({ ...unseal, "tg:sealIntact": "false" })).toEqual(["MALFORMED_EVENT", "tg:sealIntact"]);
    expect(refusal({ ...unseal, readPoint: undefined, bizLocation: undefined })).toEqual(["MALFORMED_EVENT", "readPoint"]);

    const alert = actionEvent({ type: "alert", lot: "LOT-A", seal: "ES-1", alert: "OPENED", detail: "" }, { directory: withGlns, time: 0n });
    const element = (alert.sensorElementList as Array<Record<string, unknown>>)[0]!;
    const report = (element.sensorReport as unknown[])[0];
    expect(refusal(alert)).toBe("accepted");
    expect(refusal({ ...alert, sensorElementList: [element, element] })).toEqual(["MALFORMED_EVENT", "sensorElementList"]);
    expect(refusal({ ...alert, sensorElementList: [{ ...element, sensorReport: [report, report] }] })).toEqual([
      "MALFORMED_EVENT",
      "sensorElementList.0.sensorReport",
    ]);
    expect(refusal({ ...alert, sensorElementList: [{ ...element, sensorReport: [{ type: "gs1:Temperature", value: 40 }] }] })).toEqual([
      "MALFORMED_EVENT",
      "sensorElementList.0.sensorReport.0.type",
    ]);
    expect(refusal({ ...alert, sensorElementList: [{ ...element, sensorMetadata: { deviceID: "urn:tracegate:lot:LOT-A" } }] })).toEqual([
      "UNMAPPABLE_EVENT",
      "sensorElementList.0.sensorMetadata.deviceID",
    ]);
    // A report's type as its full IRI is the same term.
    expect(
      refusal({
        ...alert,
        sensorElementList: [{ ...element, sensorReport: [{ type: "https://tracegate.dev/epcis/seal_opened", exception: "ALARM_CONDITION" }] }],
      }),
    ).toBe("accepted");
  });
});
