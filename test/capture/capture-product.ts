/** EPCIS 2.0 events as a client writes them by hand (not through sdk/epcis), for the capture tests. */
import type { Hash } from "../../domain/index.js";

export { startCaptureProduct, type CaptureProduct } from "../../scripts/harness/capture-product.js";

/** EPCIS 2.0 events for the custody actions the tests capture, as a client would write them. */
export const epcis = {
  declare: (lot: string, quantity: bigint, declaration: Hash, eventID?: string) => ({
    ...(eventID === undefined ? {} : { eventID }),
    type: "ObjectEvent",
    action: "ADD",
    eventTime: "2026-12-01T08:00:00.000+07:00",
    eventTimeZoneOffset: "+07:00",
    bizStep: "https://tracegate.dev/epcis/declaring",
    quantityList: [{ epcClass: `urn:tracegate:lot:${lot}`, quantity: quantity.toString(), uom: "KGM" }],
    "tg:material": "COTTON-YARN",
    "tg:hsCode": "520512",
    "tg:direction": "IMPORT",
    "tg:preferenceClaimed": false,
    "tg:permitRequired": false,
    bizTransactionList: [{ type: "https://tracegate.dev/epcis/declaration", bizTransaction: `urn:tracegate:document:${declaration}` }],
  }),
  at: (bizStep: "arriving" | "storing" | "receiving", lot: string, facility: string, eventID?: string) => ({
    ...(eventID === undefined ? {} : { eventID }),
    type: "ObjectEvent",
    action: "OBSERVE",
    eventTime: "2026-12-01T09:00:00.000+07:00",
    eventTimeZoneOffset: "+07:00",
    bizStep,
    quantityList: [{ epcClass: `urn:tracegate:lot:${lot}`, quantity: "1000", uom: "KGM" }],
    readPoint: { id: `urn:tracegate:facility:${facility}` },
    bizLocation: { id: `urn:tracegate:facility:${facility}` },
  }),
  hold: (lot: string, reason: string, eventID?: string) => ({
    ...(eventID === undefined ? {} : { eventID }),
    type: "ObjectEvent",
    action: "OBSERVE",
    eventTime: "2026-12-01T10:00:00.000+07:00",
    eventTimeZoneOffset: "+07:00",
    bizStep: "holding",
    quantityList: [{ epcClass: `urn:tracegate:lot:${lot}`, quantity: "1000", uom: "KGM" }],
    "tg:reason": reason,
  }),
  /** A sealing, its CBV terms as URNs (the bizStep, disposition and destination type). */
  seal: (lot: string, destination: string, seal: string, deadline: string, transit: Hash) => ({
    type: "ObjectEvent",
    action: "OBSERVE",
    eventTime: "2026-12-01T11:00:00.000+07:00",
    eventTimeZoneOffset: "+07:00",
    bizStep: "urn:epcglobal:cbv:bizstep:shipping",
    disposition: "urn:epcglobal:cbv:disp:in_transit",
    quantityList: [{ epcClass: `urn:tracegate:lot:${lot}` }],
    destinationList: [{ type: "urn:epcglobal:cbv:sdt:location", destination: `urn:tracegate:facility:${destination}` }],
    bizTransactionList: [{ type: "https://tracegate.dev/epcis/transit_declaration", bizTransaction: `urn:tracegate:document:${transit}` }],
    "tg:seal": `urn:tracegate:seal:${seal}`,
    "tg:deadline": deadline,
  }),
  /** An alert from the seal's sensor element (its type a tg: term). */
  alert: (lot: string, seal: string, type: string, detail?: string) => ({
    type: "ObjectEvent",
    action: "OBSERVE",
    eventTime: "2026-12-01T12:00:00.000+07:00",
    eventTimeZoneOffset: "+07:00",
    bizStep: "sensor_reporting",
    quantityList: [{ epcClass: `urn:tracegate:lot:${lot}` }],
    sensorElementList: [
      {
        sensorMetadata: { time: "2026-12-01T11:59:30.000+07:00", deviceID: `urn:tracegate:seal:${seal}` },
        sensorReport: [{ type, exception: "ALARM_CONDITION", ...(detail === undefined ? {} : { stringValue: detail }) }],
      },
    ],
  }),
  /** The seal check at the destination (its bizStep a Web URI). */
  unseal: (lot: string, facility: string, sealIntact: boolean, reason: string) => ({
    type: "ObjectEvent",
    action: "OBSERVE",
    eventTime: "2026-12-01T13:00:00.000+07:00",
    eventTimeZoneOffset: "+07:00",
    bizStep: "https://ref.gs1.org/cbv/BizStep-accepting",
    quantityList: [{ epcClass: `urn:tracegate:lot:${lot}` }],
    readPoint: { id: `urn:tracegate:facility:${facility}` },
    bizLocation: { id: `urn:tracegate:facility:${facility}` },
    "tg:sealIntact": sealIntact,
    "tg:reason": reason,
  }),
  document: (events: unknown[]) => ({
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", { tg: "https://tracegate.dev/epcis/" }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-12-01T10:00:00.000Z",
    epcisBody: { eventList: events },
  }),
};
